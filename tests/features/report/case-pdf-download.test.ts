// Runs in jsdom: the download goes through a Blob URL and a clicked link, as in the browser.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caseSummary } from '../../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { verifiedTrust } from '../../support/trust';
import { generateCase, seededRng } from '../../../src/domain/demo-cases';
import { asUserId } from '../../../src/domain/ids';
import { downloadCasePdf } from '../../../src/features/report/case-pdf';

const regular = readFileSync(resolve(process.cwd(), 'node_modules/@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'));

afterEach(() => {
  vi.useRealTimers();
  Reflect.deleteProperty(URL, 'createObjectURL');
  Reflect.deleteProperty(URL, 'revokeObjectURL');
});

describe('downloadCasePdf', () => {
  it('downloads a PDF named after the case number only, then lets go of the blob', { timeout: 30_000 }, async () => {
    let n = 0;
    const tech = { id: asUserId('t'), name: 'Tess Tech', roles: ['technician'] as const };
    const rad = { id: asUserId('r'), name: 'Dr. Rita Rad', roles: ['radiologist'] as const };
    const g = generateCase(seededRng(7), { index: 7, openedAt: '2026-03-01T08:00:00.000Z', technician: tech, radiologist: rad, progress: 5, newId: () => `id-${n++}`, caseNumber: 'PP-2026-T1-0007' });
    const c = { ...g.case, phi: { ...g.case.phi, patientName: 'Łukasz Żółć' } };
    const summary = caseSummary(c, g.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-01T12:00:00.000Z' });

    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => (blobs.push(blob), 'blob:printpath/1'));
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download, attached: this.isConnected });
    });
    vi.useFakeTimers({ toFake: ['setTimeout'] });

    await downloadCasePdf(summary, { loadFonts: async () => ({ regular }) });

    expect(clicks).toEqual([{ href: 'blob:printpath/1', download: 'case-PP-2026-T1-0007.pdf', attached: true }]);
    expect(clicks[0]!.download).not.toMatch(/Łukasz|Żółć/);
    expect(blobs[0]!.type).toBe('application/pdf');
    const head = new Uint8Array(await blobs[0]!.slice(0, 5).arrayBuffer());
    expect(new TextDecoder().decode(head)).toBe('%PDF-');
    expect(document.querySelector('a[download]')).toBeNull();
    expect(revokeObjectURL).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:printpath/1');
  });
});
