// The user-level smoke every engine runs, on a tablet-sized window against the
// built app: first load; the service worker takes control; the lab admin sets the
// tablet up and adds a radiologist (confirmed with the admin's own PIN); a case is
// opened from an order and its imaging recorded; a reload keeps it; with the server
// stopped a reload is served by the service worker and changes still save; the
// storage page says whether the data can be kept; the radiologist signs imaging
// with their PIN; the codes show.
// Each step is timed; the caller writes the record (result.json) and a screenshot.
import type { EnginePage } from './page';
import { label, role } from './page';
import type { Query } from './in-page';
import type { StaticServer } from './static-server';

export const ADMIN = 'Hanna Lindqvist';
export const ADMIN_PIN = '731902';
export const RAD = 'Dr. Søren Ødegaard';
export const RAD_PIN = '864209';
export const PATIENT = 'Łukasz Żółć';

export type StepRecord = { name: string; ms: number };

export type SmokeFacts = {
  /** The service worker script that controls the page. */
  serviceWorker?: string;
  /** What the storage page says about keeping the data. */
  storage?: string;
  /** What it says after "Ask the browser to keep the data", if it offers that. */
  storageRequest?: string;
  caseNumber?: string;
  codes?: string[];
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const banner: Query = [role('banner')];
const lockScreen: Query = [role('region', 'Printpath is locked')];
const section = (name: RegExp): Query => [role('navigation', 'Case sections'), role('button', name)];
const imagingForm = [role('form', 'Imaging record')];
const checklist = [role('group', 'Checklist')];
const IMAGING_CHECKLIST = ['Study retrieved from PACS', 'Image quality adequate for segmentation'];

export async function runSmoke(page: EnginePage, server: StaticServer, step: <T>(name: string, run: () => Promise<T>) => Promise<T>, facts: SmokeFacts) {
  const { driver } = page;

  await step('first load', async () => {
    await driver.goto(`${server.origin}/`);
    await page.waitFor([role('region', 'Set up this tablet')], 30_000);
  });

  await step('service worker controls the page', async () => {
    await page.until(
      'the service worker to activate',
      () => driver.evaluate<boolean>(`navigator.serviceWorker.getRegistration().then((r) => r?.active?.state === 'activated')`),
      30_000,
    );
    // Prompt-mode updates: the worker takes over from the next load, not this one.
    if (!(await driver.evaluate<boolean>('navigator.serviceWorker.controller !== null'))) await driver.reload();
    facts.serviceWorker = await page.until('the service worker to control the page', () =>
      driver.evaluate<string | null>('navigator.serviceWorker.controller?.scriptURL ?? null').then((url) => url ?? undefined),
    );
    await page.waitFor([role('region', 'Set up this tablet')]);
  });

  await step('set up the tablet', async () => {
    const form = [role('form', 'Create the first lab admin')];
    await page.fill([...form, label('Your name as printed on signatures')], ADMIN);
    await page.click([...form, label('I also work cases as a lab technician')]);
    await page.fill([...form, label('Choose a PIN')], ADMIN_PIN);
    await page.fill([...form, label('PIN again')], ADMIN_PIN);
    await page.click([...form, role('button', 'Create lab admin')]);
    await page.waitForText(banner, `${ADMIN} · `, 30_000);
  });

  await step('add a radiologist', async () => {
    await page.click([role('navigation', 'Sections'), role('link', 'People & security')]);
    const form = [role('form', 'Add a person')];
    await page.fill([...form, label('Name as printed on signatures')], RAD);
    await page.click([...form, label('Radiologist')]);
    await page.fill([...form, label('Their PIN')], RAD_PIN);
    // Adding a person is a signed change: the admin confirms it with their own PIN.
    await page.fill([...form, label('Your PIN, to confirm')], ADMIN_PIN);
    await page.click([...form, role('button', 'Add person')]);
    await page.waitForText([...form, role('status')], `${RAD} added`, 30_000);
  });

  await step('open a case from an order', async () => {
    await page.click([...banner, role('link', 'Printpath')]);
    await page.click([role('link', /^(New case|Open a case from an order)$/)]);
    const form = [role('form', 'New case')];
    const patient = [...form, role('region', 'Patient')];
    await page.fill([...patient, label('Patient name')], PATIENT);
    await page.fill([...patient, label('MRN')], 'MRN-20931');
    await page.fill([...patient, label('Date of birth')], '1971-03-14');
    await page.select([...patient, label('Sex')], 'Male');
    const order = [...form, role('region', 'Order')];
    await page.fill([...order, label('Ordering physician')], 'Dr. Anna Nowak');
    await page.fill([...order, label('Contact')], 'Pager 4471');
    await page.fill([...order, label('Indication')], 'Mandibular reconstruction, surgical planning');
    await page.fill([...order, label('ICD-10 code')], 'C03.1');
    await page.fill([...order, label('Anatomic region')], 'Mandible');
    await page.fill([...order, label('Structure 1')], 'Mandible');
    await page.fill([...order, label('Date needed')], '2025-06-05');
    await page.select([...order, label('Priority')], 'Urgent');
    const deliverables = [...form, role('region', 'Models and guides')];
    await page.click([...deliverables, role('button', 'Add anatomic model')]);
    await page.fill([...deliverables, role('group', 'Anatomic model: unnamed'), label('Model name')], 'Mandible');
    const model = [...deliverables, role('group', 'Anatomic model: Mandible')];
    await page.fill([...model, label('Structure')], 'Mandible');
    await page.fill([...model, label('Colour')], 'Bone white');
    await page.fill([...model, label('Material')], 'PLA');
    await page.click([...form, role('button', 'Open case')]);
    await page.waitFor([role('heading', PATIENT)], 30_000);
    facts.caseNumber = (await page.waitForText([role('article')], /PP-\d{4}-[A-Za-z0-9]+-\d{4}/)).match(/PP-\d{4}-[A-Za-z0-9]+-\d{4}/)![0];
  });

  await step('record imaging', async () => {
    await openSection(page, /^1\. Imaging/);
    await page.select([...imagingForm, label('Modality')], 'CT');
    await page.fill([...imagingForm, label('Study date')], '2025-05-20');
    await page.fill([...imagingForm, label('Accession number')], 'ACC-2025-88123');
    await page.fill([...imagingForm, label('Slice thickness')], '0.6');
    await page.click([...imagingForm, role('button', 'Save imaging')]);
    await page.waitForText([...imagingForm, role('status')], 'Saved', 30_000);
  });

  await step('after a reload the case is there', async () => {
    await driver.reload();
    await signIn(page, ADMIN, ADMIN_PIN);
    await page.waitFor([role('heading', PATIENT)], 30_000);
    await openSection(page, /^1\. Imaging/);
    await expectValue(page, [...imagingForm, label('Accession number')], 'ACC-2025-88123');
    await expectValue(page, [...imagingForm, label('Study date')], '2025-05-20');
    await expectValue(page, [...imagingForm, label('Slice thickness')], '0.6');
  });

  await step('server stopped: the service worker serves the app and changes save', async () => {
    await server.stop();
    const before = server.requests.length;
    await driver.reload();
    await signIn(page, ADMIN, ADMIN_PIN);
    await page.waitFor([role('heading', PATIENT)], 30_000);
    if (!(await driver.evaluate<boolean>('navigator.serviceWorker.controller !== null'))) throw new Error('The offline page is not controlled by the service worker');
    await openSection(page, /^1\. Imaging/);
    await page.fill([...imagingForm, label('Accession number')], 'ACC-2025-88124', { replace: true });
    await page.click([...imagingForm, role('button', 'Save imaging')]);
    await page.waitForText([...imagingForm, role('status')], 'Saved', 30_000);
    for (const item of IMAGING_CHECKLIST) {
      const box = [...checklist, label(new RegExp(`^${escape(item)}`))];
      await page.click(box);
      // The tick shows at once; the checklist takes input again once it is written.
      await page.waitFor([...checklist, label(new RegExp(`^${escape(item)}.*Ticked by ${escape(ADMIN)}`))], 30_000);
      await page.waitForEnabled(box, 30_000);
    }
    // Still without a server: the changes are on the tablet.
    await driver.reload();
    await signIn(page, ADMIN, ADMIN_PIN);
    await openSection(page, /^1\. Imaging/);
    await expectValue(page, [...imagingForm, label('Accession number')], 'ACC-2025-88124');
    for (const item of IMAGING_CHECKLIST) {
      if (!(await page.checked([...checklist, label(new RegExp(`^${escape(item)}`))]))) throw new Error(`"${item}" is not ticked after the reload`);
    }
    if (server.requests.length !== before) throw new Error('The stopped server was asked for something');
    await server.start();
  });

  await step('storage page says whether the data is kept', async () => {
    await page.click([role('navigation', 'Sections'), role('link', 'Storage & backup')]);
    const card = [role('region', 'This tablet’s storage')];
    facts.storage = await page.waitForText(card, /Persistent storage (Yes|No|.*cannot)/).then((t) => /Persistent storage (.*?) Used/.exec(t)?.[1] ?? t);
    const ask = [...card, role('button', 'Ask the browser to keep the data')];
    if (await page.exists(ask)) {
      await page.click(ask);
      // Words at once, whatever the engine: Firefox waits for an answer to its own prompt.
      const status = [...card, role('status')];
      await page.waitForText(status, /\S/, 2_000);
      facts.storageRequest = await page.waitForText(status, /^(?!Waiting)/, 1_000).catch(() => page.text(status));
    }
  });

  await step('a radiologist signs imaging with their PIN', async () => {
    await page.click([...banner, role('button', 'Lock / switch user')]);
    await signIn(page, RAD, RAD_PIN);
    await page.click([role('navigation', 'Sections'), role('link', 'Cases')]);
    await page.click([role('list', 'Cases'), role('link', new RegExp(escape(PATIENT)))]);
    await page.waitFor([role('heading', PATIENT)], 30_000);
    await openSection(page, /^1\. Imaging/);
    const panel = [role('region', 'Radiologist sign-off')];
    await page.click([...panel, role('button', 'Sign off imaging')]);
    const confirm = [...panel, role('form', 'Confirm signature')];
    await page.fill([...confirm, label('Your PIN, to sign')], RAD_PIN);
    await page.click([...confirm, role('button', `Sign as ${RAD}`)]);
    await page.waitForText(panel, 'digital signature verified with the signer’s key', 30_000);
    await page.waitForText([role('main')], 'Imaging is complete.');
  });

  await step('suggested codes show', async () => {
    await openSection(page, /^Codes & PDF/);
    const codes = [role('region', 'Suggested CPT codes')];
    await page.waitFor([...codes, role('rowheader', '0559T')]);
    facts.codes = (await page.driver.evaluate<string[]>(`[...${page.expression(codes)}.querySelectorAll('th[scope="row"]')].map((th) => th.textContent.trim())`));
  });
}

async function openSection(page: EnginePage, name: RegExp) {
  await page.click(section(name));
  await page.until(`section ${name} to be current`, () => page.driver.evaluate<boolean>(`${page.expression(section(name))}.getAttribute('aria-current') === 'step'`));
}

async function signIn(page: EnginePage, name: string, pin: string) {
  await page.waitFor(lockScreen, 30_000);
  await page.click([...lockScreen, role('list', 'People on this tablet'), role('button', new RegExp(`^${escape(name)}`))]);
  await page.fill([...lockScreen, label(`PIN for ${name}`)], pin);
  await page.click([...lockScreen, role('button', 'Sign in')]);
  await page.waitForText(banner, `${name} · `, 30_000);
}

async function expectValue(page: EnginePage, query: Query, expected: string) {
  await page.waitFor(query);
  await page.until(`${JSON.stringify(query.at(-1))} to be "${expected}"`, async () => (await page.value(query)) === expected, 10_000).catch(async (error: Error) => {
    throw new Error(`${error.message}; it is "${await page.value(query)}"`);
  });
}
