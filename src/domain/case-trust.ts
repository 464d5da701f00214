// What of a case verifies, as one model the screen and the PDF both read: each
// current sign-off, the case's audit trail, the stored case against its signed
// history, and the lab's signed log of people and keys. The checks themselves run
// outside the domain (they need keys and storage); here only what follows from them:
// a signature that does not verify does not count, and a record that does not
// verify has no status or codes to bill from. Pure.
import type { Case, StageId } from './case';
import { suggestCodes, type CodeTable, type CptSuggestion } from './cpt';
import { STAGES } from './stages';
import { deriveStatus, type CaseStatus, type Distrusted } from './workflow';

/** `legacy`: made before the signed log existed, so it cannot be checked; printed as such, and not a failure by itself. */
export type TrustState = 'verified' | 'verifying' | 'legacy' | 'failed';
/** `text`: one plain sentence, shown on screen and printed, e.g. "The signature does not verify with Dr. X's registered key." */
export type TrustCheck = { state: TrustState; text: string };
export type CaseTrust = {
  signatures: Partial<Record<StageId, TrustCheck>>; // each CURRENT sign-off on the case
  history: TrustCheck; // the case's audit trail (links, head, signatures of its entries)
  record: TrustCheck; // the stored case against the case its last signed history entry records
  people: TrustCheck; // the lab's signed log of people, roles and keys
  labRoot: string | null; // hex fingerprint of the lab's root key (first admin's key at set-up)
};

export const NOT_VERIFIED_LABEL = 'Does not verify — do not bill from this record';
/** Printed at the top of page 1 and in every page footer when any check failed. */
export const DOES_NOT_VERIFY_BANNER = 'THIS RECORD DOES NOT VERIFY';

export type VerifiedStatus = CaseStatus | { code: 'not-verified'; label: string; reason: string };

/** Stages whose current signature does not count: only a signature that verifies counts (legacy and still-verifying ones do not). */
export function distrustedStages(trust: CaseTrust): Distrusted {
  return new Set(STAGES.map((s) => s.id).filter((id) => trust.signatures[id] !== undefined && trust.signatures[id].state !== 'verified'));
}

/** What does not count on this case: the distrusted stages, and a current signature no check was made of. */
export function uncountedStages(c: Case, trust: CaseTrust): Distrusted {
  const out = new Set(distrustedStages(trust));
  for (const s of STAGES) if (c.stages[s.id].signature && !trust.signatures[s.id]) out.add(s.id);
  return out;
}

/** The check of a stage's current signature; a signature nobody checked does not count. */
export function signatureCheck(c: Case, trust: CaseTrust, stage: StageId): TrustCheck | null {
  const sig = c.stages[stage].signature;
  if (!sig) return null;
  return trust.signatures[stage] ?? { state: 'failed', text: `The signature recorded as ${sig.signerName} was not checked: it does not count.` };
}

/** The checks about the record as a whole, in reading order. */
export const recordChecks = (trust: CaseTrust): TrustCheck[] => [trust.history, trust.record, trust.people];

/** Every check, each current sign-off included. */
const allChecks = (c: Case, trust: CaseTrust): TrustCheck[] => [...recordChecks(trust), ...STAGES.flatMap((s) => signatureCheck(c, trust, s.id) ?? [])];

/** Some check has not finished: nothing may be printed or exported yet. */
export const trustPending = (c: Case, trust: CaseTrust): boolean => allChecks(c, trust).some((x) => x.state === 'verifying');

/** Some check failed: the record is marked as not verifying wherever it is shown. */
export const trustFailed = (c: Case, trust: CaseTrust): boolean => allChecks(c, trust).some((x) => x.state === 'failed');

/** Why the record as a whole cannot be billed from, or null when it can be read by its signatures. */
function recordFailure(c: Case, trust: CaseTrust): string | null {
  const failed = recordChecks(trust).filter((x) => x.state === 'failed');
  if (failed.length) return failed.map((x) => x.text).join(' ');
  // A closed case froze its codes when every sign-off counted: one that no longer verifies means the record changed since.
  if (c.closed) {
    const bad = STAGES.filter((s) => signatureCheck(c, trust, s.id)?.state === 'failed');
    if (bad.length) return `A sign-off on this closed case does not verify (${bad.map((s) => s.title.toLowerCase()).join(', ')}): its frozen codes cannot be relied on.`;
  }
  return null;
}

/** The case's status from what verifies only: the screen and the PDF both show this. */
export function verifiedStatus(c: Case, trust: CaseTrust): VerifiedStatus {
  const reason = recordFailure(c, trust);
  if (reason !== null) return { code: 'not-verified', label: NOT_VERIFIED_LABEL, reason };
  return deriveStatus(c, uncountedStages(c, trust));
}

