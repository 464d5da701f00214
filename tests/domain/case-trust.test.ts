import { describe, expect, it } from 'vitest';
import type { Case, StageId } from '../../src/domain/case';
import {
  distrustedStages,
  labRootText,
  NOT_VERIFIED_LABEL,
  shortFingerprint,
  trustFailed,
  trustPending,
  uncountedStages,
  verifiedCodes,
  verifiedStatus,
  type CaseTrust,
  type TrustCheck,
} from '../../src/domain/case-trust';
import { applyCommand } from '../../src/domain/commands';
import { DEFAULT_CODE_TABLE, suggestCodes } from '../../src/domain/cpt';
import { asEventId } from '../../src/domain/ids';
import { shortFingerprint as cryptoShortFingerprint } from '../../src/crypto/signing-keys';
import { Lab, tech } from '../support/case-builder';
import { LAB_ROOT, verifiedTrust, withCheck, withSignature } from '../support/trust';

const failed = (text: string): TrustCheck => ({ state: 'failed', text });
const legacy: TrustCheck = { state: 'legacy', text: 'Made before the signed log.' };
const verifying: TrustCheck = { state: 'verifying', text: 'Being checked.' };

/** A case delivered and used in care: ready for billing, and its codes final, when every check verifies. */
function readyCase(): Case {
  return new Lab().build({ use: 'yes' });
}

function closedCase(): Case {
  const lab = new Lab();
  const c = lab.build({ use: 'yes' });
  return lab.apply(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE });
}

type Row = [name: string, make: () => Case, trust: (c: Case) => CaseTrust, status: string, label: string, codes: 'final' | 'provisional' | 'none', reason: RegExp | null];

describe('verifiedStatus and verifiedCodes', () => {
  it.each<Row>([
    ['every check verifies', readyCase, (c) => verifiedTrust(c), 'ready-for-billing', 'Ready to close', 'final', null],
    ['record and people made before the signed log (legacy)', readyCase, (c) => withCheck(withCheck(verifiedTrust(c), 'record', legacy), 'people', legacy), 'ready-for-billing', 'Ready to close', 'final', null],
    ['the imaging signature does not verify', readyCase, (c) => withSignature(verifiedTrust(c), 'imaging', failed('Flipped byte.')), 'in-stage', 'In imaging', 'provisional', /The imaging sign-off does not count: Flipped byte\./],
    ['the segmenting signature is legacy', readyCase, (c) => withSignature(verifiedTrust(c), 'segmenting', legacy), 'in-stage', 'In segmenting', 'provisional', /The segmenting sign-off does not count: Made before the signed log\./],
    ['the imaging signature is still being checked', readyCase, (c) => withSignature(verifiedTrust(c), 'imaging', verifying), 'in-stage', 'In imaging', 'provisional', /does not count: Being checked/],
    ['a current signature no check was made of', readyCase, (c) => ({ ...verifiedTrust(c), signatures: {} }), 'in-stage', 'In imaging', 'provisional', /recorded as Dr\. Rita Radiologist was not checked/],
    ['the audit trail does not verify', readyCase, (c) => withCheck(verifiedTrust(c), 'history', failed('Audit chain broken at entry 3.')), 'not-verified', NOT_VERIFIED_LABEL, 'none', /does not verify\. Audit chain broken at entry 3\./],
    ['the stored record does not verify', readyCase, (c) => withCheck(verifiedTrust(c), 'record', failed('The stored case differs from its signed history.')), 'not-verified', NOT_VERIFIED_LABEL, 'none', /The stored case differs/],
    ['the people log does not verify', readyCase, (c) => withCheck(verifiedTrust(c), 'people', failed('The lab log of people does not verify.')), 'not-verified', NOT_VERIFIED_LABEL, 'none', /lab log of people/],
    ['a closed case, every check verifies', closedCase, (c) => verifiedTrust(c), 'closed', 'Closed', 'final', null],
    ['a closed case whose imaging signature does not verify', closedCase, (c) => withSignature(verifiedTrust(c), 'imaging', failed('Flipped byte.')), 'not-verified', NOT_VERIFIED_LABEL, 'none', /closed case does not verify \(imaging\)/],
  ])('%s', (_name, make, trustOf, status, label, codes, reason) => {
    const c = make();
    const trust = trustOf(c);
    const s = verifiedStatus(c, trust);
    expect(s.code).toBe(status);
    expect(s.label).toBe(label);
    const suggestion = verifiedCodes(c, DEFAULT_CODE_TABLE, trust);
    expect(suggestion.state).toBe(codes);
    if (codes === 'none') expect(suggestion.lines).toEqual([]);
    else expect(suggestion.lines.map((l) => l.code)).toEqual(['0559T']);
    if (reason) expect(suggestion.reasons.join(' ')).toMatch(reason);
    else expect(suggestion.reasons).toEqual(suggestCodes(c, DEFAULT_CODE_TABLE).reasons);
  });

  it('gives the reason for a record that does not verify with the status', () => {
    const c = readyCase();
    const s = verifiedStatus(c, withCheck(verifiedTrust(c), 'history', failed('Audit chain broken at entry 3.')));
    expect(s).toEqual({ code: 'not-verified', label: 'Does not verify — do not bill from this record', reason: 'Audit chain broken at entry 3.' });
  });
});

