// Exports in a real browser, on the demo cases: a lab admin downloads the
// de-identified registry CSV (none of the patients' names, MRNs or case numbers in
// it), and the FHIR R4 Bundle of a signed case, after the warning that it holds PHI.
import type { Download, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { medplumIssues, schemaIssues } from '../support/fhir-oracles';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { DEMO_RAD, escapeRegExp, goHome, loadDemoCases, openSection, readWholeList, setUpTablet, shownName } from './support/app';
import { expect, test } from './support/fixtures';

type Listed = { patient: string; mrn: string; caseNumber: string; status: string };

/** Every case on the list ("All cases"), as the list shows it: name, MRN, case number, status. */
async function listedCases(page: Page): Promise<Listed[]> {
  await goHome(page);
  await page.getByLabel('Show').selectOption({ label: 'All cases' });
  await expect(page.getByText('12 cases, soonest needed first')).toBeVisible();
  return (await readWholeList(page)).map(({ text, patient }) => {
    const [, mrn = '', caseNumber = ''] = /MRN (\S+) · (PP-\S+)/.exec(text) ?? [];
    return { patient, mrn, caseNumber, status: text };
  });
}

const text = async (download: Download) => readFile((await download.path())!, 'utf8');

test('a lab admin downloads the de-identified registry CSV, with no patient name, MRN or case number in it', async ({ page }) => {
  await setUpTablet(page);
  await loadDemoCases(page);
  const cases = await listedCases(page);
  expect(cases.every((c) => c.patient && c.mrn && c.caseNumber)).toBe(true);

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  await page.getByText('Columns in the file').click();
  await expectNoAxeViolations(page, 'Exports page');
  await expectTouchTargets(page, 'Exports page');
  await page.getByRole('radio', { name: 'All cases, including open and cancelled ones' }).check();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download registry CSV' }).click();
  const download = await downloading;
  await expect(page.getByRole('status').filter({ hasText: /12 cases \(\d+ rows\) downloaded/ })).toBeVisible();
  expect(download.suggestedFilename()).toMatch(/^printpath-registry-\d{4}-\d{2}-\d{2}\.csv$/);

  const csv = await text(download);
  const lines = csv.split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^case_ref,object_number,objects_in_case,order_year,case_status,demo,icd10,anatomic_region,/);
  // Every demo case is kept, and says so on each of its rows.
  expect(new Set(lines.slice(1).map((l) => l.split(',')[5]))).toEqual(new Set(['yes']));
  await expect(page.getByRole('status').filter({ hasText: '12 are demo cases (demo = yes)' })).toBeVisible();
  expect(lines.length).toBeGreaterThan(12);
  expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => String(i + 1))));

  for (const c of cases) {
    expect(csv, `${c.caseNumber}: the patient's name`).not.toContain(c.patient);
    for (const word of c.patient.split(/\s+/).filter((w) => w.length > 2)) expect(csv).not.toMatch(new RegExp(`(^|[^\\p{L}])${escapeRegExp(word)}($|[^\\p{L}])`, 'iu'));
    expect(csv).not.toContain(c.mrn);
    expect(csv).not.toContain(c.caseNumber);
  }
  expect(csv, 'no full dates').not.toMatch(/\d{4}-\d{2}-\d{2}/);
  // The demo people (staff) are not in it either.
  expect(csv).not.toMatch(/Alex Morgan|Priya Raman/);
});

test('the FHIR R4 Bundle of a signed case: after the PHI warning, with its resources, codes and PDF', async ({ page }) => {
  test.setTimeout(90_000);
  await setUpTablet(page);
  await loadDemoCases(page);
  const closed = (await listedCases(page)).find((c) => c.status.includes('Closed'))!;
  expect(closed, 'the demo has closed cases').toBeTruthy();
  await page.getByLabel('Search patient name, MRN or case number').fill(closed.caseNumber);
  await page.getByRole('list', { name: 'Cases' }).getByRole('link').filter({ hasText: closed.caseNumber }).click();
  await expect(page.getByRole('heading', { level: 1, name: closed.patient })).toBeVisible();
  await openSection(page, 'Codes & PDF');

  const card = page.getByRole('region', { name: 'FHIR R4 export' });
  await card.getByRole('button', { name: 'Export FHIR bundle' }).click();
  const warning = card.getByRole('group', { name: 'Patient data in the FHIR file' });
  await expect(warning).toContainText('The FHIR file holds patient data in the clear');
  await expectNoAxeViolations(page, 'FHIR export warning');
  await expectTouchTargets(page, 'FHIR export warning');
  const downloading = page.waitForEvent('download');
  await warning.getByRole('button', { name: 'Save FHIR file with patient data' }).click();
  const download = await downloading;
  await expect(card.getByRole('status')).toHaveText('FHIR file downloaded');
  expect(download.suggestedFilename()).toBe(`case-${closed.caseNumber}.fhir.json`);

  type Entry = { fullUrl: string; resource: Record<string, unknown> & { resourceType: string } };
  const bundle = JSON.parse(await text(download)) as { resourceType: string; type: string; meta: { tag?: unknown[] }; entry: Entry[] };
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  // The file the browser wrote passes validators we did not write (Medplum's, HL7's R4 JSON schema).
  expect(medplumIssues(bundle)).toEqual([]);
  expect(schemaIssues(bundle)).toEqual([]);
  // A demo case: tagged as test data on the Bundle and on each resource.
  const testData = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' };
  expect(bundle.meta.tag).toEqual([testData]);
  for (const e of bundle.entry) expect(e.resource.meta, e.resource.resourceType).toEqual({ tag: [testData] });
  const types = bundle.entry.map((e) => e.resource.resourceType);
  expect(types.slice(0, 3)).toEqual(['Patient', 'ServiceRequest', 'Procedure']);
  expect(types.filter((t) => t === 'Provenance')).toHaveLength(2);
  expect(types).toContain('ChargeItem');
  expect(types.at(-1)).toBe('DocumentReference');

  const of = (type: string) => bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource);
  const urls = new Set(bundle.entry.map((e) => e.fullUrl));
  for (const ref of JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? []) expect(urls.has(ref.slice(13, -1)), ref).toBe(true);

  expect(of('Patient')[0]).toMatchObject({ name: [{ text: closed.patient }], identifier: [{ value: closed.mrn }] });
  expect(of('ServiceRequest')[0]).toMatchObject({ intent: 'order', reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: expect.stringMatching(/^[A-Z]\d/) }] }] });
  expect(of('Procedure')[0]).toMatchObject({ status: 'completed' });
  expect(of('Provenance').map((p) => (p.activity as { text: string }).text)).toEqual(['Imaging adequate for segmentation', 'Segmentation verified against source images']);
  expect(of('Provenance').map((p) => (p.agent as { who: { display: string } }[])[0]!.who.display)).toEqual([shownName(DEMO_RAD), shownName(DEMO_RAD)]);
  for (const charge of of('ChargeItem')) {
    expect(charge).toMatchObject({ status: 'billable', code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: expect.stringMatching(/^056[0-2]T$|^0559T$/) }] }, quantity: { value: expect.any(Number) } });
    expect(charge.note).toContainEqual({ text: 'Suggested — verify with your coder' });
  }
  const pdf = (of('DocumentReference')[0]!.content as { attachment: { contentType: string; data: string } }[])[0]!.attachment;
  expect(pdf.contentType).toBe('application/pdf');
  expect(Buffer.from(pdf.data, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
});
