// Shared steps for the end-to-end specs: they drive the UI the way a lab does,
// by role and label (no CSS classes), so they also check the labels exist.
import { expect, type Page } from '@playwright/test';

export type RoleLabel = 'Lab technician' | 'Radiologist' | 'Lab admin';

/** The header button that opens the user picker (its text is the current user once one is chosen). */
export const userButton = (page: Page) => page.getByRole('banner').getByRole('button');

export const userPicker = (page: Page) => page.getByRole('dialog', { name: 'Who is using this tablet?' });

/** Adds a person through the picker's "Add a person" form; the new person becomes the current user. */
export async function addUser(page: Page, name: string, roles: RoleLabel[]) {
  await userButton(page).click();
  const dialog = userPicker(page);
  await expect(dialog).toBeVisible();
  const nameInput = dialog.getByLabel('Name as printed on signatures');
  // The form is open by itself only while nobody has been added yet.
  if (!(await nameInput.isVisible())) await dialog.getByText('Add a person', { exact: true }).click();
  await nameInput.fill(name);
  for (const role of roles) await dialog.getByRole('checkbox', { name: role, exact: true }).check();
  await dialog.getByRole('button', { name: 'Add person' }).click();
  await expect(dialog).toBeHidden();
  await expect(userButton(page)).toContainText(name);
}

/** Switches the current user through the header. */
export async function switchUser(page: Page, name: string) {
  await userButton(page).click();
  const dialog = userPicker(page);
  await dialog.getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}`) }).click();
  await expect(dialog).toBeHidden();
  await expect(userButton(page)).toContainText(name);
}

export type ModelSpec = { name: string; components: { structure: string; colour: string; material: string }[] };
export type GuideSpec = { name: string; type: 'Cutting guide' | 'Drilling guide'; material: string };
export type CaseSpec = {
  patientName: string;
  mrn: string;
  dateOfBirth?: string;
  models?: ModelSpec[];
  guides?: GuideSpec[];
};

/** Opens a case from an order through the new-case form; resolves on the case page with its case number. */
export async function createCase(page: Page, spec: CaseSpec): Promise<{ caseNumber: string; url: string }> {
  await page.goto('/cases/new');
  const form = page.getByRole('form', { name: 'New case' });
  await expect(form).toBeVisible();
  const patient = form.getByRole('region', { name: 'Patient' });
  await patient.getByLabel('Patient name').fill(spec.patientName);
  await patient.getByLabel('MRN').fill(spec.mrn);
  await patient.getByLabel('Date of birth').fill(spec.dateOfBirth ?? '1971-03-14');
  await patient.getByLabel('Sex').selectOption('Male');

  const order = form.getByRole('region', { name: 'Order' });
  await order.getByLabel('Ordering physician').fill('Dr. Anna Nowak');
  await order.getByLabel('Contact', { exact: true }).fill('Pager 4471');
  await order.getByLabel('Indication').fill('Acetabular fracture, surgical planning');
  await order.getByLabel('ICD-10 code').fill('S32.401A');
  await order.getByLabel('Anatomic region').fill('Pelvis');
  await order.getByLabel('Structure 1').fill('Right hemipelvis');
  await order.getByLabel('Date needed').fill('2025-06-05');
  await order.getByLabel('Priority').selectOption('Urgent');

  const deliverables = form.getByRole('region', { name: 'Models and guides' });
  for (const model of spec.models ?? []) {
    await deliverables.getByRole('button', { name: 'Add anatomic model' }).click();
    const card = deliverables.getByRole('group', { name: 'Anatomic model: unnamed' });
    await card.getByLabel('Model name').fill(model.name);
    const named = deliverables.getByRole('group', { name: `Anatomic model: ${model.name}` });
    for (const [i, part] of model.components.entries()) {
      // A new model starts with one blank component.
      if (i > 0) await named.getByRole('button', { name: `Add component to ${model.name}` }).click();
      await named.getByLabel('Structure').nth(i).fill(part.structure);
      await named.getByLabel('Colour').nth(i).fill(part.colour);
      await named.getByLabel('Material').nth(i).fill(part.material);
    }
    await expect(named.getByLabel('Structure')).toHaveCount(model.components.length);
  }
  for (const guide of spec.guides ?? []) {
    await deliverables.getByRole('button', { name: 'Add guide' }).click();
    const card = deliverables.getByRole('group', { name: 'Guide: unnamed' });
    await card.getByLabel('Guide name').fill(guide.name);
    const named = deliverables.getByRole('group', { name: `Guide: ${guide.name}` });
    await named.getByLabel('Guide type').selectOption(guide.type);
    await named.getByLabel('Material').fill(guide.material);
  }

  await form.getByRole('button', { name: 'Open case' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: spec.patientName })).toBeVisible();
  const header = await page.getByRole('article').first().innerText();
  const caseNumber = /PP-\d{4}-[A-Za-z0-9]+-\d{4}/.exec(header)?.[0];
  expect(caseNumber, 'the case page shows the case number').toBeTruthy();
  return { caseNumber: caseNumber!, url: page.url() };
}

export type StageName = 'Imaging' | 'Segmenting' | 'Printing' | 'Delivery';
const STAGE_NUMBER: Record<StageName, number> = { Imaging: 1, Segmenting: 2, Printing: 3, Delivery: 4 };

/** The case page's section button ("1. Imaging", "Codes & PDF", …). */
export const sectionButton = (page: Page, name: StageName | 'Order' | 'Codes & PDF' | 'History') =>
  page
    .getByRole('navigation', { name: 'Case sections' })
    .getByRole('button', { name: name in STAGE_NUMBER ? new RegExp(`^${STAGE_NUMBER[name as StageName]}\\. ${name}`) : new RegExp(`^${escapeRegExp(name)}`) });

export async function openSection(page: Page, name: StageName | 'Order' | 'Codes & PDF' | 'History') {
  const button = sectionButton(page, name);
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'step');
}

export const stageRecord = (page: Page, stage: StageName) => page.getByRole('form', { name: `${stage} record` });

export type FieldInput = string | { select: string };

/** Fills a stage's Record form by field label and saves it. */
export async function saveStage(page: Page, stage: StageName, fields: Record<string, FieldInput>) {
  const form = stageRecord(page, stage);
  for (const [label, value] of Object.entries(fields)) {
    const control = form.getByLabel(label, { exact: true });
    if (typeof value === 'string') await control.fill(value);
    else await control.selectOption({ label: value.select });
  }
  await form.getByRole('button', { name: `Save ${stage.toLowerCase()}` }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
}

/** Ticks every checklist item of the open stage, one at a time (each tick is its own saved change). */
export async function tickAll(page: Page, items: string[]) {
  const checklist = page.getByRole('group', { name: 'Checklist' });
  for (const item of items) {
    const box = checklist.getByRole('checkbox', { name: item });
    await box.click();
    await expect(box).toBeChecked();
    // Shown from the stored record, so the tick was saved.
    await expect(box).toHaveAccessibleName(/Ticked by/);
  }
}

export const signoffPanel = (page: Page) => page.getByRole('region', { name: 'Radiologist sign-off' });

/** The current user (a radiologist) signs the open stage. */
export async function signStage(page: Page, stage: 'Imaging' | 'Segmenting', signer: string) {
  const panel = signoffPanel(page);
  await panel.getByRole('button', { name: `Sign off ${stage.toLowerCase()}` }).click();
  await panel.getByRole('group', { name: 'Confirm signature' }).getByRole('button', { name: `Sign as ${signer}` }).click();
  await expect(panel.getByText(signer, { exact: true })).toBeVisible();
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
