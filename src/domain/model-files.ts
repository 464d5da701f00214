// Model and guide files (STL, OBJ) attached to a case's deliverables. The case keeps
// only a reference to each file (its id, name, size, SHA-256, deliverable and the stage
// it was attached at); the bytes live elsewhere (db/model-file-repo.ts). Every file a
// case holds is part of the segmentation sign-off's signed content (signed content
// version 2, workflow.ts), so replacing a file voids that signature, whichever stage
// replaces it: a mesh repaired at printing needs the radiologist's sign-off again.
// Pure.
import type { Case, FieldChange, StageId } from './case';
import { filesOf, MAX_MODEL_FILE_BYTES, modelFileFormat, signedFiles, type FileStage, type ModelFileRef } from './model-file-refs';
import { recordingBlockedBy } from './workflow';
import { fileVersion, replacementVersion, versionLabel } from './design-versions';

export { filesOf, MAX_MODEL_FILE_BYTES, modelFileFormat, signedFiles, type FileStage, type ModelFileFormat, type ModelFileRef } from './model-file-refs';

export type AttachFileCommand = { type: 'attachFile'; stage: FileStage; file: Omit<ModelFileRef, 'stage' | 'attachedAt' | 'attachedBy' | 'version' | 'reopened'>; replaces?: string };
export type RemoveFileCommand = { type: 'removeFile'; fileId: string };

type Step = { next: Case; summary: string; changes: FieldChange[] };
type Ctx = { now: string; actor: { name: string } };

const describe = (f: Pick<ModelFileRef, 'name' | 'size' | 'sha256'>) => `${f.name} (${f.size.toLocaleString('en-US')} bytes, SHA-256 ${f.sha256.slice(0, 12)}…)`;

const withFiles = (c: Case, files: ModelFileRef[]): Case => {
  const { files: _old, ...rest } = c;
  // A case without files has no `files` key at all, so cases from before files existed hash as they did.
  return files.length ? { ...rest, files } : rest;
};

function checkFile(c: Case, f: AttachFileCommand['file']): string | null {
  if (!c.deliverables.some((d) => d.id === f.deliverableId)) return 'That model or guide is not part of this case';
  if (!f.name.trim()) return 'The file has no name';
  if (modelFileFormat(f.name) !== f.format) return 'Attach an STL or OBJ file';
  if (!Number.isInteger(f.size) || f.size <= 0) return 'The file is empty';
  if (f.size > MAX_MODEL_FILE_BYTES) return `The file is larger than ${MAX_MODEL_FILE_BYTES / 1024 / 1024} MB`;
  if (!/^[0-9a-f]{64}$/.test(f.sha256)) return 'The file has no valid SHA-256';
  if (!f.id || filesOf(c).some((x) => x.id === f.id)) return 'That file is already attached';
  return null;
}

/**
 * Attaching and replacing. At segmenting a file can be added, replaced or removed; at
 * printing a file can only be replaced (a repaired mesh), never added or removed.
 */
export function attachFileStep(c: Case, cmd: AttachFileCommand, ctx: Ctx): Step | string {
  const gate = recordingBlockedBy(c, cmd.stage);
  if (gate) return gate;
  const problem = checkFile(c, cmd.file);
  if (problem) return problem;
  const deliverable = c.deliverables.find((d) => d.id === cmd.file.deliverableId)!;
  // The version is the domain's to give, never the command's.
  const { version: _v, reopened: _r, ...given } = cmd.file as ModelFileRef;
  const file: ModelFileRef = { ...given, name: cmd.file.name.trim(), stage: cmd.stage, attachedAt: ctx.now, attachedBy: ctx.actor.name };
  const field = `${deliverable.name}: file`;
  if (cmd.replaces === undefined) {
    if (cmd.stage !== 'segmenting') return 'Files are attached at segmenting; at printing a file can only be replaced';
    return { next: withFiles(c, [...filesOf(c), file]), summary: `File attached to ${deliverable.name}: ${file.name}`, changes: [{ field, before: null, after: describe(file) }] };
  }
  const old = filesOf(c).find((f) => f.id === cmd.replaces);
  if (!old) return 'The file to replace is not part of this case';
  if (old.deliverableId !== file.deliverableId) return 'A file can only be replaced by a file for the same model or guide';
  const where = cmd.stage === 'printing' ? ' at printing' : '';
  const next = { ...file, ...replacementVersion(old) };
  return {
    next: withFiles(c, filesOf(c).map((f) => (f.id === old.id ? next : f))),
    summary: `File of ${deliverable.name} replaced${where}: ${old.name} → ${file.name} (${versionLabel(fileVersion(next))})`,
    changes: [{ field, before: describe(old), after: describe(file) }],
  };
}

export function removeFileStep(c: Case, cmd: RemoveFileCommand): Step | string {
  const gate = recordingBlockedBy(c, 'segmenting');
  if (gate) return gate;
  const old = filesOf(c).find((f) => f.id === cmd.fileId);
  if (!old) return 'The file is not part of this case';
  const deliverable = c.deliverables.find((d) => d.id === old.deliverableId);
  const name = deliverable?.name ?? 'A removed model or guide';
  return {
    next: withFiles(c, filesOf(c).filter((f) => f.id !== old.id)),
    summary: `File removed from ${name}: ${old.name}`,
    changes: [{ field: `${name}: file`, before: describe(old), after: null }],
  };
}

/** Files whose deliverable was removed go with it. */
export function filesForDeliverables(c: Case, ids: ReadonlySet<string>): Case {
  const kept = filesOf(c).filter((f) => ids.has(f.deliverableId));
  return kept.length === filesOf(c).length ? c : withFiles(c, kept);
}

/**
 * Which sign-offs a file change takes back, as the void rules say: any change to the
 * files of a case (attached, replaced, removed, at segmenting or at printing) changes
 * the segmentation's signed content, so a radiologist must sign segmentation again.
 */
export function signoffsVoidedByFileChange(before: Pick<Case, 'files'>, after: Pick<Case, 'files'>): StageId[] {
  return JSON.stringify(signedFiles(before)) === JSON.stringify(signedFiles(after)) ? [] : ['segmenting'];
}
