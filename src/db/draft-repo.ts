// Unsaved form input, kept per person and form until it is saved or discarded.
// Sealed with the data key like the case itself (it may hold PHI), and bound to
// the person and form as associated data.
import { decryptJson, encryptJson } from '../crypto/field-cipher';
import { db } from './database';
import { guardStorage } from './errors';
import { currentUnlock } from './vault';

const draftId = (userId: string, formId: string) => `${userId}:${formId}`;

export async function saveDraft(formId: string, values: unknown, key?: CryptoKey, userId?: string): Promise<void> {
  const u = currentUnlock();
  const k = key ?? u?.dataKey;
  const who = userId ?? u?.actor.id;
  if (!k || !who) return;
  const id = draftId(who, formId);
  const sealed = await encryptJson(values, k, id);
  await guardStorage(() => db.drafts.put({ id, userId: who, formId, savedAt: new Date().toISOString(), sealed }));
}

export async function loadDraft<T>(formId: string): Promise<{ values: T; savedAt: string } | null> {
  const u = currentUnlock();
  if (!u) return null;
  const row = await db.drafts.get(draftId(u.actor.id, formId));
  if (!row) return null;
  try {
    return { values: await decryptJson<T>(row.sealed, u.dataKey, row.id), savedAt: row.savedAt };
  } catch {
    return null; // sealed with another tablet's key (e.g. after a restore): nothing to show
  }
}

export async function deleteDraft(formId: string): Promise<void> {
  const u = currentUnlock();
  if (u) await db.drafts.delete(draftId(u.actor.id, formId));
}
