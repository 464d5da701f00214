// Model files: whether a file's bytes are on this device, reading them for the 3D view,
// and attaching one. The repository (and its crypto) loads on first use.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaseId } from '../domain/ids';
import type { ModelFileRef } from '../domain/model-files';
import type { AttachRequest } from '../db/model-file-repo';
import { caseKeys } from './case-queries';

const repo = () => import('../db/model-file-repo');

export const fileKeys = {
  availability: (id: string) => [...caseKeys.all, 'file', id, 'availability'] as const,
};

/** Whether all of a file's chunks are here; refreshed with every database change (chunks arriving). */
export const useFileAvailability = (ref: Pick<ModelFileRef, 'id' | 'size'>) =>
  useQuery({ queryKey: fileKeys.availability(ref.id), queryFn: async () => (await repo()).fileAvailability(ref) });

/** The key the 3D view's worker opens the file with, once all of it is here (the worker reads, opens and checks the chunks). */
export const modelFileKeyForWorker = async (ref: Pick<ModelFileRef, 'id' | 'size'>) => (await repo()).modelFileKey(ref);

/** A file's plain bytes, checked against its SHA-256, for an export; or how much of it has arrived. */
export const readModelFileBytes = async (ref: Pick<ModelFileRef, 'id' | 'size' | 'sha256'>) => (await repo()).readModelFile(ref);

export function useAttachModelFile(caseId: CaseId) {
  const client = useQueryClient();
  return useMutation({
    mutationKey: caseKeys.commands(caseId),
    mutationFn: async (req: AttachRequest) => (await repo()).attachModelFile(caseId, req),
    onSuccess: () => client.invalidateQueries({ queryKey: caseKeys.all }),
  });
}
