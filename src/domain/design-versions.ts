// Design versions of model and guide files, and the text marked on each part. Each file
// has a lineage: attached as v1, and every replacement is the next version. A send-back
// of the stage that signs the files opens a new version of each file it covered: until
// the technician replaces that file, the new version holds the same bytes as the one sent
// back, and the replacement then fills it (v1 sent back, then replaced: v2, not v3); a
// signature closes it (v1 sent back, signed unchanged: v2, and a later replacement is v3).
// A file stores its version only from v2 on, so files from before versions existed read
// as v1 (even one replaced before then: the case does not keep what it replaced) and
// their cases hash as they did. Pure.
import type { Case, Deliverable, Signature, StageId } from './case';
import { filesOf, type ModelFileRef } from './model-file-refs';
import { stageDef } from './stages';

/** Which version of which file a signature covered, recorded beside it when signed. */
export type SignedFileVersion = NonNullable<Signature['fileVersions']>[number];

export const fileVersion = (f: Pick<ModelFileRef, 'version'>): number => f.version ?? 1;
export const versionLabel = (n: number) => `v${n}`;

/** What a file's version fields are, kept absent at v1 (old files have none). */
const versionFields = (version: number, reopened = false): Pick<ModelFileRef, 'version' | 'reopened'> => ({
  ...(version > 1 ? { version } : {}),
  ...(reopened ? { reopened: true as const } : {}),
});

/** The version fields of a file that replaces `old`: the next version, or the one a send-back opened on it. */
export function replacementVersion(old: Pick<ModelFileRef, 'version' | 'reopened'>): Pick<ModelFileRef, 'version' | 'reopened'> {
  return versionFields(old.reopened ? fileVersion(old) : fileVersion(old) + 1);
}

/** A file's version in words: "v2", and "v2, opened by a send-back: still the file of v1" while it has not been replaced. */
export function fileVersionText(f: Pick<ModelFileRef, 'version' | 'reopened'>): string {
  const v = fileVersion(f);
  return f.reopened ? `${versionLabel(v)}, opened by a send-back: still the file of ${versionLabel(v - 1)}` : versionLabel(v);
}

/**
 * A send-back of `stage` opens a new version of each file the stage's signature covers.
 * Stages whose signature does not cover the deliverables (and cases without files) are returned as they are.
 */
export function openVersionsOnSendBack(c: Case, stage: StageId): { next: Case; opened: string[] } {
  const files = filesOf(c);
  if (!stageDef(stage).signatureCoversDeliverables || files.length === 0) return { next: c, opened: [] };
  const bumped = files.map((f) => {
    const { version: _v, reopened: _r, ...rest } = f;
    return { ...rest, ...versionFields(fileVersion(f) + 1, true) };
  });
  return { next: { ...c, files: bumped }, opened: bumped.map((f) => `${versionLabel(fileVersion(f))} of ${f.name}`) };
}

/** A signature closes the versions a send-back opened: a later replacement is the next version, not a refill of a signed one. */
export function closeReopened(c: Case): Case {
  if (!filesOf(c).some((f) => f.reopened)) return c;
  return { ...c, files: filesOf(c).map(({ reopened: _r, ...f }) => f) };
}

/** The files of a case in the order of its deliverables, each deliverable's in the order attached. */
function orderedFiles(c: Pick<Case, 'files' | 'deliverables'>, deliverableId?: string): readonly ModelFileRef[] {
  const all = filesOf(c).filter((f) => deliverableId === undefined || f.deliverableId === deliverableId);
  const rank = new Map(c.deliverables.map((d, i) => [d.id as string, i]));
  return all.map((f, i) => ({ f, i })).sort((a, b) => (rank.get(a.f.deliverableId) ?? 0) - (rank.get(b.f.deliverableId) ?? 0) || a.i - b.i).map(({ f }) => f);
}

/** What a signature of `stage` covers of the files, version by version; empty where it covers none. */
export function signedFileVersions(c: Case, stage: StageId): SignedFileVersion[] {
  if (!stageDef(stage).signatureCoversDeliverables) return [];
  return orderedFiles(c).map((f) => ({ deliverableId: f.deliverableId, name: f.name, version: fileVersion(f) }));
}

/** "v2 of liver.stl, v1 of tumor.stl". */
export const signedVersionsText = (list: readonly Pick<SignedFileVersion, 'name' | 'version'>[]): string =>
  list.map((f) => `${versionLabel(f.version)} of ${f.name}`).join(', ');

/**
 * A deliverable's design version: its file's version ("v2"), each file's in the order attached
 * when it has several ("v2+v1"), or null when it has no file.
 */
export function designVersion(c: Pick<Case, 'files' | 'deliverables'>, d: Pick<Deliverable, 'id'>): string | null {
  const versions = orderedFiles(c, d.id).map(fileVersion);
  if (versions.length === 0) return null;
  return versions.every((v) => v === versions[0]) ? versionLabel(versions[0]!) : versions.map(versionLabel).join('+');
}

/** Plain ASCII, for label printers and engravers (and "·" would make the PDF fetch a CJK font: script-runs.ts). */
export const MARK_SEPARATOR = ' | ';

/**
 * The text to mark on a part or its bag: the patient identifier (the MRN), the case number and
 * the design version, e.g. "MRN 123456 | Case 2026-0042 | v2" (no version while it has no file). Never the patient's name (the
 * printing checklist asks for none on the part), nor a file name (it may hold the name). The MRN
 * is patient data: on screen and in the PDF only.
 */
export function partMark(c: Pick<Case, 'phi' | 'caseNumber' | 'files' | 'deliverables'>, d: Pick<Deliverable, 'id'>): string {
  const mrn = c.phi.mrn.trim();
  const version = designVersion(c, d);
  return [/^mrn\b/i.test(mrn) ? mrn : `MRN ${mrn}`, `Case ${c.caseNumber}`, ...(version ? [version] : [])].join(MARK_SEPARATOR);
}
