// Unsaved form input survives the tablet locking itself. At lock, every open
// form's unsaved values are sealed with the data key (they may hold PHI) before
// the key is dropped; when the same person signs in again, each form gets its
// values back. Another person signing in sees nothing of them.
import { useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { decryptJson, encryptJson, type Sealed } from '../crypto/field-cipher';
import { beforeLock, currentUnlock, subscribeVault } from '../db/vault';

type Drafts = Record<string, unknown>;

const open = new Map<string, () => unknown>();
let sealed: { userId: string; blob: Sealed } | null = null;
let restored: Drafts = {};

beforeLock(async (key, actor) => {
  const drafts: Drafts = {};
  for (const [id, read] of open) {
    const v = read();
    if (v !== undefined) drafts[id] = v;
  }
  sealed = Object.keys(drafts).length ? { userId: actor.id, blob: await encryptJson(drafts, key, `drafts:${actor.id}`) } : null;
  restored = {};
});

subscribeVault(() => {
  const u = currentUnlock();
  if (!u || !sealed || sealed.userId !== u.actor.id) return;
  const s = sealed;
  sealed = null;
  void decryptJson<Drafts>(s.blob, u.dataKey, `drafts:${u.actor.id}`).then((d) => {
    restored = d;
    restoredListeners.forEach((l) => l());
  });
});

const restoredListeners = new Set<() => void>();

/** Keeps `form`'s unsaved input across a lock; returns true once it was restored. */
export function useLockSafeDraft<T extends FieldValues>(formId: string, form: UseFormReturn<T>): boolean {
  const [wasRestored, setWasRestored] = useState(false);
  const formRef = useRef(form);
  useEffect(() => {
    formRef.current = form;
  });
  useEffect(() => {
    open.set(formId, () => (formRef.current.formState.isDirty ? formRef.current.getValues() : undefined));
    const apply = () => {
      const draft = restored[formId];
      if (draft === undefined) return;
      delete restored[formId];
      formRef.current.reset(draft as T, { keepDefaultValues: true });
      setWasRestored(true);
    };
    apply();
    restoredListeners.add(apply);
    return () => {
      open.delete(formId);
      restoredListeners.delete(apply);
    };
  }, [formId]);
  return wasRestored;
}
