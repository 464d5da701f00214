import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import type { Case } from '../../../src/domain/case';
import { parseDicomHeader } from '../../../src/domain/dicom';
import { STANDALONE_DEVICE } from '../../../src/queries/dicom-equipment';
import { IMAGING_VALUES, Lab, rad } from '../../support/case-builder';
import { captureDownloads } from '../../support/downloads';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

// The PDF needs the bundled font (fetched in the browser): a stand-in PDF here.
const STAND_IN = '%PDF-1.7 stand-in';
vi.mock('../../../src/features/report/case-pdf', async (original) => ({
  ...(await original<typeof import('../../../src/features/report/case-pdf')>()),
  renderCasePdf: vi.fn(async () => new TextEncoder().encode(STAND_IN)),
}));

const CT_STUDY_UID = '1.2.826.0.1.3680043.10.543.77';

/** A case through imaging with these imaging values (the study UID typed or read from a DICOM file). */
function caseWithImaging(values: Record<string, string>): Case {
  const lab = new Lab();
  let c = lab.open([lab.model('Pelvis model', ['Pelvis'])]);
  c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { ...IMAGING_VALUES, ...values } });
  c = lab.tickAll(c, 'imaging');
  return lab.apply(c, { type: 'sign', stage: 'imaging' }, rad);
}

async function openCodes(c: Case) {
  await storeBuiltCase(c);
  const view = renderApp(<CasePage />, { route: `/cases/${c.id}`, path: '/cases/:caseId' });
  await view.user.click(within(await screen.findByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
  const card = within((await screen.findByRole('heading', { name: 'Case summary for PACS (DICOM)' })).closest('section') as HTMLElement);
  return { ...view, card };
}

describe('the case summary PDF as DICOM, on the case page', () => {
  beforeEach(async () => {
    await resetDatabase();
    await signIn('Tess Technician', ['technician']);
  });

  it('says the file holds patient data, then saves case-<number>-summary.dcm: an Encapsulated PDF in the imaging study', { timeout: 20_000 }, async () => {
    const c = caseWithImaging({ studyInstanceUid: CT_STUDY_UID });
    const files = captureDownloads();
    const { user, card } = await openCodes(c);
    await user.click(card.getByRole('button', { name: 'Export the PDF as DICOM' }));
    const warning = card.getByRole('group', { name: 'Patient data in the DICOM file' });
    expect(warning).toHaveTextContent('The DICOM file holds patient data in the clear');
    expect(files).toEqual([]);
    await user.click(within(warning).getByRole('button', { name: 'Save DICOM file with patient data' }));
    expect(await card.findByRole('status', {}, { timeout: 15_000 })).toHaveTextContent('DICOM file downloaded');
    expect(card.getByText('It files with the imaging study recorded at imaging (its study instance UID).')).toBeInTheDocument();

    expect(files.map((f) => f.name)).toEqual([`case-${c.caseNumber}-summary.dcm`]);
    expect(files[0]!.blob.type).toBe('application/dicom');
    const bytes = new Uint8Array(await files[0]!.blob.arrayBuffer());
    expect(parseDicomHeader(bytes)).toMatchObject({ ok: true, header: { modality: 'DOC', studyInstanceUid: CT_STUDY_UID, patientId: c.phi.mrn, accessionNumber: IMAGING_VALUES.accessionNumber } });
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(STAND_IN);
    // The equipment: the app's version, and a tablet not connected to a lab server.
    expect(text).toContain(`${STANDALONE_DEVICE} `);
    expect(text).toContain(__APP_VERSION__);
  });

  it('without a study UID recorded, says it files in a study of the case’s own; Cancel saves nothing', { timeout: 20_000 }, async () => {
    const files = captureDownloads();
    const { user, card } = await openCodes(caseWithImaging({}));
    await user.click(card.getByRole('button', { name: 'Export the PDF as DICOM' }));
    await user.click(card.getByRole('button', { name: 'Cancel' }));
    expect(files).toEqual([]);
    await user.click(card.getByRole('button', { name: 'Export the PDF as DICOM' }));
    await user.click(card.getByRole('button', { name: 'Save DICOM file with patient data' }));
    await card.findByRole('status', {}, { timeout: 15_000 });
    expect(card.getByText(/No study instance UID is recorded at imaging: it files in a study of this case’s own/)).toBeInTheDocument();
    expect(files).toHaveLength(1);
  });

  it('a study UID typed wrong at imaging: the sentence saying what to correct, and no file', { timeout: 20_000 }, async () => {
    const files = captureDownloads();
    const { user, card } = await openCodes(caseWithImaging({ studyInstanceUid: '1.2.840.01' }));
    await user.click(card.getByRole('button', { name: 'Export the PDF as DICOM' }));
    await user.click(card.getByRole('button', { name: 'Save DICOM file with patient data' }));
    expect(await card.findByRole('alert', {}, { timeout: 15_000 })).toHaveTextContent(
      'Could not make the DICOM file: The study instance UID recorded at imaging (1.2.840.01) is not a valid DICOM UID. Correct it at imaging, then export again.',
    );
    expect(files).toEqual([]);
  });
});
