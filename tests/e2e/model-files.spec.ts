// The model file itself in the segmentation sign-off: a technician attaches a real STL
// at segmenting and sees it in 3D (parsed in a worker, drawn with WebGL), the radiologist
// signs, the technician replaces the file, and the signature shows as voided.
// Screenshots of the viewer land in /tmp/shots-files (not in the repository).
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { createCase, openSection, saveStage, setUpLab, signoffPanel, signStage, switchUser, tickAll } from './support/app';
import { expect, test } from './support/fixtures';
import { asciiStl, binaryStl, multiPart, sphere, triangleCount } from '../support/stl-generator';

// WebGL in headless Chromium without a GPU: SwiftShader, allowed explicitly.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] } });

const TECH = 'Marta Kowalska';
const TECH_PIN = '530217';
const RAD = 'Dr. Søren Ødegaard';
const RAD_PIN = '864209';
const MODEL = 'Pelvis with tumour';
const SHOTS = '/tmp/shots-files';

async function toSegmenting(page: Page) {
  await setUpLab(page, [
    { name: RAD, roles: ['Radiologist'], pin: RAD_PIN },
    { name: TECH, roles: ['Lab technician'], pin: TECH_PIN },
  ], { name: TECH, roles: ['Lab technician'], pin: TECH_PIN });
  await createCase(page, {
    patientName: 'Łukasz Żółć',
    mrn: 'MRN-20931',
    models: [{ name: MODEL, components: [{ structure: 'Bone', colour: 'Bone white', material: 'VeroWhite' }, { structure: 'Tumour', colour: 'Red', material: 'VeroMagenta' }] }],
  });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Accession number': 'ACC-2025-88123', 'Slice thickness': '0.6' });
  await tickAll(page, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Imaging', RAD, RAD_PIN);
  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Segmenting');
  await saveStage(page, 'Segmenting', { 'Segmentation software': '3D Slicer', 'Software version': '5.6', 'Segmentation time': '95' });
  await tickAll(page, ['Every listed structure segmented as its own component', 'Model (STL) overlaid on the source images and verified', 'Mesh checked and repaired']);
}

test('a technician attaches an STL and sees it in 3D; the radiologist signs it; replacing the file voids the signature', async ({ page }) => {
  test.setTimeout(120_000);
  await toSegmenting(page);
  const files = page.getByRole('region', { name: 'Model and guide files' });
  const parts = multiPart();
  // An ASCII STL with one solid per component, so each is drawn in its recorded colour.
  await files.getByLabel(`Attach a file to ${MODEL}`).setInputFiles({ name: 'pelvis.stl', mimeType: 'model/stl', buffer: Buffer.from(asciiStl(parts)) });
  await expect(files.getByText(`pelvis.stl attached on ${MODEL}.`)).toBeVisible();

  await files.getByRole('button', { name: 'View pelvis.stl in 3D' }).click();
  const view = page.getByRole('region', { name: 'pelvis.stl in 3D' });
  await expect(view.getByText(triangleCount(parts).toLocaleString('en-US'), { exact: true })).toBeVisible();
  await expect(view.getByText('90 × 60 × 60 mm')).toBeVisible();
  const canvas = view.getByRole('img', { name: `pelvis.stl: ${triangleCount(parts).toLocaleString('en-US')} triangles, 90 × 60 × 60 mm` });
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(view.getByRole('list', { name: 'Parts and their colours' }).getByRole('listitem')).toHaveText(['Bone (Bone white)', 'Tumour (Red)']);
  // Drawn in the worker (OffscreenCanvas): the buttons and a drag on the canvas, forwarded to it, turn the model.
  await expect(canvas).toHaveAttribute('data-drawn-in', 'worker');
  const changes = async (act: () => Promise<void>) => {
    const before = await canvas.screenshot();
    await act();
    await expect.poll(async () => (await canvas.screenshot()).equals(before), { timeout: 10_000 }).toBe(false);
  };
  await changes(() => view.getByRole('button', { name: 'Turn left' }).click());
  await changes(() => view.getByRole('button', { name: 'Zoom in' }).click());
  await changes(async () => {
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 6 });
    await page.mouse.up();
  });
  for (const button of await view.getByRole('group', { name: 'Turn and zoom the model' }).getByRole('button').all()) {
    const box = (await button.boundingBox())!;
    expect(Math.min(box.width, box.height), `${await button.textContent()} is a 44 px touch target`).toBeGreaterThanOrEqual(44);
  }
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, h] of [[1180, 820], [820, 1180]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await view.scrollIntoViewIfNeeded();
    await expect(canvas).toBeVisible();
    // The canvas has been redrawn at its new size: its drawing buffer matches its box (three.js setSize, pixel ratio ≤ 2).
    await expect
      .poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.width === Math.floor(c.clientWidth * Math.min(devicePixelRatio, 2)) && c.height === Math.floor(c.clientHeight * Math.min(devicePixelRatio, 2))))
      .toBe(true);
    await page.screenshot({ path: `${SHOTS}/viewer-${w}x${h}.png` });
  }

  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Segmenting', RAD, RAD_PIN);
  await expect(page.getByRole('region', { name: 'Model and guide files' }).getByText(/Segmentation is signed off, files included/)).toBeVisible();

  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Segmenting');
  await files.getByLabel('Replace pelvis.stl').setInputFiles({ name: 'pelvis-v2.stl', mimeType: 'model/stl', buffer: Buffer.from(binaryStl([sphere('Bone', 31, 24, 12)])) });
  await expect(files.getByText(`pelvis-v2.stl replaced pelvis.stl on ${MODEL}. It is v2. The segmentation sign-off was voided: a radiologist must sign it again.`)).toBeVisible();
  const voided = signoffPanel(page).getByRole('heading', { name: 'Voided signatures' }).locator('..');
  await expect(voided).toContainText(`${RAD}`);
  await expect(voided).toContainText(`Changed: ${MODEL}: file`);
  await expect(voided).toContainText('signed v1 of pelvis.stl');
  await expect(signoffPanel(page).getByRole('button', { name: 'Sign off segmenting' })).toBeVisible();
});

test('where the browser cannot hand a canvas to a worker, the page draws the model and turns it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    delete (HTMLCanvasElement.prototype as Partial<HTMLCanvasElement>).transferControlToOffscreen;
  });
  await toSegmenting(page);
  const files = page.getByRole('region', { name: 'Model and guide files' });
  const parts = multiPart();
  await files.getByLabel(`Attach a file to ${MODEL}`).setInputFiles({ name: 'pelvis.stl', mimeType: 'model/stl', buffer: Buffer.from(asciiStl(parts)) });
  await files.getByRole('button', { name: 'View pelvis.stl in 3D' }).click();
  const view = page.getByRole('region', { name: 'pelvis.stl in 3D' });
  const canvas = view.getByRole('img', { name: `pelvis.stl: ${triangleCount(parts).toLocaleString('en-US')} triangles, 90 × 60 × 60 mm` });
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(canvas).toHaveAttribute('data-drawn-in', 'page');
  await expect(view.getByRole('list', { name: 'Parts and their colours' }).getByRole('listitem')).toHaveText(['Bone (Bone white)', 'Tumour (Red)']);
  const before = await canvas.screenshot();
  await view.getByRole('button', { name: 'Turn left' }).click();
  await expect.poll(async () => (await canvas.screenshot()).equals(before), { timeout: 10_000 }).toBe(false);
});
