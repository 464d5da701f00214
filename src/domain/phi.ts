// Which parts of a case may identify the patient: the patient part, every stage
// field the stage table marks `phi`, the free-text cancellation reason, and the
// names of model files (a technician may name a file after the patient), and the
// reasons for accepting a part out of tolerance (part-qa.ts). The
// storage layer encrypts exactly what `splitPhi` returns and stores the rest in
// the clear; `joinPhi` puts a case back together.
import type { Case, FieldValue, PatientPhi, StageId } from './case';
import { STAGES } from './stages';

export type PhiBundle = {
  patient: PatientPhi;
  stageText: Partial<Record<StageId, Record<string, FieldValue>>>;
  cancelReason: string | null;
  /** Model file names by file id; absent when the case has no files. */
  fileNames?: Record<string, string>;
  /** Reasons for accepting a part out of tolerance, by QA check id (part-qa.ts); absent when none. */
  qaReasons?: Record<string, string>;
};

/** A case without its PHI: safe to store in the clear and to index. */
export type ClearCase = Omit<Case, 'phi'>;

const PHI_FIELDS: ReadonlyArray<[StageId, string]> = STAGES.flatMap((s) => s.fields.filter((f) => f.phi).map((f): [StageId, string] => [s.id, f.key]));

const REDACTED: PatientPhi = { patientName: '', mrn: '', dateOfBirth: '', sex: 'unknown', indication: '', notes: '' };

export function splitPhi(c: Case): { clear: ClearCase; phi: PhiBundle } {
  const stageText: PhiBundle['stageText'] = {};
  const stages = { ...c.stages };
  for (const [stage, key] of PHI_FIELDS) {
    const value = stages[stage].values[key];
    if (value === undefined) continue;
    (stageText[stage] ??= {})[key] = value;
    const { [key]: _removed, ...rest } = stages[stage].values;
    stages[stage] = { ...stages[stage], values: rest };
  }
  const { phi: patient, files, partQa, ...clear } = c;
  const accepted = partQa?.filter((x) => x.accepted) ?? [];
  return {
    clear: {
      ...clear,
      ...(files ? { files: files.map((f) => ({ ...f, name: '' })) } : {}),
      ...(partQa ? { partQa: partQa.map((x) => (x.accepted ? { ...x, accepted: { ...x.accepted, reason: '' } } : x)) } : {}),
      stages,
      cancelled: c.cancelled ? { ...c.cancelled, reason: '' } : null,
    },
    phi: {
      patient,
      stageText,
      cancelReason: c.cancelled?.reason ?? null,
      ...(files ? { fileNames: Object.fromEntries(files.map((f) => [f.id, f.name])) } : {}),
      ...(accepted.length ? { qaReasons: Object.fromEntries(accepted.map((x) => [x.id, x.accepted!.reason])) } : {}),
    },
  };
}

export function joinPhi(clear: ClearCase, phi: PhiBundle | null): Case {
  const stages = { ...clear.stages };
  for (const [stage, values] of Object.entries(phi?.stageText ?? {}) as [StageId, Record<string, FieldValue>][]) {
    stages[stage] = { ...stages[stage], values: { ...stages[stage].values, ...values } };
  }
  const { files, partQa, ...rest } = clear;
  return {
    ...rest,
    ...(files ? { files: files.map((f) => ({ ...f, name: phi?.fileNames?.[f.id] ?? f.name })) } : {}),
    ...(partQa ? { partQa: partQa.map((x) => (x.accepted ? { ...x, accepted: { ...x.accepted, reason: phi?.qaReasons?.[x.id] ?? x.accepted.reason } } : x)) } : {}),
    phi: phi?.patient ?? REDACTED,
    stages,
    cancelled: clear.cancelled ? { ...clear.cancelled, reason: phi?.cancelReason ?? clear.cancelled.reason } : null,
  };
}
