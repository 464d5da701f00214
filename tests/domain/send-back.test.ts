// A signer's "not yet, because…": the send-back rule, the queue it leaves and rejoins, and
// how its record behaves with older app versions and the sync merge rules.
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/domain/case';
import { caseHash } from '../../src/domain/case-hash';
import { applyCommand, SEND_BACK_NEEDS_REASON, type Command } from '../../src/domain/commands';
import { asEventId } from '../../src/domain/ids';
import { queueKeys, queueRange } from '../../src/domain/list-index';
import { overlaps, touched } from '../../src/domain/merge';
import { changesSinceVoided } from '../../src/domain/review';
import { awaitingSignoff } from '../../src/domain/signoff-wait';
import { deriveStatus, openChangeRequest, signedContentHash, stageStates } from '../../src/domain/workflow';
import { IMAGING_VALUES, Lab, rad, SEGMENTING_VALUES, tech } from '../support/case-builder';

/** Imaging signed; segmenting recorded and ticked: waiting for the radiologist. */
function segmentingReady(lab: Lab): Case {
  let c = lab.completeImaging(lab.open());
  c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
  return lab.tickAll(c, 'segmenting');
}

const sendBack = (reason = 'The left iliac artery is missing from the model'): Command => ({ type: 'sendBack', stage: 'segmenting', reason });

