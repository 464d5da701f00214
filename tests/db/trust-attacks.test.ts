// Issue 11's attacks, made on the stored data directly (as someone with the tablet
// unlocked and the developer tools open would), checked through what the app reports.
// The browser versions, through IndexedDB and the PDF, are in tests/e2e/attacks.spec.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type CaseRow } from '../../src/db/database';
import { getCase, getCaseView } from '../../src/db/case-view-repo';
import { openCaseEntry, openedEventCount } from '../../src/db/audit-repo';
import { runCommand } from '../../src/db/case-commands';
import { signStage } from '../../src/db/signing';
import { signIn as unlock } from '../../src/db/accounts';
import { listUsers } from '../../src/db/user-repo';
import { lock, requireUnlock } from '../../src/db/vault';
import { entryHash, chainHead, type AuditEntry } from '../../src/domain/audit-chain';
import { signatureText, signedContentHash } from '../../src/domain/workflow';
import { asCaseId, type CaseId } from '../../src/domain/ids';
import { newSigningKeyPair, publicKeyFingerprint, signText, unwrapSigningKey } from '../../src/crypto/signing-keys';
import { deriveSecretKeys } from '../../src/crypto/secret-keys';
import { order } from '../support/orders';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';
import { loadDemoCases } from '../../src/db/demo-repo';

let caseId: CaseId;
const RAD = 'Dr. Rita Rad';

beforeEach(async () => {
  await resetDatabase();
  await signIn(RAD, ['radiologist']);
  await signIn('Tess Tech', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input: order() });
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-18', accessionNumber: 'A1', sliceThicknessMm: 0.6 } });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
  await signIn(RAD, ['radiologist']);
  await signStage(caseId, 'imaging', TEST_PIN);
  await signIn('Tess Tech', ['technician']);
});

const row = async () => (await db.cases.get(caseId))!;

/** Edits the stored case as developer tools would: the clear part, with the status index left as is. */
async function editRow(edit: (r: CaseRow) => void): Promise<void> {
  const r = await row();
  edit(r);
  await db.cases.put(r);
}

