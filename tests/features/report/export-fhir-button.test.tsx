import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import type { FhirBundle } from '../../../src/domain/fhir-export';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { readAllCasesForExport } from '../../../src/db/export-repo';
import type { Case } from '../../../src/domain/case';
import { Lab } from '../../support/case-builder';
import { validateR4Bundle } from '../../support/fhir-r4';
import { TEST_PIN, renderApp, resetDatabase, signIn } from '../../support/render-app';
import { captureDownloads } from '../../support/downloads';
import { storeBuiltCase } from '../../support/store-case';

// The PDF needs the bundled font (fetched in the browser): a stand-in PDF here.
vi.mock('../../../src/features/report/case-pdf', async (original) => ({
  ...(await original<typeof import('../../../src/features/report/case-pdf')>()),
  renderCasePdf: vi.fn(async () => new TextEncoder().encode('%PDF-1.7 stand-in')),
}));

describe('FHIR export on the case page', () => {
  let c: Case;

  beforeEach(async () => {
    await resetDatabase();
    await signIn('Tess Technician', ['technician']);
  });

  async function openCodes() {
    const view = renderApp(<CasePage />, { route: `/cases/${c.id}`, path: '/cases/:caseId' });
    await view.user.click(within(await screen.findByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
    const card = within((await screen.findByRole('heading', { name: 'FHIR R4 export' })).closest('section') as HTMLElement);
    return { ...view, card };
  }

  it('says the file holds patient data, then saves case-<number>.fhir.json, a valid R4 Bundle with the signatures and the PDF', { timeout: 20_000 }, async () => {
    // Demo cases carry real digital signatures, which verify: each becomes a Provenance.
    await signIn('Lab Admin', ['admin']);
    await loadDemoCases(6, TEST_PIN);
    c = (await readAllCasesForExport()).find((x) => x.closed)!;
    const files = captureDownloads();
    const { user, card } = await openCodes();
    await user.click(card.getByRole('button', { name: 'Export FHIR bundle' }));
    const warning = card.getByRole('group', { name: 'Patient data in the FHIR file' });
    expect(warning).toHaveTextContent('The FHIR file holds patient data in the clear');
    expect(files).toEqual([]);
    await user.click(within(warning).getByRole('button', { name: 'Save FHIR file with patient data' }));
    // The first export loads the FHIR mapping and the PDF library: slow under jsdom.
    expect(await card.findByRole('status', {}, { timeout: 15_000 })).toHaveTextContent('FHIR file downloaded');

    expect(files.map((f) => f.name)).toEqual([`case-${c.caseNumber}.fhir.json`]);
    expect(files[0]!.blob.type).toBe('application/fhir+json');
    const bundle = JSON.parse(await files[0]!.blob.text()) as FhirBundle;
    expect(validateR4Bundle(bundle)).toEqual([]);
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types.slice(0, 5)).toEqual(['Patient', 'ServiceRequest', 'Procedure', 'Provenance', 'Provenance']);
    expect(types).toContain('ChargeItem');
    expect(types.at(-1)).toBe('DocumentReference');
    const doc = bundle.entry.at(-1)!.resource as { content: { attachment: { data: string; title: string } }[] };
    expect(atob(doc.content[0]!.attachment.data)).toBe('%PDF-1.7 stand-in');
    expect(doc.content[0]!.attachment.title).toBe(`case-${c.caseNumber}.pdf`);
  });

  it('leaves the PDF out when unticked, and saves nothing on Cancel', { timeout: 20_000 }, async () => {
    const lab = new Lab();
    c = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis', 'Sacrum'])] });
    await storeBuiltCase(c);
    const files = captureDownloads();
    const { user, card } = await openCodes();
    await user.click(card.getByRole('button', { name: 'Export FHIR bundle' }));
    await user.click(card.getByRole('button', { name: 'Cancel' }));
    expect(files).toEqual([]);

    await user.click(card.getByRole('checkbox', { name: 'Include the case summary PDF' }));
    await user.click(card.getByRole('button', { name: 'Export FHIR bundle' }));
    await user.click(card.getByRole('button', { name: 'Save FHIR file with patient data' }));
    await card.findByRole('status', {}, { timeout: 15_000 });
    const bundle = JSON.parse(await files[0]!.blob.text()) as FhirBundle;
    expect(bundle.entry.map((e) => e.resource.resourceType)).not.toContain('DocumentReference');
    // Stored without a digital signature (test builder): the sign-offs do not verify, so no Provenance.
    expect(bundle.entry.map((e) => e.resource.resourceType)).not.toContain('Provenance');
  });
});
