import { describe, expect, it } from 'vitest';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { asUserId } from '../../src/domain/ids';
import { joinPhi, splitPhi } from '../../src/domain/phi';
import { canonicalJson } from '../../src/domain/canonical';

const tech = { id: asUserId('t'), name: 'Tess', roles: ['technician'] as const };
const rad = { id: asUserId('r'), name: 'Dr. Rad', roles: ['radiologist'] as const };

describe('splitPhi / joinPhi', () => {
  it('round-trips every generated case exactly, and leaves no patient identifier or PHI free text in the clear part', () => {
    let n = 0;
    for (let i = 0; i < 60; i++) {
      const { case: c } = generateCase(seededRng(i), { index: i, openedAt: '2026-05-01T08:00:00.000Z', technician: tech, radiologist: rad, progress: i % 6, newId: () => `id${n++}`, caseNumber: `PP-${i}` });
      const withText = { ...c, stages: { ...c.stages, imaging: { ...c.stages.imaging, values: { ...c.stages.imaging.values, imagingNotes: `Patient ${c.phi.patientName} moved` } } } };
      const { clear, phi } = splitPhi(withText);
      expect(canonicalJson(joinPhi(clear, phi))).toBe(canonicalJson(withText));
      const clearText = JSON.stringify(clear);
      for (const secret of [c.phi.patientName, c.phi.mrn, c.phi.dateOfBirth, c.phi.indication]) expect(clearText).not.toContain(secret);
      expect(clearText).not.toContain('moved');
    }
  });

  it('keeps a cancellation reason out of the clear part', () => {
    const { case: c } = generateCase(seededRng(3), { index: 0, openedAt: '2026-05-01T08:00:00.000Z', technician: tech, radiologist: rad, progress: 1, newId: () => crypto.randomUUID(), caseNumber: 'PP-1' });
    const cancelled = { ...c, cancelled: { at: c.updatedAt, by: tech.id, byName: tech.name, reason: 'Patient Jane Roe died' } };
    const { clear, phi } = splitPhi(cancelled);
    expect(JSON.stringify(clear)).not.toContain('Jane Roe');
    expect(joinPhi(clear, phi).cancelled?.reason).toBe('Patient Jane Roe died');
  });
});