describe('attacks on a tablet’s storage', () => {
  it('1. a signature forged with a key the attacker added to the radiologist’s row does not verify, and the row shows as tampered', async () => {
    // The technician makes a key pair of their own and adds its public half to the radiologist's row.
    const { kek } = await deriveSecretKeys('attacker', { salt: 'AAAAAAAAAAAAAAAAAAAAAA==', iterations: 1000, hash: 'SHA-256' });
    const pair = await newSigningKeyPair(kek);
    const fingerprint = await publicKeyFingerprint(pair.publicKeyJwk);
    const rad = (await db.users.where('name').equals(RAD).first())!;
    await db.users.update(rad.id, { signingKeys: [...rad.signingKeys, { fingerprint, publicKeyJwk: pair.publicKeyJwk, createdAt: rad.createdAt }] });
    // CT → MR, 0.6 → 5 mm, and a signature over the new content with the attacker's key.
    const privateKey = await unwrapSigningKey(pair.wrappedPrivateKey, kek);
    const before = (await getCase(caseId))!.case;
    const forged = { ...before, stages: { ...before.stages, imaging: { ...before.stages.imaging, values: { ...before.stages.imaging.values, modality: 'MR', sliceThicknessMm: 5 } } } };
    const manifest = { ...before.stages.imaging.signature!, contentHash: signedContentHash(forged, 'imaging'), keyFingerprint: fingerprint };
    const value = await signText(privateKey, signatureText(caseId, 'imaging', manifest));
    await editRow((r) => {
      r.clear.stages.imaging.values = { ...r.clear.stages.imaging.values, modality: 'MR', sliceThicknessMm: 5 };
      r.clear.stages.imaging.signature = { ...manifest, value };
    });
    const view = (await getCaseView(caseId))!;
    expect(view.signatures.imaging).toBe('not-verified');
    expect(view.verdicts.imaging!.text).toMatch(/not made with a key the lab log registers for Dr. Rita Rad/);
    expect(view.record.state).toBe('failed');
    expect((await listUsers()).find((u) => u.name === RAD)!.problem).toMatch(/sign-off keys differ from the lab’s signed log/);
    await lock();
    await expect(unlock(rad.id, TEST_PIN)).rejects.toThrow(/does not verify/);
  });

  it('2. roles added to one’s own row give nothing: no admin, no radiologist, and the row shows as tampered', async () => {
    const tess = requireUnlock().actor.id;
    await db.users.update(tess, { roles: ['technician', 'radiologist', 'admin'] });
    expect((await listUsers()).find((u) => u.id === tess)!.problem).toMatch(/roles differ/);
    await lock();
    await expect(unlock(tess, TEST_PIN)).rejects.toThrow(/Tess Tech’s entry on this tablet does not verify: its roles differ/);
  });

  it('4. a chain rebuilt after deleting the sign entry (hashes and head recomputed) does not verify: the signatures cover the old links', async () => {
    await runCommand(caseId, { type: 'saveStage', stage: 'segmenting', values: { software: 'Mimics 26' } });
    const entries = await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).toArray();
    const signAt = entries.findIndex((e) => e.kind === 'sign');
    const rebuilt: AuditEntry[] = [];
    for (const e of entries.filter((_, i) => i !== signAt)) {
      const prev = rebuilt.at(-1);
      const moved = { ...e, seq: rebuilt.length + 1, prevHash: prev?.hash ?? '0'.repeat(64), parents: [prev?.hash ?? '0'.repeat(64)] };
      rebuilt.push({ ...moved, hash: entryHash(moved) });
    }
    await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).delete();
    await db.audit.bulkAdd(rebuilt);
    await editRow((r) => {
      r.auditHead = chainHead(rebuilt.at(-1)!, caseId);
    });
    const history = (await getCase(caseId))!.history;
    expect(history.ok).toBe(false);
    expect(!history.ok && history.reason).toMatch(/not signed by its author’s key/);
  });

  it('an entry altered after its signature was verified (and remembered) is caught on the next opening: its hash, so what was signed, differs', async () => {
    const opened = (await getCase(caseId))!;
    expect(opened.history.ok).toBe(true);
    expect(opened.record.state).toBe('verified');
    // The last entry said to be by someone else, its hash and the stored head recomputed to match.
    const last = (await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).last())!;
    const altered = { ...last, actorName: 'Someone Else' };
    const rehashed = { ...altered, hash: entryHash(altered) };
    await db.audit.put(rehashed);
    await editRow((r) => {
      r.auditHead = chainHead(rehashed, caseId);
    });
    const again = (await getCase(caseId))!;
    expect(again.record).toMatchObject({ state: 'failed', text: expect.stringMatching(/not signed by its author’s key/) });
    expect(again.history.ok).toBe(false);
    expect(!again.history.ok && again.history.reason).toMatch(/not signed by its author’s key/);
  });

  it('an entry altered in place after its hash was computed (and remembered) is caught on the next reading: its text, so its hash, differs', async () => {
    expect((await getCase(caseId))!.history.ok).toBe(true);
    const entries = await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).toArray();
    const second = entries[1]!;
    await db.audit.put({ ...second, at: '2020-01-01T00:00:00.000Z' }); // its stored hash left as it was
    const again = (await getCase(caseId))!.history;
    expect(again).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry 2 was altered' });
  });

  it('an entry whose sealed body is swapped after it was opened (and its event remembered) shows what it now holds, and is caught', async () => {
    const first = (await getCase(caseId))!;
    expect(first.history.ok).toBe(true);
    const entries = await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).toArray();
    const [, second, third] = entries;
    // The third entry's sealed event (same case, so it opens) put into the second, its stored hash left as it was.
    await db.audit.put({ ...second!, body: third!.body });
    const again = (await getCase(caseId))!;
    expect(again.history).toMatchObject({ ok: false, brokenAt: 2, reason: 'entry 2 was altered' });
    expect(again.events.map((e) => e.id)).toEqual([first.events[0]!.id, first.events[2]!.id, ...first.events.slice(2).map((e) => e.id)]);
  });

  it('the opened history entries it remembers are dropped at a lock', async () => {
    expect((await getCase(caseId))!.history.ok).toBe(true);
    expect(openedEventCount()).toBeGreaterThan(0);
    await lock();
    expect(openedEventCount()).toBe(0);
  });

  it('a history longer than one slice of checks verifies whole and in order; an entry altered in a later slice is caught', async () => {
    for (let i = 0; i < 20; i++) await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: i % 2 === 1 });
    const whole = (await getCase(caseId))!;
    const stored = await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).toArray();
    expect(stored.length).toBeGreaterThan(20);
    expect(whole.history).toMatchObject({ ok: true, count: stored.length });
    const each = await Promise.all(stored.map((e) => openCaseEntry(e, caseId, requireUnlock().dataKey)));
    expect(whole.events).toEqual(each.map((o) => o.event));
    const late = stored[stored.length - 3]!;
    await db.audit.put({ ...late, actorName: 'Someone Else' });
    expect((await getCase(caseId))!.history).toMatchObject({ ok: false, brokenAt: late.seq });
  });

  it('a case row edited in storage (use in care, which drives billing) no longer matches its signed history', async () => {
    await editRow((r) => {
      r.clear.order = { ...r.clear.order, priority: 'emergent' };
    });
    const view = (await getCaseView(caseId))!;
    expect(view.record).toMatchObject({ state: 'failed', text: expect.stringMatching(/changed outside Printpath/) });
  });

  it('a change to a case row edited in storage is refused with a sentence, and nothing is written: it would sign the edit as if Printpath had made it', async () => {
    await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: false }); // the write just made is remembered as proved
    await editRow((r) => {
      r.clear.order = { ...r.clear.order, priority: 'emergent' };
    });
    const before = { row: await row(), entries: await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).count() };
    await expect(runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true })).rejects.toThrow(
      /^Nothing was saved: this case’s stored record does not verify, and a change would sign it as if Printpath had made it\. Does not verify: the stored case was changed outside Printpath/,
    );
    expect(await row()).toEqual(before.row);
    expect(await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).count()).toBe(before.entries);
    expect((await getCaseView(caseId))!.record.state).toBe('failed');
  });

  it('every demo case verifies as written: its record matches its signed history, its signatures and entries verify', async () => {
    await signIn(ADMIN, ['admin']);
    await loadDemoCases(12, TEST_PIN);
    for (const r of await db.cases.toArray()) {
      const c = (await getCase(r.id as CaseId))!;
      expect(c.record.state, r.caseNumber).toBe('verified');
      expect(c.history.ok, r.caseNumber).toBe(true);
      expect(Object.values(c.signatures).every((s) => s === 'verified'), r.caseNumber).toBe(true);
    }
  });

  it('an untouched case verifies: record, signatures and history', async () => {
    const c = (await getCase(caseId))!;
    expect(c.record.state).toBe('verified');
    expect(c.signatures.imaging).toBe('verified');
    expect(c.history.ok).toBe(true);
    expect(c.people.state).toBe('verified');
    expect(c.labRoot).toMatch(/^[0-9a-f]{64}$/);
  });
});