describe('distrustedStages', () => {
  it('holds every stage whose signature is not verified, and none other', () => {
    const c = readyCase();
    const trust = withSignature(withSignature(withSignature(verifiedTrust(c), 'imaging', failed('x')), 'segmenting', legacy), 'printing', verifying);
    expect([...distrustedStages(trust)].sort()).toEqual(['imaging', 'printing', 'segmenting']);
    expect([...distrustedStages(verifiedTrust(c))]).toEqual([]);
  });

  it('with the case, also a current signature that has no check', () => {
    const c = readyCase();
    expect([...uncountedStages(c, { ...verifiedTrust(c), signatures: { imaging: { state: 'verified', text: 'ok' } } })]).toEqual(['segmenting']);
  });
});

describe('trustPending and trustFailed', () => {
  it.each<[string, (c: Case) => CaseTrust, boolean, boolean]>([
    ['all verified', (c) => verifiedTrust(c), false, false],
    ['legacy checks', (c) => withCheck(withCheck(verifiedTrust(c), 'record', legacy), 'people', legacy), false, false],
    ['history being read', (c) => withCheck(verifiedTrust(c), 'history', verifying), true, false],
    ['a signature being checked', (c) => withSignature(verifiedTrust(c), 'imaging', verifying), true, false],
    ['a failed signature', (c) => withSignature(verifiedTrust(c), 'imaging', failed('x')), false, true],
    ['a failed record', (c) => withCheck(verifiedTrust(c), 'record', failed('x')), false, true],
  ])('%s', (_name, trustOf, pending, isFailed) => {
    const c = readyCase();
    expect(trustPending(c, trustOf(c))).toBe(pending);
    expect(trustFailed(c, trustOf(c))).toBe(isFailed);
  });
});

describe('lab root key', () => {
  it('prints the first 16 hex digits in groups of four, as the crypto module does, or "not recorded"', () => {
    expect(shortFingerprint(LAB_ROOT)).toBe('1a2b 3c4d 5e6f 7081');
    expect(shortFingerprint(LAB_ROOT)).toBe(cryptoShortFingerprint(LAB_ROOT));
    const c = readyCase();
    expect(labRootText(verifiedTrust(c))).toBe('1a2b 3c4d 5e6f 7081');
    expect(labRootText(verifiedTrust(c, null))).toBe('not recorded');
  });
});

describe('closing a case', () => {
  it('is refused while a sign-off does not verify, and the frozen codes count only what verifies', () => {
    const c = readyCase();
    const ctx = { actor: tech, now: '2026-04-01T10:00:00.000Z', eventId: asEventId('ev-close') };
    const refused = applyCommand(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE }, { ...ctx, distrusted: new Set<StageId>(['imaging']) });
    expect(refused).toEqual({ ok: false, reason: 'Only a case that is ready for billing can be closed (this one is: in imaging)' });
    const closed = applyCommand(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE }, { ...ctx, distrusted: new Set() });
    expect(closed.ok && closed.case.closed?.billing.state).toBe('final');
  });
});
