import { describe, expect, it } from 'vitest';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { deriveStatus } from '../../src/domain/workflow';
import { asUserId } from '../../src/domain/ids';

const tech = { id: asUserId('u-tech'), name: 'Tess Tech', roles: ['technician'] as const };
const rad = { id: asUserId('u-rad'), name: 'Dr. Rita Rad', roles: ['radiologist'] as const };

describe('demo case generator', () => {
  it('takes cases as far as asked, through the real commands', () => {
    let n = 0;
    const newId = () => `id-${n++}`;
    const expected = ['In imaging', 'In segmenting', 'In printing', 'In delivery'];
    for (let progress = 0; progress <= 5; progress++) {
      for (let i = 0; i < 20; i++) {
        const g = generateCase(seededRng(i * 7 + progress), { index: i, openedAt: '2026-03-01T08:00:00.000Z', technician: tech, radiologist: rad, progress, newId, caseNumber: `PP-2026-T1-${i}` });
        const status = deriveStatus(g.case);
        if (progress < 4) expect(status.label).toBe(expected[progress]);
        else if (progress === 4) expect(['ready-for-billing', 'awaiting-use']).toContain(status.code);
        else expect(status.code).toBe('closed');
        expect(g.events[0]!.type).toBe('create');
        expect(g.case.demo, 'a test or benchmark case is not marked demo').toBe(false);
      }
    }
  });

  it('marks its cases as demo when asked, and then demo people can take them all the way', () => {
    const demoTech = { ...tech, demo: true }, demoRad = { ...rad, demo: true };
    let n = 0;
    const options = { index: 1, openedAt: '2026-03-01T08:00:00.000Z', technician: demoTech, radiologist: demoRad, progress: 5, newId: () => `id-${n++}`, caseNumber: 'PP-2026-T1-1' };
    const g = generateCase(seededRng(3), { ...options, demo: true });
    expect(g.case.demo).toBe(true);
    expect(deriveStatus(g.case).code).toBe('closed');
    expect(g.case.stages.imaging.signature?.signerName).toBe('Dr. Rita Rad (demo)');
    // Not marked, the same case is a real one: its demo radiologist may not sign it.
    expect(() => generateCase(seededRng(3), options)).toThrow('Demo people cannot sign real cases');
  });
});
