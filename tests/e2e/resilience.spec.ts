// What a tablet does to a lab's records when things go wrong (issue 4): the page is
// closed in the middle of saving a case (no partial case, ever); the data is wiped
// and brought back from a backup (every case returns, its history still verifies);
// a new app version waits while a form has unsaved input, then installs on request.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, ADMIN_PIN, downloadBackup, expectSignedIn, firstRunScreen, goHome, loadDemoCases, lockScreen, openNewCase, openSection, readWholeList, restoreOntoWipedTablet, setUpLab, setUpTablet, signIn } from './support/app';
import { expect, test } from './support/fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TECH = { name: 'Tove Timing', roles: ['Lab technician' as const], pin: '583920' };

/** Fills every required field of the new-case form (no models or guides); does not submit. */
async function fillNewCase(form: Locator, patientName: string, mrn: string) {
  const patient = form.getByRole('region', { name: 'Patient' });
  await patient.getByLabel('Patient name').fill(patientName);
  await patient.getByLabel('MRN').fill(mrn);
  await patient.getByLabel('Date of birth').fill('1968-11-02');
  await patient.getByLabel('Sex').selectOption('Female');
  const order = form.getByRole('region', { name: 'Order' });
  await order.getByLabel('Ordering physician').fill('Dr. Anna Nowak');
  await order.getByLabel('Contact', { exact: true }).fill('Pager 4471');
  await order.getByLabel('Indication').fill('Tibial plateau fracture, surgical planning');
  await order.getByLabel('ICD-10 code').fill('S82.101A');
  await order.getByLabel('Anatomic region').fill('Knee');
  await order.getByLabel('Structure 1').fill('Left tibia');
  await order.getByLabel('Date needed').fill('2025-06-05');
  await order.getByLabel('Priority').selectOption('Urgent');
}

/** Every case on the list ("All cases"): the rows' text. With `expected`, waits for that many rows. */
async function allListedCases(page: Page, expected?: number): Promise<string[]> {
  await goHome(page);
  const empty = page.getByRole('heading', { level: 1, name: 'No cases on this tablet yet' });
  const counted = page.getByText(/^[1-9]\d* cases?, soonest needed first$/);
  await expect(empty.or(counted)).toBeVisible();
  if (await empty.isVisible()) return [];
  await page.getByLabel('Show').selectOption({ label: 'All cases' });
  if (expected !== undefined) await expect(page.getByText(`${expected} case${expected === 1 ? '' : 's'}, soonest needed first`)).toBeVisible();
  return (await readWholeList(page)).map((r) => r.text);
}

const caseNumberIn = (text: string) => /PP-\d{4}-[A-Za-z0-9]+-\d{4}/.exec(text)?.[0] ?? '';

type StoreCheck = { cases: number; chains: { id: string; headSeq: number; entries: number; seqs: number[] }[]; orphanChains: string[]; counters: number };

/** Straight from IndexedDB: each case row and its audit chain, chains without a case, and the case-number counters. */
const checkStore = (page: Page): Promise<StoreCheck> =>
  page.evaluate(async () => {
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const idb = await req(indexedDB.open('printpath'));
    const tx = idb.transaction(['cases', 'audit', 'settings']);
    type Row = { id: string; auditHead: { seq: number } };
    type Entry = { chain: string; seq: number };
    const [cases, audit, device] = await Promise.all([
      req(tx.objectStore('cases').getAll()) as Promise<Row[]>,
      req(tx.objectStore('audit').getAll()) as Promise<Entry[]>,
      req(tx.objectStore('settings').get('device')) as Promise<{ value: { counters: Record<string, number> } } | undefined>,
    ]);
    idb.close();
    const ids = new Set(cases.map((c) => c.id));
    return {
      cases: cases.length,
      chains: cases.map((c) => {
        const seqs = audit.filter((e) => e.chain === c.id).map((e) => e.seq);
        return { id: c.id, headSeq: c.auditHead.seq, entries: seqs.length, seqs };
      }),
      orphanChains: [...new Set(audit.map((e) => e.chain))].filter((chain) => chain !== 'lab' && !ids.has(chain)),
      counters: Object.values(device?.value.counters ?? {}).reduce((a, b) => a + b, 0),
    };
  });

function expectWholeChains(store: StoreCheck) {
  expect(store.orphanChains, 'audit entries of a case that is not there').toEqual([]);
  for (const c of store.chains) {
    expect(c.entries, `case ${c.id}: its head's seq is its number of audit entries`).toBe(c.headSeq);
    expect(c.seqs, `case ${c.id}: entries 1…n`).toEqual(Array.from({ length: c.headSeq }, (_, i) => i + 1));
  }
}