describe('send back', () => {
  it('returns a stage that waits for sign-off to the technician, with who and when on the record and the reason on the audit trail', () => {
    const lab = new Lab();
    const c = segmentingReady(lab);
    expect(awaitingSignoff(c)).toMatchObject({ stage: 'segmenting', role: 'radiologist', meaning: 'Segmentation verified against source images' });
    const at = lab.now();
    const r = lab.attempt(c, sendBack(), rad, at);
    if (!r.ok) throw new Error(r.reason);
    expect(r.case.stages.segmenting.changesRequested).toMatchObject({ at, by: rad.id, byName: rad.name, role: 'radiologist' });
    expect(openChangeRequest(r.case, 'segmenting')).not.toBeNull();
    expect(r.event).toMatchObject({ type: 'sendBack', actorName: rad.name, at, changes: [{ field: 'Segmenting: changes requested', before: null, after: 'The left iliac artery is missing from the model' }] });
    expect(r.event.summary).toContain('The left iliac artery is missing');
    // Out of the queue, still in segmenting, and it cannot be signed until it changes.
    expect(awaitingSignoff(r.case)).toBeNull();
    expect(deriveStatus(r.case)).toMatchObject({ code: 'in-stage', stage: 'segmenting' });
    expect(stageStates(r.case).find((s) => s.id === 'segmenting')!.blockers[0]).toMatch(/^Changes requested by Dr\. Rita Radiologist/);
    const sign = lab.attempt(r.case, { type: 'sign', stage: 'segmenting' }, rad);
    expect(sign.ok).toBe(false);
    expect(!sign.ok && sign.reason).toMatch(/Not ready to sign: Changes requested/);
    // What a signature covers does not include the request: no signature hash moves.
    expect(signedContentHash(r.case, 'segmenting')).toBe(signedContentHash(c, 'segmenting'));
  });

  it('needs a reason: an empty or blank one is refused with a clear sentence and nothing changes', () => {
    const lab = new Lab();
    const c = segmentingReady(lab);
    for (const reason of ['', '   \n ']) {
      const r = lab.attempt(c, sendBack(reason), rad);
      expect(r).toEqual({ ok: false, reason: SEND_BACK_NEEDS_REASON });
    }
    expect(SEND_BACK_NEEDS_REASON).toMatch(/^[A-Z].*\.$/);
  });

  it('is for the stage’s signer, on a stage that waits for them, once', () => {
    const lab = new Lab();
    const c = segmentingReady(lab);
    expect(lab.attempt(c, sendBack(), tech)).toEqual({ ok: false, reason: 'Only a radiologist can send segmenting back' });
    expect(lab.attempt(c, { type: 'sendBack', stage: 'printing', reason: 'x' }, rad)).toEqual({ ok: false, reason: 'Printing is not signed off' });
    const opened = lab.open();
    expect(lab.attempt(opened, { type: 'sendBack', stage: 'imaging', reason: 'x' }, rad)).toMatchObject({ ok: false, reason: expect.stringMatching(/not waiting for sign-off/) });
    const signed = lab.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
    expect(lab.attempt(signed, sendBack(), rad)).toMatchObject({ ok: false, reason: expect.stringMatching(/not waiting for sign-off/) });
    const sent = lab.apply(c, sendBack(), rad);
    expect(lab.attempt(sent, sendBack('again'), rad)).toMatchObject({ ok: false, reason: expect.stringMatching(/already sent back/) });
    expect(lab.attempt(sent, sendBack(), { ...rad, demo: true })).toMatchObject({ ok: false });
  });

  it('a change to the stage answers it: ready for sign-off again, back in the queue, and it can be signed', () => {
    const lab = new Lab();
    const sent = lab.apply(segmentingReady(lab), sendBack(), rad);
    const changed = lab.attempt(sent, { type: 'saveStage', stage: 'segmenting', values: { segmentationNotes: 'Left iliac artery added' } }, tech);
    if (!changed.ok) throw new Error(changed.reason);
    expect(changed.case.stages.segmenting.changesRequested).toBeUndefined();
    expect(changed.event.summary).toMatch(/answers the changes requested on segmenting/);
    expect(awaitingSignoff(changed.case)).toMatchObject({ stage: 'segmenting', since: changed.case.stages.segmenting.updatedAt });
    expect(lab.attempt(changed.case, { type: 'sign', stage: 'segmenting' }, rad).ok).toBe(true);
    // A tick (untick and tick again) answers it too.
    const sent2 = lab.apply(segmentingReady(new Lab()), sendBack(), rad);
    const off = lab.apply(sent2, { type: 'tick', stage: 'segmenting', item: 'meshRepaired', done: false });
    expect(openChangeRequest(off, 'segmenting')).toBeNull();
  });

  it('a stage changed by an app that does not know send-back (the request kept, the stage changed under it) no longer counts as sent back', () => {
    const lab = new Lab();
    const ready = segmentingReady(lab);
    const sent = lab.apply(ready, sendBack(), rad);
    // What an older version's saveStage leaves: its spread keeps the field, and moves the stage on.
    const olderSave: Case = { ...sent, stages: { ...sent.stages, segmenting: { ...sent.stages.segmenting, values: { ...sent.stages.segmenting.values, softwareVersion: '26.1' }, updatedAt: lab.now(), updatedBy: tech.name } } };
    expect(olderSave.stages.segmenting.changesRequested).toBeDefined();
    expect(openChangeRequest(olderSave, 'segmenting')).toBeNull();
    expect(awaitingSignoff(olderSave)?.stage).toBe('segmenting');
    // An older version signs it as it stands (it does not know the request): the signature counts, the request no longer stands.
    const signature = lab.apply(ready, { type: 'sign', stage: 'segmenting' }, rad).stages.segmenting.signature;
    const olderSign: Case = { ...sent, stages: { ...sent.stages, segmenting: { ...sent.stages.segmenting, signature } } };
    expect(olderSign.stages.segmenting.changesRequested).toBeDefined();
    expect(openChangeRequest(olderSign, 'segmenting')).toBeNull();
    expect(stageStates(olderSign).find((s) => s.id === 'segmenting')!.complete).toBe(true);
  });

  it('a case that was never sent back keeps its hash: the field is absent, never null', () => {
    const lab = new Lab();
    const c = segmentingReady(lab);
    expect('changesRequested' in c.stages.segmenting).toBe(false);
    const answered = lab.apply(lab.apply(c, sendBack(), rad), { type: 'saveStage', stage: 'segmenting', values: { softwareVersion: '26.1' } });
    expect('changesRequested' in answered.stages.segmenting).toBe(false);
    expect(caseHash(answered)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('touches everything for the sync merge: a send-back made apart never merges by itself with another device’s change', () => {
    const lab = new Lab();
    const c = segmentingReady(lab);
    const mine = lab.attempt(c, sendBack(), rad);
    const theirs = lab.attempt(c, { type: 'saveStage', stage: 'imaging', values: { ...IMAGING_VALUES, contrastPhase: 'venous' } }, tech);
    if (!mine.ok || !theirs.ok) throw new Error('setup');
    expect(touched({ event: mine.event, command: sendBack() })).toBeNull();
    expect(overlaps({ event: mine.event, command: sendBack() }, [{ event: theirs.event, command: null }])).toBe(true);
    expect(overlaps({ event: theirs.event, command: { type: 'saveStage', stage: 'imaging', values: {} } }, [{ event: mine.event, command: sendBack() }])).toBe(true);
  });

  it('a command kind this version does not know is refused, not half-applied', () => {
    const lab = new Lab();
    const c = lab.open();
    const r = applyCommand(c, { type: 'measurePartQa', stage: 'printing' } as unknown as Command, { actor: tech, now: lab.now(), eventId: asEventId('e') });
    expect(r).toEqual({ ok: false, reason: 'This change was made by a newer version of Printpath: update the app to apply it' });
  });

  it('what changed since a voided signature comes from the trail: before and after, after the voided one was made', () => {
    const lab = new Lab();
    const signed = lab.apply(segmentingReady(lab), { type: 'sign', stage: 'segmenting' }, rad);
    expect(changesSinceVoided(signed, 'segmenting', lab.events)).toBeNull();
    const edited = lab.apply(signed, { type: 'saveStage', stage: 'segmenting', values: { softwareVersion: '27.0' } });
    const since = changesSinceVoided(edited, 'segmenting', lab.events)!;
    expect(since.voided).toMatchObject({ signerName: rad.name, reason: 'Changed: Software version' });
    expect(since.events.flatMap((e) => e.changes)).toEqual([{ field: 'Software version', before: '26.0', after: '27.0' }]);
  });
});

describe('the sign-off queue', () => {
  it('orders by priority (emergent, urgent, routine), then date needed, then case number, in one key range per role', () => {
    const wait = { stage: 'segmenting' as const, role: 'radiologist' as const, meaning: 'm', since: '2026-03-01T00:00:00.000Z' };
    const cases = [
      { n: 'PP-5', priority: 'routine', date: '2026-03-01' },
      { n: 'PP-1', priority: 'urgent', date: '2026-04-10' },
      { n: 'PP-2', priority: 'emergent', date: '2026-05-01' },
      { n: 'PP-3', priority: 'urgent', date: '2026-03-20' },
      { n: 'PP-4', priority: 'routine', date: '2026-03-01' },
      { n: 'PP-6', priority: 'emergent', date: '2026-04-01' },
    ] as const;
    const keys = cases.map((x) => ({ n: x.n, key: queueKeys(wait, x.priority, x.date, x.n).signoffSort! }));
    expect(keys.sort((a, b) => (a.key < b.key ? -1 : 1)).map((k) => k.n)).toEqual(['PP-6', 'PP-2', 'PP-3', 'PP-1', 'PP-4', 'PP-5']);
    const { lower, upper } = queueRange('radiologist');
    for (const k of keys) expect(k.key >= lower && k.key < upper).toBe(true);
    const other = queueKeys({ ...wait, role: 'admin' }, 'routine', '2026-01-01', 'X').signoffSort!;
    expect(other >= lower && other < upper).toBe(false);
    expect(queueKeys(null, 'urgent', '2026-01-01', 'X')).toEqual({});
  });

  it('holds a case while a stage waits for its signer only: not before it is ready, not once signed, sent back, cancelled', () => {
    const lab = new Lab();
    let c = lab.open();
    expect(awaitingSignoff(c)).toBeNull();
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
    expect(awaitingSignoff(c)).toBeNull(); // checklist not ticked
    c = lab.tickAll(c, 'imaging');
    const ready = awaitingSignoff(c)!;
    expect(ready).toMatchObject({ stage: 'imaging', meaning: 'Imaging adequate for segmentation', since: c.stages.imaging.updatedAt });
    const signed = lab.apply(c, { type: 'sign', stage: 'imaging' }, rad);
    expect(awaitingSignoff(signed)).toBeNull();
    expect(awaitingSignoff(lab.apply(c, { type: 'cancel', reason: 'Surgery cancelled' }))).toBeNull();
    // Since: the later of the stage's last change and the earlier stage's signature.
    const seg = segmentingReady(new Lab());
    expect(awaitingSignoff(seg)!.since).toBe(seg.stages.segmenting.updatedAt);
  });
});
