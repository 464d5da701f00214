// Unsaved input survives a reload, a crashed tab and the tablet locking itself:
// every change to a form is written (sealed, a moment later) as that person's
// draft of that form; when they open the form again the input comes back,
// marked as a draft, until it is saved or discarded. The last change before a
// lock is written with the key before the key is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { deleteDraft, loadDraft, saveDraft } from '../db/draft-repo';
import { beforeLock } from '../db/vault';
import { setBusy } from './busy';

const DELAY_MS = 400;
const pending = new Map<string, () => Promise<void>>();

// Each form's draft writes and deletes run one after another, in the order asked:
// a write still sealing when the form is saved must not land after the delete.
const queues = new Map<string, Promise<void>>();
function inOrder(formId: string, op: () => Promise<void>): Promise<void> {
  const next = (queues.get(formId) ?? Promise.resolve()).then(op, op);
  queues.set(formId, next.catch(() => undefined));
  return next;
}

async function flushAll(): Promise<void> {
  for (const [formId, flush] of pending) {
    pending.delete(formId);
    await flush().catch(() => undefined);
  }
}

beforeLock(flushAll);
// A tablet app sent to the background may never come back: write what is pending now.
if (typeof document !== 'undefined') document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void flushAll());

// Against the form's defaults as they are now: `formState` holds those of the last render, and a
// reset (a save landing, the case read back) reaches the watcher before the form renders again.
const isDirty = (f: UseFormReturn<FieldValues>) => JSON.stringify(f.getValues()) !== JSON.stringify(f.control._defaultValues);

export type Draft = { restoredAt: string | null; discard: () => void };

export function useDraft<T extends FieldValues>(formId: string, form: UseFormReturn<T>): Draft {
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const formRef = useRef(form);
  useEffect(() => {
    formRef.current = form;
  });

  useEffect(() => {
    let cancelled = false;
    void loadDraft<T>(formId).then((d) => {
      if (!d || cancelled) return;
      formRef.current.reset(d.values, { keepDefaultValues: true });
      setRestoredAt(d.savedAt);
      setBusy(`form:${formId}`, true);
    });
    let timer: number | undefined;
    let wasDirty = false;
    const dirtyNow = () => isDirty(formRef.current as unknown as UseFormReturn<FieldValues>);
    const sub = formRef.current.watch(() => {
      window.clearTimeout(timer);
      const write = () =>
        inOrder(formId, async () => {
          pending.delete(formId);
          if (dirtyNow()) await saveDraft(formId, formRef.current.getValues());
          else await deleteDraft(formId);
        });
      const dirty = dirtyNow();
      setBusy(`form:${formId}`, dirty); // an update must not reload under unsaved input
      pending.set(formId, write);
      // Input just saved (or undone) has its draft deleted at once: a reload right after saving must
      // not bring the old input back. A draft is a safety net: if it cannot be written, the input is
      // still in the form.
      if (wasDirty && !dirty) void write().catch(() => undefined);
      else timer = window.setTimeout(() => void write().catch(() => undefined), DELAY_MS);
      wasDirty = dirty;
    });
    return () => {
      cancelled = true;
      sub.unsubscribe();
      window.clearTimeout(timer);
      setBusy(`form:${formId}`, false);
      const flush = pending.get(formId);
      if (flush) void flush().catch(() => undefined);
    };
  }, [formId]);

  const discard = useCallback(() => {
    formRef.current.reset();
    setRestoredAt(null);
    setBusy(`form:${formId}`, false);
    void inOrder(formId, () => deleteDraft(formId)).catch(() => undefined);
  }, [formId]);

  return { restoredAt, discard };
}