async function expectHistoryVerifies(page: Page) {
  await openSection(page, 'History');
  await expect(page.getByRole('region', { name: 'History' }).getByRole('status')).toContainText('Audit chain verified');
}

/**
 * A slow disk, on request: once `window.__holdCaseWrite` is set, the next transaction that
 * writes a case is kept open (by reading from it) for up to 3 s after its writes were
 * issued, and `__caseWriteIssued` tells the test that the case row's write is in flight.
 */
const holdCaseWrites = () => {
  const w = window as unknown as { __holdCaseWrite?: boolean; __caseWriteIssued?: () => void };
  const open = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = open.apply(this, args);
    if (w.__holdCaseWrite && tx.mode === 'readwrite' && tx.objectStoreNames.contains('cases') && tx.objectStoreNames.contains('audit')) {
      w.__holdCaseWrite = false;
      const cases = tx.objectStore('cases'); // the same object the app gets within this transaction
      const put = cases.put;
      cases.put = function (this: IDBObjectStore, ...a: Parameters<IDBObjectStore['put']>) {
        const request = put.apply(this, a);
        const until = Date.now() + 3_000;
        const keepOpen = () => {
          if (Date.now() < until) tx.objectStore('cases').count().onsuccess = keepOpen;
        };
        keepOpen();
        w.__caseWriteIssued?.();
        return request;
      };
    }
    return tx;
  } as IDBDatabase['transaction'];
};

test('a page closed while a case is being saved leaves the whole case or none of it', async ({ page, context }) => {
  // Six closings, each followed by a reopening, a sign-in and a check of the store: 26 s alone on a
  // 2-core machine, over 45 s beside another test (measured 2026-12-07, before and after that day's changes).
  test.setTimeout(90_000);
  let writeIssued: (() => void) | null = null;
  await context.exposeBinding('__caseWriteIssued', () => writeIssued?.());
  await context.addInitScript(holdCaseWrites);
  await setUpLab(page, [TECH], TECH);

  let current = page;
  let saved = 0;
  const outcomes: string[] = [];
  // Closed a few ms after the tap (before, during or after the write), and once while the write is held in flight.
  const closings: (number | 'held')[] = [0, 25, 45, 70, 150, 'held'];
  for (const [i, when] of closings.entries()) {
    const patientName = `Closed Midsave ${String.fromCharCode(65 + i)}`;
    const mrn = `CLOSE-${1000 + i}`;
    const form = await openNewCase(current);
    await fillNewCase(form, patientName, mrn);
    const openCase = form.getByRole('button', { name: 'Open case' });
    if (when === 'held') {
      const issued = new Promise<void>((resolve) => { writeIssued = resolve; });
      await current.evaluate(() => { (window as unknown as { __holdCaseWrite: boolean }).__holdCaseWrite = true; });
      void openCase.click().catch(() => undefined);
      await issued;
    } else {
      void openCase.click().catch(() => undefined); // the page may close before the click returns
      await new Promise((r) => setTimeout(r, when));
    }
    await current.close();

    // Reopened in the same browser profile: locked, then the technician signs in again.
    current = await context.newPage();
    await current.goto('/');
    await expect(lockScreen(current)).toBeVisible();
    await signIn(current, TECH.name, TECH.pin);
    const listed = await allListedCases(current);
    const mine = listed.filter((t) => t.includes(mrn));
    expect(mine.length, `after closing ${when} ms into the save`).toBeLessThanOrEqual(1);
    if (when === 'held') expect(mine, 'a write still in flight when the page closed is not kept').toEqual([]);
    expect(listed.length).toBe(saved + mine.length);
    if (mine.length === 1) {
      saved++;
      await current.getByRole('list', { name: 'Cases' }).getByRole('link', { name: new RegExp(patientName) }).click();
      await expect(current.getByRole('heading', { level: 1, name: patientName })).toBeVisible();
      const caseNumber = caseNumberIn(mine[0] ?? '');
      expect(caseNumber).not.toBe('');
      await expect(current.getByRole('article').first()).toContainText(caseNumber);
      await expectHistoryVerifies(current);
    }
    outcomes.push(`${when}${when === 'held' ? '' : ' ms'}: ${mine.length ? 'saved whole' : 'not saved'}`);

    const store = await checkStore(current);
    expect(store.cases).toBe(saved);
    expectWholeChains(store);
    // A case number is claimed in the same transaction as the case: none taken by a case that is not there.
    expect(store.counters).toBe(saved);
  }
  test.info().annotations.push({ type: 'outcomes', description: outcomes.join('; ') });
});

