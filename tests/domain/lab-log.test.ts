import { describe, expect, it } from 'vitest';
import { appendEntry, type AuditEntry } from '../../src/domain/audit-chain';
import { foldLabLog, keyFingerprint, rowDisagreement, type LabEvent, type MemberRecord, type PublicKey } from '../../src/domain/lab-log';
import type { Role } from '../../src/domain/case';

// Keys are only compared here (signatures are checked by the caller and passed in as sigOk).
const key = (n: number): PublicKey => ({ kty: 'EC', crv: 'P-256', x: `x${String(n).padStart(42, '0')}`, y: `y${String(n).padStart(42, '0')}` });
const fp = (n: number) => keyFingerprint(key(n));

const person = (id: string, roles: Role[], n: number, extra: Partial<MemberRecord> = {}): MemberRecord => ({
  id, name: id.toUpperCase(), roles, active: true, demo: false, signingKeys: [key(n)], entryKeys: [key(n + 100)], ...extra,
});

const ADA = person('ada', ['admin'], 1);
const TESS = person('tess', ['technician'], 2);
const RAD = person('rad', ['radiologist'], 3);

type Step = { by: string; keyId: string; event: LabEvent; sig?: boolean; v1?: boolean };

/** A lab log of these steps; `sig: false` marks an entry whose signature does not verify. */
function log(steps: Step[]) {
  const entries: AuditEntry[] = [];
  const bad = new Set<AuditEntry>();
  steps.forEach((s, i) => {
    const e = appendEntry(entries.at(-1) ?? null, {
      chain: 'lab', at: `2026-12-01T10:00:${String(i).padStart(2, '0')}Z`, actorId: s.by, actorName: s.by, kind: s.event.kind, body: s.event,
      ...(s.v1 ? {} : { id: `e${i}`, hlc: `h${i}`, keyId: s.keyId }),
    });
    entries.push(e);
    if (s.sig === false) bad.add(e);
  });
  return foldLabLog(entries, (e) => !bad.has(e));
}

const setUp: Step = { by: 'ada', keyId: fp(1), event: { kind: 'tablet-set-up', summary: 'set up', subjectId: 'ada', member: ADA } };
const add = (m: MemberRecord, by = 'ada', keyId = fp(1), sig = true): Step => ({ by, keyId, sig, event: { kind: 'user-added', summary: 'added', subjectId: m.id, member: m } });
const roles = (subject: string, r: Role[], by = 'ada', keyId = fp(1)): Step => ({ by, keyId, event: { kind: 'roles-changed', summary: 'roles', subjectId: subject, roles: r } });

