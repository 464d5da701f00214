import Dexie from 'dexie';
import { db, durableDb } from './database';

/** Calls back on every database change, in this tab or another (Dexie broadcasts them). */
export function onDatabaseChange(callback: () => void): () => void {
  Dexie.on('storagemutated', callback);
  return () => Dexie.on('storagemutated').unsubscribe(callback);
}

/**
 * A newer tab opened a newer database version: this tab closes its connection so the
 * upgrade can go ahead, and says so. Unsaved input stays on screen and in its draft.
 */
export function onDatabaseOutdated(callback: () => void): () => void {
  const handler = () => {
    db.close();
    durableDb.close();
    callback();
    return false;
  };
  db.on('versionchange', handler);
  durableDb.on('versionchange', handler);
  return () => {
    db.on('versionchange').unsubscribe(handler);
    durableDb.on('versionchange').unsubscribe(handler);
  };
}
