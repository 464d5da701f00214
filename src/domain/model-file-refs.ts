// What a case records of a model or guide file, and what a sign-off covers of it. Apart
// from the commands (model-files.ts) so the case list's first load, which derives the
// status through workflow.ts, does not carry them.
import type { Case, StageId } from './case';
import type { DeliverableId } from './ids';

export type ModelFileFormat = 'stl' | 'obj';
/** The stages at which a file can be attached or replaced. */
export type FileStage = Extract<StageId, 'segmenting' | 'printing'>;

export type ModelFileRef = {
  id: string;
  deliverableId: DeliverableId;
  /** The file's name as the technician chose it; sealed with the patient data (it may name the patient). */
  name: string;
  size: number;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  format: ModelFileFormat;
  stage: FileStage;
  attachedAt: string;
  attachedBy: string;
  /** The file's design version (design-versions.ts); absent at v1, so files from before versions existed are v1 and hash as they did. */
  version?: number;
  /** This version was opened by a send-back and still holds the bytes of the one before it; absent otherwise. */
  reopened?: true;
};

/** The largest file the app accepts: a 3D view of more would not fit a tablet's memory. */
export const MAX_MODEL_FILE_BYTES = 512 * 1024 * 1024;

export const filesOf = (c: Pick<Case, 'files'>): readonly ModelFileRef[] => c.files ?? [];

export function modelFileFormat(name: string): ModelFileFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
  return ext === 'stl' || ext === 'obj' ? ext : null;
}

/** What a sign-off covers of each file: not its id or who attached it, but exactly which bytes, under which name, for which deliverable. */
export function signedFiles(c: Pick<Case, 'files'>) {
  return filesOf(c)
    .map((f) => ({ deliverableId: f.deliverableId, name: f.name, size: f.size, sha256: f.sha256 }))
    .sort((a, b) => (a.deliverableId + a.sha256 + a.name < b.deliverableId + b.sha256 + b.name ? -1 : 1));
}