test('an admin backs up, the tablet is wiped, and the restore brings back every case', async ({ page, context }, testInfo) => {
  // 38–45 s beside another test on a 2-core machine (2026-12-07): the budget leaves room for a slower one.
  test.setTimeout(90_000);
  await setUpTablet(page);
  await loadDemoCases(page);
  // Each row as listed: patient name, MRN, case number, status, date needed.
  const before = (await allListedCases(page, 12)).sort();
  const numbers = before.map(caseNumberIn);
  expect(new Set(numbers).size, 'twelve distinct case numbers').toBe(12);
  expect(numbers.every(Boolean)).toBe(true);

  const file = await downloadBackup(page, testInfo.outputPath('printpath-backup.json'), { cases: 12 });
  // Its rows were written in a worker (src/db/read-backup-rows.ts), not on the page: the file restored below is the worker's.
  expect(await page.evaluate(() => performance.getEntriesByName('printpath:backup-worker').length)).toBe(1);
  const backup = await readFile(file, 'utf8');
  expect((JSON.parse(backup) as { counts?: { cases?: number } }).counts?.cases).toBe(12);
  for (const n of numbers) expect(backup).toContain(n); // case numbers are not PHI: they stay readable

  // Wipe the tablet: the browser's "clear site data" for this origin (IndexedDB, caches, service worker, storage).
  const origin = new URL(page.url()).origin;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  await cdp.detach();
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
  await page.goto('/');
  const setUp = firstRunScreen(page);
  await expect(setUp).toBeVisible();
  expect((await checkStore(page)).cases).toBe(0);

  // The first-run screen restores everything, people included: the admin in the file types their PIN, which opens its cases.
  const preview = page.getByRole('region', { name: 'What the restore would do' });
  const restore = page.getByRole('region', { name: 'Restore a backup' });
  await restore.getByLabel('Backup file', { exact: true }).setInputFiles(file);
  await restore.getByRole('button', { name: 'Check the file' }).click();
  await expect(preview).toContainText(`Signed by${ADMIN}`);
  await expect(preview).toContainText(/Lab root key[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/);
  await preview.getByLabel('Their PIN or passphrase').fill('000000');
  await preview.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(preview.getByRole('alert')).toHaveText(`Wrong secret for ${ADMIN} in this backup. Nothing was restored.`);
  await expect(setUp).toBeVisible();
  expect((await checkStore(page)).cases).toBe(0);
  await restoreOntoWipedTablet(page, file, { cases: 12 });
  // The lock screen appears; the admin signs in with their old PIN.
  await expect(lockScreen(page)).toBeVisible();
  // In workers (src/crypto/verify-pool.ts): reading the file hashed every entry; restoring it checked the
  // signatures and opened every entry but each case's last.
  const { tables } = JSON.parse(backup) as { tables: { cases: { id: string }[]; audit: { chain: string; sig?: string }[] } };
  const caseIds = new Set(tables.cases.map((c) => c.id));
  const ofCases = tables.audit.filter((e) => caseIds.has(e.chain));
  const inWorkers = await page.evaluate(() => performance.getEntriesByName('printpath:signature-workers').map((e) => (e as PerformanceMeasure).detail as { checks: number; workers: number }));
  // The file was checked twice above (before the wrong PIN, and again), then restored.
  expect(inWorkers.map((p) => p.checks).slice(0, -1)).toEqual([tables.audit.length, tables.audit.length]);
  expect(inWorkers.every((p) => p.workers > 0)).toBe(true);
  expect(inWorkers.at(-1)!.checks).toBeGreaterThanOrEqual(ofCases.length - caseIds.size + ofCases.filter((e) => e.sig).length);
  await signIn(page, ADMIN, ADMIN_PIN);
  const after = (await allListedCases(page, before.length)).sort();
  expect(after).toEqual(before);
  const store = await checkStore(page);
  expect(store.cases).toBe(12);
  expectWholeChains(store);

  // Each case opens, and its history verifies.
  for (const n of numbers) {
    await goHome(page);
    await page.getByLabel('Show').selectOption({ label: 'All cases' });
    await page.getByLabel('Search patient name, MRN or case number').fill(n);
    const row = page.getByRole('list', { name: 'Cases' }).getByRole('link');
    await expect(row).toHaveCount(1);
    await row.click();
    await expect(page.getByRole('article').first()).toContainText(n);
    await expectHistoryVerifies(page);
  }
});

test.describe('a new app version', () => {
  let dir = '';
  let server: ChildProcess | null = null;
  let port = 0;

  const freePort = () =>
    new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });

  test.beforeAll(async () => {
    // A copy of the build, served on its own port, so the test can change it under the app.
    dir = await mkdtemp(join(tmpdir(), 'printpath-update-'));
    await cp(join(ROOT, 'dist'), dir, { recursive: true });
    port = await freePort();
    server = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--outDir', dir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      cwd: ROOT,
      stdio: 'ignore',
      detached: true,
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`vite preview did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  });

  test.afterAll(async () => {
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    server = null;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('is offered, but never reloads over unsaved input', async ({ browser }) => {
    test.setTimeout(40_000);
    const baseURL = `http://127.0.0.1:${port}`;
    // Its own context on this server's origin (the fixture's traffic guard watches the default one), with the same check.
    const context = await browser.newContext({ baseURL, serviceWorkers: 'allow', viewport: { width: 820, height: 1180 } });
    const offOrigin: string[] = [];
    context.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== baseURL) offOrigin.push(u);
    });
    try {
      const page = await context.newPage();
      await page.goto('/');
      await expect(firstRunScreen(page)).toBeVisible();
      // The first visit installs the service worker; it controls the page from the next load on.
      await page.evaluate(() => navigator.serviceWorker.ready);
      if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
      expect(await page.evaluate(() => document.querySelector('meta[name="printpath-e2e-build"]'))).toBeNull();

      await setUpTablet(page, { goto: false, alsoTechnician: true });
      const form = await openNewCase(page);
      await page.evaluate(() => { (window as unknown as { __beforeUpdate?: boolean }).__beforeUpdate = true; });

      // The next version: index.html changes, and sw.js with it (its precache revision and bytes).
      const html = await readFile(join(dir, 'index.html'), 'utf8');
      await writeFile(join(dir, 'index.html'), html.replace('<meta charset="UTF-8" />', '<meta charset="UTF-8" />\n    <meta name="printpath-e2e-build" content="next" />'));
      const sw = await readFile(join(dir, 'sw.js'), 'utf8');
      const nextSw = sw.replace(/\{url:"index\.html",revision:"[^"]+"\}/, '{url:"index.html",revision:"e2e-next-version"}');
      expect(nextSw, 'sw.js precaches index.html with a revision').not.toBe(sw);
      await writeFile(join(dir, 'sw.js'), `${nextSw}\n// next version ${Date.now()}\n`);

      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      const prompt = page.getByRole('status').filter({ hasText: 'A new version of Printpath is ready.' });
      await expect(prompt).toBeVisible({ timeout: 20_000 });
      const reloadNow = prompt.getByRole('button', { name: 'Reload now' });
      await expect(reloadNow).toBeEnabled(); // the form is still empty

      // Unsaved input: the reload is held back.
      const patientName = form.getByLabel('Patient name');
      await patientName.fill('Unsaved Ulla');
      await expect(reloadNow).toBeDisabled();
      await expect(prompt).toContainText('Save or discard your unsaved input');
      // The new worker waits; even a forced tap on the disabled button does nothing.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);
      await reloadNow.click({ force: true });
      // Two frames later the tap has been handled: had it asked the new worker to take over, it would no longer be waiting.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe('installed');
      expect(await page.evaluate(() => (window as unknown as { __beforeUpdate?: boolean }).__beforeUpdate)).toBe(true);
      await expect(patientName).toHaveValue('Unsaved Ulla');
      await expectSignedIn(page, ADMIN);

      // More typing keeps it disabled; clearing the form lets it reload.
      await form.getByLabel('MRN').fill('UPD-1');
      await expect(reloadNow).toBeDisabled();
      await form.getByLabel('MRN').fill('');
      await expect(reloadNow).toBeDisabled();
      await patientName.fill('');
      await expect(reloadNow).toBeEnabled();
      await expect(prompt).toContainText('Reloading takes a moment; you will sign in again.');
      await reloadNow.click();

      // The new version: a fresh page (the marker is gone), served with the new index.html, locked.
      await expect(lockScreen(page)).toBeVisible({ timeout: 20_000 });
      await page.waitForFunction(() => !(window as unknown as { __beforeUpdate?: boolean }).__beforeUpdate);
      await expect(page.locator('meta[name="printpath-e2e-build"]')).toHaveAttribute('content', 'next');
      await expect(page.getByText('A new version of Printpath is ready.')).toHaveCount(0);
      const reg = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { waiting: r?.waiting?.state ?? null, controlled: navigator.serviceWorker.controller !== null };
      });
      expect(reg).toEqual({ waiting: null, controlled: true });
      await signIn(page, ADMIN, ADMIN_PIN);
      expect(offOrigin, 'requests to another origin').toEqual([]);
    } finally {
      await context.close();
    }
  });
});
