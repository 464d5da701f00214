// A model file between two browsers of one lab, through the real lab server: the technician
// attaches an STL on the bench tablet while its file parts cannot reach the server; the
// reading-room workstation has the case and says the file is still arriving (never a broken
// view); once the tablet's parts go up, the workstation offers the 3D view without a reload,
// and draws the file.
import { CHROMIUM_ARGS } from '../../playwright.config';
import { ADMIN_PIN, createCase, openSection, saveStage, setUpLab, signIn, signStage, switchUser, tickAll } from './support/app';
import { expect, test } from './support/fixtures';
import { startLabServer, type RunningServer } from './support/lab-server';
import { binaryStl, sphereOfTriangles } from '../support/stl-generator';

// WebGL in headless Chromium without a GPU: SwiftShader, allowed explicitly.
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] } });

const PORT = 4393;
const BASE = `http://127.0.0.1:${PORT}`;
const TECH = { name: 'Tove Technician', roles: ['Lab technician' as const], pin: '581302' };
const RAD = { name: 'Dr. Ravi Reader', roles: ['Radiologist' as const], pin: '602714' };
const MODEL = 'Kidney model';

let server: RunningServer;
test.use({ baseURL: BASE });
test.beforeAll(async () => {
  server = await startLabServer(PORT);
});
test.afterAll(() => server?.stop());

test('a file attached on the tablet is still arriving on the workstation, then viewable there without a reload', async ({ page: tablet, browser }) => {
  test.setTimeout(240_000);
  await setUpLab(tablet, [TECH, RAD]);
  await tablet.getByRole('link', { name: 'Lab server' }).click();
  await tablet.getByLabel('Set-up code').fill(server.setupCode);
  await tablet.getByLabel('Name of this device').fill('Bench tablet');
  await tablet.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await tablet.getByRole('button', { name: 'Connect' }).click();
  const shown = tablet.getByRole('region', { name: 'The lab’s recovery key' });
  await shown.getByRole('button', { name: 'I have written it down' }).click();

  const wsContext = await browser.newContext({ baseURL: BASE, viewport: { width: 1440, height: 900 } });
  const ws = await wsContext.newPage();
  await ws.goto('/');
  await ws.getByRole('button', { name: 'Join a lab server' }).click();
  await ws.getByLabel('Name of this device').fill('Reading room');
  await ws.getByRole('button', { name: 'Ask to join' }).click();
  const waiting = tablet.getByRole('listitem', { name: 'Reading room' });
  await waiting.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await waiting.getByRole('button', { name: 'Approve' }).click();
  await signIn(ws, RAD.name, RAD.pin);

  await switchUser(tablet, TECH.name, TECH.pin);
  const { url } = await createCase(tablet, { patientName: 'Maren Filewell', mrn: 'FILE-3001', models: [{ name: MODEL, components: [{ structure: 'Kidney', colour: 'Clear', material: 'VeroClear' }] }] });
  await openSection(tablet, 'Imaging');
  await saveStage(tablet, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2026-11-30', 'Accession number': 'ACC-FILE-1', 'Slice thickness': '0.6' });
  await tickAll(tablet, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await switchUser(tablet, RAD.name, RAD.pin);
  await signStage(tablet, 'Imaging', RAD.name, RAD.pin);
  await switchUser(tablet, TECH.name, TECH.pin);

  // The tablet's file parts do not reach the server (its events do).
  const parts = /\/api\/labs\/[^/]+\/files\/[^/]+\/chunks\/\d+$/;
  await tablet.context().route(parts, (route) => (route.request().method() === 'PUT' ? route.abort('connectionreset') : route.continue()));
  await openSection(tablet, 'Segmenting');
  const tabletFiles = tablet.getByRole('region', { name: 'Model and guide files' });
  // 50,000 triangles: 2,500,084 bytes, 3 parts.
  await tabletFiles.getByLabel(`Attach a file to ${MODEL}`).setInputFiles({ name: 'kidney.stl', mimeType: 'model/stl', buffer: Buffer.from(binaryStl([sphereOfTriangles('Kidney', 40, 50_000)])) });
  await expect(tabletFiles.getByText(`kidney.stl attached on ${MODEL}.`)).toBeVisible();

  await ws.goto(url);
  await signIn(ws, RAD.name, RAD.pin);
  await openSection(ws, 'Segmenting');
  const wsFiles = ws.getByRole('region', { name: 'Model and guide files' });
  await expect(wsFiles.getByText('kidney.stl is still arriving on this device.')).toBeVisible({ timeout: 30_000 });
  await expect(wsFiles.getByText(/0 of 3 parts received/)).toBeVisible();
  await expect(wsFiles.getByRole('button', { name: /in 3D/ })).toHaveCount(0);
  await wsFiles.screenshot({ path: 'test-results/model-files-sync-arriving.png' });

  // The parts go up (the tablet tries again by itself); the workstation's view follows, no reload.
  await tablet.context().unroute(parts);
  const view = wsFiles.getByRole('button', { name: 'View kidney.stl in 3D' });
  await expect(view).toBeVisible({ timeout: 90_000 });
  await view.click();
  const shape = ws.getByRole('region', { name: 'kidney.stl in 3D' });
  // Drawn: the file opened and matched the SHA-256 the case records.
  await expect(shape.getByRole('img', { name: /^kidney\.stl: [\d,]+ triangles, 80 × 80 × 80 mm$/ })).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  await wsContext.close();
});