/** The suggested codes from what verifies only: none when the record does not verify; a sign-off that does not verify does not count. */
export function verifiedCodes(c: Case, table: CodeTable, trust: CaseTrust): CptSuggestion {
  const reason = recordFailure(c, trust);
  if (reason !== null) {
    const frozen = c.closed?.billing;
    return {
      state: 'none',
      lines: [],
      reasons: [`No code is suggested: this record does not verify. ${reason}`],
      warnings: [],
      serviceDate: frozen ? frozen.serviceDate : null,
      codeTableVersion: frozen ? frozen.codeTableVersion : table.version,
    };
  }
  const distrusted = uncountedStages(c, trust);
  const suggestion = suggestCodes(c, table, distrusted);
  if (c.closed || c.cancelled || distrusted.size === 0) return suggestion;
  const notCounted = STAGES.filter((s) => distrusted.has(s.id)).map((s) => `The ${s.title.toLowerCase()} sign-off does not count: ${signatureCheck(c, trust, s.id)?.text ?? ''}`);
  return { ...suggestion, reasons: [...notCounted, ...suggestion.reasons] };
}

/** The words a state is printed with, before its sentence. */
export const TRUST_STATE_WORDS: Record<TrustState, string> = {
  verified: 'Verified',
  verifying: 'Still being checked',
  legacy: 'Not checked (made before the signed log)',
  failed: 'DOES NOT VERIFY',
};

const NOT_COUNTED_HEADLINE: Record<Exclude<TrustState, 'verified'>, string> = {
  failed: 'SIGNATURE DOES NOT VERIFY',
  legacy: 'SIGNATURE NOT CHECKED (made before the signed log)',
  verifying: 'SIGNATURE STILL BEING CHECKED',
};

/** What a sign-off that does not verify is shown and printed as, in place of "Signed by". */
export const notCountedText = (check: TrustCheck): string =>
  check.state === 'verified' ? check.text : `${NOT_COUNTED_HEADLINE[check.state]} — not counted: ${check.text}`;

/** One line of the verification list; `value`: the state in words, then the check's sentence. */
export type VerificationRow = { label: string; state: TrustState; text: string; value: string };

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function signoffsCheck(c: Case, trust: CaseTrust): TrustCheck {
  const checks = STAGES.flatMap((s) => {
    const check = signatureCheck(c, trust, s.id);
    return check ? [{ title: s.title.toLowerCase(), check }] : [];
  });
  if (!checks.length) return { state: 'verified', text: 'No current sign-off on this case.' };
  const n = checks.length;
  const named = (state: TrustState) => checks.filter((x) => x.check.state === state).map((x) => x.title);
  const failed = named('failed'), legacy = named('legacy'), verifying = named('verifying');
  const parts = [
    ...(failed.length ? [`${failed.length} of ${n} sign-offs ${plural(failed.length, 'does not verify and does not count', 'do not verify and do not count')}: ${failed.join(', ')}.`] : []),
    ...(legacy.length ? [`${legacy.length} of ${n} sign-offs ${plural(legacy.length, 'was', 'were')} made before the signed log and ${plural(legacy.length, 'does', 'do')} not count: ${legacy.join(', ')}.`] : []),
    ...(verifying.length ? [`${verifying.length} of ${n} sign-offs ${plural(verifying.length, 'is', 'are')} still being checked: ${verifying.join(', ')}.`] : []),
  ];
  const state: TrustState = failed.length ? 'failed' : verifying.length ? 'verifying' : legacy.length ? 'legacy' : 'verified';
  return { state, text: parts.length ? parts.join(' ') : `${plural(n, 'The current sign-off verifies', `All ${n} current sign-offs verify`)}.` };
}

/** What verifies, in words, in the order the screen and the PDF list it. */
export function verificationRows(c: Case, trust: CaseTrust): VerificationRow[] {
  const rows: [string, TrustCheck][] = [
    ['Sign-offs', signoffsCheck(c, trust)],
    ['Audit trail', trust.history],
    ['Stored record', trust.record],
    ['People and keys', trust.people],
  ];
  return rows.map(([label, x]) => ({ label, state: x.state, text: x.text, value: `${TRUST_STATE_WORDS[x.state]} — ${x.text}` }));
}

/** Under the banner: what to do, and every check that failed. */
export function doesNotVerifyDetail(c: Case, trust: CaseTrust): string {
  const failing = verificationRows(c, trust).filter((r) => r.state === 'failed').map((r) => `${r.label}: ${r.text}`);
  return ['Do not bill or act on this record until the lab has checked it.', ...failing].join(' ');
}

/** "1a2b3c4d5e6f7081…" → "1a2b 3c4d 5e6f 7081": the first 16 hex digits in groups of four, as the lab settings show a key. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

/** The lab root key line, printed on every case summary. */
export const labRootText = (trust: CaseTrust): string => (trust.labRoot ? shortFingerprint(trust.labRoot) : 'not recorded');
