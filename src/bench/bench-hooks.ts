// Benchmark build only (`vite build --mode bench`, see scripts/bench): src/main.tsx
// loads this module on the harness's request, never in a normal build. It seeds
// the 10,000 cases and runs the two sides of the list-query probe in the page;
// everything else the harness measures through the UI.
import type { DataKey } from '../crypto/key-ring';
import * as caseRepo from '../db/case-repo';
import { patientOf } from '../db/case-codec';
import { db, type CaseRow } from '../db/database';
import { loadDemoCases } from '../db/demo-repo';
import { requireUnlock, setUnlocked } from '../db/vault';
import { decryptJson } from '../crypto/field-cipher';
import type { PhiBundle } from '../domain/phi';
import { seededRng } from '../domain/demo-cases';
import { todayLocal } from '../ui/format';
import type { CaseId } from '../domain/ids';

const DAY = 86_400_000;

/** 0 = just opened … 4 = delivered (all four stages filled in), 5 = closed: 4 in 5 cases have all four stages. */
export const benchProgress = (i: number): number => {
  const k = i % 20;
  return k < 4 ? k : k < 10 ? 4 : 5;
};

/**
 * Adds `count` demo cases in batches of `batch`, each batch one transaction, the
 * batches spread back over the last two years (so case numbers stay per-year and
 * the dates needed spread out). Needs a lab admin signed in.
 */