describe('the lab log: who holds which roles and keys', () => {
  it('starts from the first admin’s sign-off key, which is the root', () => {
    const lab = log([setUp, add(TESS), add(RAD)]);
    expect(lab.root).toBe(fp(1));
    expect([...lab.members.keys()]).toEqual(['ada', 'tess', 'rad']);
    expect(lab.refused).toEqual([]);
  });

  it.each<[string, Step, RegExp]>([
    ['a technician adds a person', add(RAD, 'tess', fp(2)), /not signed by an active lab admin/],
    ['an admin signs with the entry key (being signed in), not the sign-off key', add(RAD, 'ada', fp(101)), /not signed by an active lab admin’s own key/],
    ['an admin entry whose signature does not verify', add(RAD, 'ada', fp(1), false), /signature that does not verify/],
    ['someone not on the log adds a person', add(RAD, 'mallory', fp(9)), /not on the lab log/],
  ])('refuses, and applies nothing, when %s', (_name, step, reason) => {
    const lab = log([setUp, add(TESS), step]);
    expect(lab.members.has('rad')).toBe(false);
    expect(lab.refused.map((r) => r.reason).join()).toMatch(reason);
  });

  it('never lets a person grant themselves a role, even an admin', () => {
    const lab = log([setUp, roles('ada', ['admin', 'radiologist'])]);
    expect(lab.members.get('ada')!.roles).toEqual(['admin']);
    expect(lab.refused[0]!.reason).toMatch(/granted a role to themselves/);
  });

  it('another admin can grant a role; a role once held stays in heldRoles when taken away', () => {
    const bo = person('bo', ['admin'], 4);
    const lab = log([setUp, add(bo), add(TESS), roles('tess', ['technician', 'radiologist'], 'bo', fp(4)), roles('tess', ['technician'])]);
    expect(lab.members.get('tess')!.roles).toEqual(['technician']);
    expect(lab.members.get('tess')!.heldRoles).toEqual(['technician', 'radiologist']);
    expect(lab.refused).toEqual([]);
  });

  it('keeps the lab with an admin: the last one can be neither disabled nor demoted', () => {
    const lab = log([setUp, add(TESS), roles('ada', ['technician']), { by: 'ada', keyId: fp(1), event: { kind: 'user-disabled', summary: 'off', subjectId: 'ada' } }]);
    expect(lab.members.get('ada')).toMatchObject({ roles: ['admin'], active: true });
    expect(lab.refused).toHaveLength(2);
  });

  it('a secret reset adds the new keys and keeps the old ones, so old signatures still verify', () => {
    const lab = log([setUp, add(RAD), { by: 'ada', keyId: fp(1), event: { kind: 'secret-reset', summary: 'reset', subjectId: 'rad', signingKey: key(30), entryKey: key(31) } }]);
    expect(lab.members.get('rad')!.signingKeys.map(keyFingerprint)).toEqual([fp(3), fp(30)]);
    expect(lab.members.get('rad')!.entryKeys.map(keyFingerprint)).toEqual([fp(103), fp(31)]);
  });

  it('a person registers their own new entry key with their sign-off key, nobody else can', () => {
    const own: Step = { by: 'tess', keyId: fp(2), event: { kind: 'entry-key-set', summary: 'k', subjectId: 'tess', entryKey: key(50) } };
    const other: Step = { by: 'ada', keyId: fp(1), event: { kind: 'entry-key-set', summary: 'k', subjectId: 'tess', entryKey: key(51) } };
    const lab = log([setUp, add(TESS), own, other]);
    expect(lab.members.get('tess')!.entryKeys.map(keyFingerprint)).toEqual([fp(102), fp(50)]);
    expect(lab.refused).toHaveLength(1);
  });

  it('refuses a second start, and trusts nothing before a start', () => {
    const mallory = person('mallory', ['admin'], 9);
    const restart: Step = { by: 'mallory', keyId: fp(9), event: { kind: 'tablet-set-up', summary: 'again', subjectId: 'mallory', member: mallory } };
    expect(log([setUp, restart]).members.has('mallory')).toBe(false);
    const early = log([add(TESS), setUp]);
    expect(early.members.has('tess')).toBe(false);
    expect(early.refused[0]!.reason).toMatch(/before the lab log was started/);
  });

  it('an unsigned start, or one by a non-admin, leaves the lab without a root', () => {
    expect(log([{ ...setUp, sig: false }]).root).toBeNull();
    expect(log([{ by: 'tess', keyId: fp(2), event: { kind: 'tablet-set-up', summary: 's', subjectId: 'tess', member: TESS } }]).root).toBeNull();
  });

  it('an upgraded tablet: entries before the signed log are skipped; its start attests everyone then and the case heads', () => {
    const lab = log([
      { by: 'ada', keyId: '', v1: true, event: { kind: 'user-added', summary: 'legacy', subjectId: 'tess', member: { ...TESS, roles: ['admin'] } } },
      { by: 'ada', keyId: fp(1), event: { kind: 'signed-log-started', summary: 'start', subjectId: 'ada', members: [ADA, { ...TESS, entryKeys: [] }], legacyCases: { c1: 'a'.repeat(64) } } },
    ]);
    expect(lab.root).toBe(fp(1));
    expect(lab.members.get('tess')!.roles).toEqual(['technician']);
    expect(lab.legacyCases).toEqual({ c1: 'a'.repeat(64) });
  });

  it('ordinary entries must be signed with a key of their author', () => {
    const signIn = (keyId: string): Step => ({ by: 'tess', keyId, event: { kind: 'sign-in', summary: 'in', subjectId: 'tess' } });
    expect(log([setUp, add(TESS), signIn(fp(102))]).refused).toEqual([]);
    expect(log([setUp, add(TESS), signIn(fp(101))]).refused[0]!.reason).toMatch(/not signed with a key of TESS/);
  });
});

describe('a stored person against the log', () => {
  const lab = log([setUp, add(TESS)]);
  const row = (m: MemberRecord) => ({ ...m, signingKeys: m.signingKeys.map((k) => ({ publicKeyJwk: k })), entryKeys: m.entryKeys.map((k) => ({ publicKeyJwk: k })) });

  it('agrees when nothing was edited', () => expect(rowDisagreement(row(TESS), lab.members.get('tess'))).toBeNull());

  it.each<[string, Partial<MemberRecord>, RegExp]>([
    ['roles escalated in storage', { roles: ['technician', 'radiologist', 'admin'] }, /roles/],
    ['a public key of the attacker’s own added', { signingKeys: [key(2), key(66)] }, /sign-off keys/],
    ['a public key swapped', { signingKeys: [key(66)] }, /sign-off keys/],
    ['renamed', { name: 'Dr. Someone' }, /name/],
    ['re-enabled', { active: false }, /active/],
  ])('disagrees when %s', (_n, edit, reason) => {
    expect(rowDisagreement(row({ ...TESS, ...edit }), lab.members.get('tess'))).toMatch(reason);
  });

  it('a person the log does not know is not trusted', () => expect(rowDisagreement(row(RAD), lab.members.get('rad'))).toMatch(/not on the lab’s signed log/));
});

describe('a person’s own new secret', () => {
  const change = (by: string, subject: string, keyId: string): Step => ({ by, keyId, event: { kind: 'secret-changed', summary: 'c', subjectId: subject, signingKey: key(70), entryKey: key(71) } });

  it('adds new keys when signed with the person’s own sign-off key', () => {
    const lab = log([setUp, add(TESS), change('tess', 'tess', fp(2))]);
    expect(lab.members.get('tess')!.signingKeys.map(keyFingerprint)).toEqual([fp(2), fp(70)]);
  });

  it('is refused for someone else, even from an admin, or signed with an entry key', () => {
    expect(log([setUp, add(TESS), change('ada', 'tess', fp(1))]).refused).toHaveLength(1);
    expect(log([setUp, add(TESS), change('tess', 'tess', fp(102))]).refused).toHaveLength(1);
  });
});
