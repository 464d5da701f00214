import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PlainBackup } from '../db/backup-format';
import type { BackupFile, RestoreChoices, RestoreProgress, RestoringAdmin } from '../db/backup';
import { requestPersistence, storageStatus, type PersistenceAnswer } from '../db/storage-status';
import { getBackupPolicy, lastBackupAt } from '../db/settings-repo';

// Backup code (checksums, zod schemas, Web Crypto) loads when first needed.
const backup = () => import('../db/backup');

export const backupKeys = { status: ['storage', 'status'] as const, last: ['storage', 'lastBackup'] as const, policy: ['settings', 'backup'] as const };

export const useStorageStatus = () => useQuery({ queryKey: backupKeys.status, queryFn: storageStatus });
export const useLastBackup = () => useQuery({ queryKey: backupKeys.last, queryFn: lastBackupAt });
export const useBackupPolicy = () => useQuery({ queryKey: backupKeys.policy, queryFn: getBackupPolicy });

/**
 * Asks the browser to keep the data. `answer` is the latest word on it: what the request
 * came to, or a late answer from a browser that asked the user after we stopped waiting.
 */
export function useRequestPersistence() {
  const client = useQueryClient();
  const [late, setLate] = useState<PersistenceAnswer | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: backupKeys.status });
  const request = useMutation({
    mutationFn: () => {
      setLate(null);
      return requestPersistence({ onLateAnswer: (answer) => { setLate(answer); void refresh(); } });
    },
    onSuccess: refresh,
  });
  return { ask: () => request.mutate(), asking: request.isPending, answer: late ?? request.data ?? null };
}

/** `deliver` hands the file over (a download): called by the mutation itself, not by the form. */
export function useExportBackup(deliver: (f: BackupFile) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ passphrase, adminSecret, modelFiles = false }: { passphrase: string | null; adminSecret: string; modelFiles?: boolean }) =>
      (await backup()).exportBackup(passphrase, adminSecret, new Date().toISOString(), { modelFiles }),
    // Here, not in the form: the page stays usable while a backup is made, and an admin who leaves it meanwhile still gets the file.
    onSuccess: (f) => {
      deliver(f);
      return client.invalidateQueries();
    },
  });
}

export const useReadBackup = () =>
  useMutation({
    mutationFn: async ({ file, passphrase }: { file: File; passphrase: string | null }) => {
      const b = await backup();
      const contents = await b.readBackup(file, passphrase);
      return { contents, preview: await b.previewRestore(contents) };
    },
  });

/** Restores a file read by useReadBackup; `progress` counts the signatures checked before anything is written. */
export function useApplyRestore() {
  const client = useQueryClient();
  const [progress, setProgress] = useState<RestoreProgress | null>(null);
  const mutation = useMutation({
    mutationFn: async ({ contents, choices, admin }: { contents: PlainBackup; choices: RestoreChoices; admin?: RestoringAdmin }) => {
      setProgress(null);
      return (await backup()).applyRestore(contents, choices, { ...(admin ? { admin } : {}), onProgress: setProgress });
    },
    onSuccess: () => client.invalidateQueries(),
  });
  return { ...mutation, progress };
}