async function seed(count: number, adminSecret: string, batch = 500): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const batches = Math.ceil(count / batch);
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const n = Math.min(batch, count - done);
    const now = new Date(Date.now() - Math.round(((batches - 1 - b) * 730) / batches) * DAY);
    await loadDemoCases(n, adminSecret, now, 2019 + b, { progress: benchProgress });
    done += n;
    console.info(`[bench] seeded ${done}/${count} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return { ms: performance.now() - started, count: await db.cases.count() };
}

export type PickedCase = { id: string; caseNumber: string; patientName: string; mrn: string; statusKey: string };

/** `count` different cases (a seeded pick), optionally only those with one status key. */
async function pickCases(count: number, statusKey: string | null = null, seedValue = 7): Promise<PickedCase[]> {
  const { dataKey } = requireUnlock();
  const rows = (await db.cases.toArray()).filter((r) => !statusKey || r.statusKey === statusKey);
  const rng = seededRng(seedValue);
  const picked: PickedCase[] = [];
  const taken = new Set<number>();
  while (picked.length < Math.min(count, rows.length)) {
    const i = Math.floor(rng() * rows.length);
    if (taken.has(i)) continue;
    taken.add(i);
    const r = rows[i]!;
    const p = await patientOf(r, dataKey);
    picked.push({ id: r.id, caseNumber: r.caseNumber, patientName: p.patientName, mrn: p.mrn, statusKey: r.statusKey });
  }
  // What the pick opened must not make the measured screens faster than a person's first look.
  forgetDecrypted();
  return picked;
}

type ListOutcome = { ms: number; ids: number; rows: { id: string; patientName: string; mrn: string }[] };
/** Drops decrypted PHI held in memory (the vault's listeners clear their caches), as after a fresh sign-in. */
function forgetDecrypted(): void {
  setUnlocked(requireUnlock());
}

/** The case list's query while searching, through the data layer: every id of "All cases" in order, and the first `first` rows, decrypted. */
async function listQueryApp(first = 50): Promise<ListOutcome> {
  forgetDecrypted();
  const today = todayLocal();
  const t0 = performance.now();
  const ids = await caseRepo.listCaseIds({ status: 'all', overdueOnly: false, today });
  const rows = await caseRepo.listRows(ids.slice(0, first), today);
  const ms = performance.now() - t0;
  return { ms, ids: ids.length, rows: rows.map(({ id, patientName, mrn }) => ({ id, patientName, mrn })) };
}

/** The case list's query without a search (what the list shows after unlock): the count and the first page of rows, decrypted. */
async function listPageApp(): Promise<ListOutcome> {
  forgetDecrypted();
  const f = { status: 'all', overdueOnly: false, today: todayLocal() };
  const t0 = performance.now();
  const [count, ids] = await Promise.all([caseRepo.countListed(f), caseRepo.listPage(f, 0)]);
  const rows = await caseRepo.listRows(ids, f.today);
  const ms = performance.now() - t0;
  return { ms, ids: count, rows: rows.map(({ id, patientName, mrn }) => ({ id, patientName, mrn })) };
}

/** What a row of the list shows, opened straight with the data key (the bare probes' decrypt step). */
const openRows = (values: CaseRow[], dataKey: DataKey) =>
  Promise.all(
    values.map(async (r) => {
      const { patient } = await decryptJson<PhiBundle>(r.sealed, dataKey, r.id);
      return { id: r.id, patientName: patient.patientName, mrn: patient.mrn };
    }),
  );

/** A bare IndexedDB request as a promise. */
const done = <T>(req: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((req.onsuccess = () => resolve(req.result)), (req.onerror = () => reject(req.error))));

/** Walks a bare cursor one request at a time while `step` returns true. */
const walk = <C extends IDBCursor>(req: IDBRequest<C | null>, step: (cursor: C) => boolean) =>
  new Promise<void>((resolve, reject) => {
    req.onsuccess = () => {
      const cursor = req.result;
      if (cursor && step(cursor)) cursor.continue();
      else resolve();
    };
    req.onerror = () => reject(req.error);
  });

let bare: Promise<IDBDatabase> | null = null;
const openBare = () =>
  (bare ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('printpath');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }));

/**
 * The same result straight from IndexedDB: one read-only transaction, a key cursor
 * over the list's date index for every id in order, a value cursor for the first
 * `first` rows, and their PHI opened with the data key. The connection stays open.
 */
async function listQueryBareCursor(first = 50): Promise<ListOutcome & { index: string }> {
  const { dataKey } = requireUnlock();
  const idb = await openBare();
  const t0 = performance.now();
  const tx = idb.transaction('cases', 'readonly');
  const store = tx.objectStore('cases');
  const index = store.index(store.indexNames.contains('sortKey') ? 'sortKey' : 'dateNeeded');
  const ids: string[] = [];
  const values: CaseRow[] = [];
  await Promise.all([
    walk(index.openKeyCursor(), (c) => ids.push(c.primaryKey as string) > 0),
    walk(index.openCursor(), (c) => values.push(c.value as CaseRow) < first),
  ]);
  const rows = await openRows(values, dataKey);
  const ms = performance.now() - t0;
  return { ms, ids: ids.length, rows, index: index.name };
}

/** The same with IndexedDB's bulk reads instead of cursors: getAllKeys on the index, getAll for the first rows. */
async function listQueryBareGetAll(first = 50): Promise<ListOutcome> {
  const { dataKey } = requireUnlock();
  const idb = await openBare();
  const t0 = performance.now();
  const store = idb.transaction('cases', 'readonly').objectStore('cases');
  const index = store.index(store.indexNames.contains('sortKey') ? 'sortKey' : 'dateNeeded');
  const [ids, values] = await Promise.all([done(index.getAllKeys()), done(index.getAll(null, first)) as Promise<CaseRow[]>]);
  const rows = await openRows(values, dataKey);
  return { ms: performance.now() - t0, ids: ids.length, rows };
}

/** The same page straight from IndexedDB: the index's count, a value cursor for the first page, the PHI opened with the data key. */
async function listPageBareCursor(): Promise<ListOutcome> {
  const { dataKey } = requireUnlock();
  const idb = await openBare();
  const t0 = performance.now();
  const index = idb.transaction('cases', 'readonly').objectStore('cases').index('sortKey');
  const values: CaseRow[] = [];
  const [count] = await Promise.all([done(index.count()), walk(index.openCursor(), (c) => values.push(c.value as CaseRow) < caseRepo.LIST_PAGE)]);
  const rows = await openRows(values, dataKey);
  return { ms: performance.now() - t0, ids: count, rows };
}

/** One frame after the DOM changed: the next animation frame, then a message (after that frame's paint). */
const nextPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(null);
}));

/**
 * The search floor: what a search must do at least, with no framework. The same blind-index
 * reads as the app (the query's tokens, one getAllKeys on the search index per token, the
 * cases having every word), those cases read in one transaction and put in list order (soonest
 * needed first, by their sort key), the first page's PHI opened with the data key, and the count
 * line and rows painted with plain DOM over the page. Timed from the call to the frame after
 * the paint; the DOM is removed afterwards. The decrypted PHI is not cached, as in the app
 * after a sign-in.
 */
async function searchFloor(query: string): Promise<ListOutcome> {
  const { dataKey, searchKey } = requireUnlock();
  const { queryTokens } = await import('../domain/search-terms');
  const idb = await openBare();
  const t0 = performance.now();
  const store = idb.transaction('cases', 'readonly').objectStore('cases');
  const search = store.index('search');
  const numbers = store.index('numberKeys');
  const byTerm = await Promise.all(
    queryTokens(searchKey, query).map(async ({ hashed, prefix }) => (await Promise.all([done(search.getAllKeys(hashed)), done(numbers.getAllKeys(IDBKeyRange.bound(prefix, `${prefix}\uffff`)))])).flat()),
  );
  const [first = [], ...rest] = byTerm;
  const others = rest.map((ids) => new Set(ids));
  const ids = [...new Set(first)].filter((id) => others.every((o) => o.has(id)));
  const found = (await Promise.all(ids.map((id) => done(store.get(id) as IDBRequest<CaseRow>)))).sort((a, b) => (a.sortKey ?? '').localeCompare(b.sortKey ?? ''));
  const rows = await openRows(found.slice(0, caseRepo.LIST_PAGE), dataKey);
  const box = document.createElement('div');
  // Through the CSSOM: the app's content security policy refuses style attributes.
  Object.assign(box.style, { position: 'fixed', inset: '0', zIndex: '99999', background: '#fff', overflow: 'hidden', font: '16px system-ui', padding: '8px' });
  const count = document.createElement('p');
  count.textContent = `${ids.length} case${ids.length === 1 ? '' : 's'}, soonest needed first`;
  const list = document.createElement('ul');
  for (const r of rows) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `/cases/${r.id}`;
    a.textContent = `${r.patientName} · MRN ${r.mrn}`;
    li.append(a);
    list.append(li);
  }
  box.append(count, list);
  document.body.append(box);
  await nextPaint();
  const ms = performance.now() - t0;
  box.remove();
  return { ms, ids: ids.length, rows };
}

/**
 * The data layer of the dashboard and of lab settings' "in use": from what is kept on write (the
 * dashboardDays and equipmentUse tables), and with `every` also from reading every case, as before
 * (seconds each at 10,000 cases).
 */
async function aggregateReads(every: boolean): Promise<Partial<Record<'dashboardKept' | 'dashboardEvery' | 'usageIndex' | 'usageEvery', number>>> {
  const { keptChecked, readDashboardDays, TABLET_CLOCK } = await import('../db/dashboard-repo');
  const { readLabListUsage } = await import('../db/lab-settings-repo');
  const time = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const dashboardKept = await time(() => readDashboardDays());
  // The count behind the kept totals would otherwise share the database with the next read.
  await keptChecked();
  const kept = { dashboardKept, usageIndex: await time(() => readLabListUsage()) };
  if (!every) return kept;
  return {
    ...kept,
    // Another clock object (the same days) takes the path that reads every case.
    dashboardEvery: await time(() => readDashboardDays({ ...TABLET_CLOCK })),
    usageEvery: await time(() => readLabListUsage({ scan: true })),
  };
}

/**
 * Makes `count` cases wait for the radiologist (the generator signs every stage it fills in):
 * just-opened cases get their imaging recorded and ticked by the signed-in person, through the
 * app's write path. Idempotent: counts what already waits. Returns how many wait, from the index.
 */
async function makeWaiting(count: number): Promise<{ ms: number; waiting: number }> {
  const started = performance.now();
  const { runCommand } = await import('../db/case-commands');
  const { countQueue } = await import('../db/queue-repo');
  const missing = count - (await countQueue('radiologist'));
  const fresh = (await db.cases.where('[statusKey+sortKey]').between(['imaging', ''], ['imaging', '\uffff']).toArray()).filter((r) => r.clear.stages.imaging.updatedAt === null).slice(0, Math.max(0, missing));
  for (const [n, r] of fresh.entries()) {
    const id = r.id as CaseId;
    await runCommand(id, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: r.clear.createdAt.slice(0, 10), accessionNumber: `ACCQ${String(n).padStart(6, '0')}`, sliceThicknessMm: 0.625 } });
    for (const item of ['studyRetrieved', 'qualityAdequate']) await runCommand(id, { type: 'tick', stage: 'imaging', item, done: true });
  }
  return { ms: performance.now() - started, waiting: await countQueue('radiologist') };
}

export const hooks = { seed, makeWaiting, searchFloor, aggregateReads, listPageApp, listPageBareCursor, countCases: () => db.cases.count(), pickCases, listQueryApp, listQueryBareCursor, listQueryBareGetAll };
export type BenchHooks = typeof hooks;
