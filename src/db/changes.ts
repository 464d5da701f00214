import Dexie from 'dexie';

/** Calls back on every database change, in this tab or another (Dexie broadcasts them). */
export function onDatabaseChange(callback: () => void): () => void {
  Dexie.on('storagemutated', callback);
  return () => Dexie.on('storagemutated').unsubscribe(callback);
}
