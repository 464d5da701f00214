// Schema versions are append-only (database.ts). For every shipped version there
// is a fixture database (fixtures/db-v<N>.json, made once by
// fixtures/make-fixture.test-helper.ts when that version shipped): this test
// writes it with that version's frozen schema, as a tablet in the field holds it,
// opens it with the app's current PrintpathDb so Dexie upgrades it, and checks
// that every case, field, signature and audit entry is still there and verifies.
// It also fails when the store definitions of a shipped version are edited.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dexie from 'dexie';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../src/db/audit-repo';
import { signIn as unlock } from '../../src/db/accounts';
import { lock } from '../../src/db/vault';
import { appendEntry, chainHead } from '../../src/domain/audit-chain';
import { applyRestore, exportBackup, previewRestore, readBackup } from '../../src/db/backup';
import { runCommand } from '../../src/db/case-commands';
import { getCase } from '../../src/db/case-view-repo';
import { listCases } from '../support/list';
import { db, FILES_STALE, INDEX_STALE, PrintpathDb } from '../../src/db/database';
import { canonicalJson } from '../../src/domain/canonical';
import { equipmentTokens } from '../../src/domain/equipment-use';
import { splitPhi } from '../../src/domain/phi';
import { Lab } from '../support/case-builder';
import { asCaseId } from '../../src/domain/ids';
import { deriveStatus, statusKey } from '../../src/domain/workflow';
import type { DbFixture } from './fixtures/make-fixture.test-helper';
import { signInAs, viewOf, wipeTablet } from '../support/tablet';
import { adminIn } from '../support/backup-files';
import { TEST_PIN } from '../support/render-app';
import { factsRow } from '../../src/db/dashboard-facts';
import { daysOf, readInStage } from '../../src/domain/dashboard-totals';

/**
 * The store definitions of every schema version that has shipped, frozen here on
 * purpose: database.ts must keep declaring them exactly so. To change the schema,
 * add a version there (and its copy here, and its fixture), never edit one.
 */
const SHIPPED_SCHEMAS: Record<number, Record<string, string>> = {
  1: {
    cases: 'id, &caseNumber, dateNeeded, [statusKey+dateNeeded], updatedAt',
    audit: '[chain+seq]',
    users: 'id, name',
    settings: 'key',
    printers: 'id, label',
    materials: 'id, name',
    drafts: 'id, userId',
  },
  // Only what changed: a version's stores are those it declares over the versions before it.
  2: {
    cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search',
  },
};

/** Every store as of `version`: each version's declarations over the ones before. */
const storesAt = (version: number): Record<string, string> =>
  Object.assign({}, ...Object.entries(SHIPPED_SCHEMAS).filter(([v]) => Number(v) <= version).map(([, stores]) => stores));

const NEVER_EDIT = 'never edit a shipped schema version: add a new one';
const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtureFiles = readdirSync(FIXTURE_DIR)
  .map((f) => /^db-v(\d+)\.json$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ file: m[0], version: Number(m[1]) }))
  .sort((a, b) => a.version - b.version);

type DeclaredVersion = { _cfg: { version: number; storesSource: Record<string, string | null> | null } };
/** The store definitions each `this.version(n).stores(...)` call in database.ts declares (Dexie keeps them). */
function declaredVersions(d: Dexie): Map<number, Record<string, string | null>> {
  const versions = (d as unknown as { _versions: DeclaredVersion[] })._versions;
  return new Map(versions.map((v) => [v._cfg.version, { ...(v._cfg.storesSource ?? {}) }]));
}

const normalize = (spec: string) => spec.split(',').map((s) => s.trim()).filter(Boolean).join(', ');
const latestShipped = Math.max(...Object.keys(SHIPPED_SCHEMAS).map(Number));

describe('schema versions are append-only', () => {
  it(`keeps the store definitions of every shipped version exactly (${NEVER_EDIT})`, () => {
    const declared = declaredVersions(new PrintpathDb('schema-probe'));
    for (const [version, stores] of Object.entries(SHIPPED_SCHEMAS)) {
      const now = declared.get(Number(version));
      expect(now, `schema version ${version} has shipped and is no longer declared in database.ts: ${NEVER_EDIT}`).toBeDefined();
      expect(now, `schema version ${version} was edited in database.ts: ${NEVER_EDIT}`).toEqual(stores);
    }
    expect(db.verno, `database.ts declares an older version than the shipped ${latestShipped}`).toBeGreaterThanOrEqual(latestShipped);
  });

  it(`the tables the app opens are the latest shipped version's, unless a newer version is declared (${NEVER_EDIT})`, () => {
    const probe = new PrintpathDb('schema-probe');
    if (probe.verno > latestShipped) return; // a new version is on its way; the test above guards the shipped ones
    const tables = Object.fromEntries(probe.tables.map((t) => [t.name, [t.schema.primKey, ...t.schema.indexes].map((i) => i.src).join(', ')]));
    const frozen = Object.fromEntries(Object.entries(storesAt(latestShipped)).map(([name, spec]) => [name, normalize(spec)]));
    expect(tables, `db.tables differ from shipped version ${latestShipped}: ${NEVER_EDIT}`).toEqual(frozen);
  });

  it('has a fixture database for every shipped version, and a frozen schema for every fixture', () => {
    const withFixture = new Set(fixtureFiles.map((f) => f.version));
    for (const version of Object.keys(SHIPPED_SCHEMAS).map(Number)) {
      expect(withFixture.has(version), `no fixtures/db-v${version}.json: make it with fixtures/make-fixture.test-helper.ts when version ${version} ships`).toBe(true);
    }
    for (const { version } of fixtureFiles) expect(SHIPPED_SCHEMAS[version], `fixtures/db-v${version}.json has no frozen schema in SHIPPED_SCHEMAS`).toBeDefined();
  });
});

describe.each(fixtureFiles)('a tablet holding a database of schema version $version ($file)', ({ file, version }) => {
  const fixture = JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as DbFixture;
  const name = db.name;

  beforeAll(async () => {
    // Written as that version wrote it: a plain Dexie declaring only that version's stores.
    await wipeTablet(); // locks, and closes every connection of the app
    db.close();
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(version).stores(storesAt(version));
    await old.open();
    await old.transaction('rw', old.tables, async () => {
      for (const [table, rows] of Object.entries(fixture.tables)) await old.table(table).bulkAdd(rows);
    });
    old.close();
    // The current app opens it: Dexie upgrades it to the current version.
    await db.open();
  }, 30_000);

  it('opens at the current version with every stored row of the fixture still there', async () => {
    expect(fixture.schemaVersion).toBe(version);
    expect(db.verno).toBeGreaterThanOrEqual(version);
    // Audit entries are append-only: byte for byte the same. (Cases are compared as the
    // app reads them below. A later upgrade that reshapes another table's rows must say
    // here how its rows are compared.)
    for (const [table, rows] of Object.entries(fixture.tables)) {
      if (table === 'cases') continue;
      // The upgrades to 2 (list keys) and to 4 (the sign-off queue's keys) add the flag that has them derived at the first sign-in;
      // the upgrade to 6 the one that has the model files to move derived from the cases.
      const flag = (r: { key?: string }, key: string, before: number) => version < before && table === 'settings' && r.key === key && !(rows as { key?: string }[]).some((x) => x.key === key);
      const added = (r: { key?: string }) => flag(r, INDEX_STALE, 4) || flag(r, FILES_STALE, 6);
      const stored = (await db.table(table).toArray()).filter((r: { key?: string }) => !added(r));
      expect(stored.length, `${table}: rows lost or added by the upgrade`).toBe(rows.length);
      const byContent = new Set(stored.map((r) => canonicalJson(r)));
      for (const row of rows) expect(byContent.has(canonicalJson(row)), `${table}: a row changed in the upgrade: ${canonicalJson(row).slice(0, 120)}`).toBe(true);
    }
    expect(await db.cases.count()).toBe(fixture.expected.cases.length);
    // The upgrade to 8 derives which lab entries each case names from its clear part (no sign-in needed), and counts them.
    const facts = new Map((await db.caseFacts.toArray()).map((f) => [f.id, f]));
    for (const row of await db.cases.toArray()) expect(facts.get(row.id)?.uses, `uses of ${row.caseNumber}`).toEqual(equipmentTokens(row.clear));
    expect([...facts.values()].some((f) => f.uses.length > 0)).toBe(true);
    expect(await db.equipmentUse.count()).toBeGreaterThan(0);
  });

  it('before a lab admin has started the signed log, nobody else can sign in, and says why', async () => {
    await lock();
    const tess = (await db.users.where('name').equals('Tess Technician').first())!;
    await expect(unlock(tess.id, TEST_PIN)).rejects.toThrow('Printpath was updated: a lab admin must sign in first, to start the lab’s signed log.');
  });

  it('the fixture’s admin signs in with the same secret; every case, field, signature and history entry is as it was and verifies', async () => {
    await signInAs(fixture.admin, { force: true });
    for (const expected of fixture.expected.cases) {
      const now = await getCase(asCaseId(expected.id));
      expect(now, `case ${expected.caseNumber} is gone`).not.toBeNull();
      const view = viewOf(now!);
      expect(view.history, `history of ${expected.caseNumber}`).toEqual(expected.view.history);
      expect(view.history.ok).toBe(true);
      expect(view.signatures, `signature checks of ${expected.caseNumber}`).toEqual(expected.view.signatures);
      for (const check of Object.values(view.signatures)) expect(check).toBe('verified');
      expect(view.distrusted).toEqual([]);
      // Every field as it was (an upgrade may add fields, never drop or change one).
      expect(view.case, `case ${expected.caseNumber}`).toMatchObject(expected.view.case);
      expect(view.events, `events of ${expected.caseNumber}`).toMatchObject(expected.view.events);
      // The status index still says what the rules say.
      const row = (await db.cases.get(expected.id))!;
      expect(row.statusKey, `status index of ${expected.caseNumber}`).toBe(statusKey(deriveStatus(view.case)));
      expect(row.statusKey).toBe(expected.statusKey);
    }
    const lab = await readLabHistory();
    expect(lab.verification.ok, 'lab audit chain').toBe(true);
    expect(lab.entries.length).toBeGreaterThan(fixture.expected.labEntries); // plus this sign-in
    // The admin's first sign-in started the signed log: everyone and every case as they were, attested by that admin.
    expect(lab.problem).toBeNull();
    expect(lab.entries.find((e) => e.kind === 'signed-log-started')).toMatchObject({ actorName: fixture.admin, signed: true });
    for (const expected of fixture.expected.cases) expect((await getCase(asCaseId(expected.id)))!.record.state).toBe('legacy');
  });

  it('the indexes still find every case, and the upgraded database takes new writes, backups and restores', async () => {
    await signInAs(fixture.admin, { force: true });
    const all = await listCases({ search: '', status: 'all', overdueOnly: false, today: '2026-11-27' });
    expect(all.map((c) => c.id).sort()).toEqual(fixture.expected.cases.map((c) => c.id).sort());
    for (const key of new Set(fixture.expected.cases.map((c) => c.statusKey))) {
      const listed = await listCases({ search: '', status: key, overdueOnly: false, today: '2026-11-27' });
      expect(listed.map((c) => c.id).sort()).toEqual(fixture.expected.cases.filter((c) => c.statusKey === key).map((c) => c.id).sort());
    }

    // Search finds each case by its MRN, its surname and its case number (from version 1, by the tokens the first sign-in built).
    for (const c of fixture.expected.cases) {
      const { patientName, mrn } = c.view.case.phi;
      for (const query of [mrn, patientName.split(' ').at(-1)!, c.caseNumber]) {
        const found = await listCases({ search: query, status: 'all', overdueOnly: false, today: '2026-11-27' });
        expect(found.map((f) => f.id), `search "${query}"`).toContain(c.id);
      }
    }

    const open = fixture.expected.cases.find((c) => c.statusKey === 'imaging')!;
    await runCommand(asCaseId(open.id), { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: !open.view.case.stages.imaging.checklist.qualityAdequate?.done });
    const after = (await getCase(asCaseId(open.id)))!;
    expect(after.history).toMatchObject({ ok: true, count: open.view.history.ok ? open.view.history.count + 1 : -1 });

    const before = canonicalJson((await Promise.all(fixture.expected.cases.map(async (c) => viewOf((await getCase(asCaseId(c.id)))!)))));
    const file = await exportBackup(null, TEST_PIN);
    await wipeTablet();
    const restored = await readBackup(await file.blob.text(), null);
    await applyRestore(restored, {}, { admin: adminIn(restored, fixture.admin) });
    await signInAs(fixture.admin, { force: true });
    expect(canonicalJson(await Promise.all(fixture.expected.cases.map(async (c) => viewOf((await getCase(asCaseId(c.id)))!))))).toBe(before);
    expect(await previewRestore(await readBackup((await file.blob.text()), null))).toMatchObject({ identicalCases: fixture.expected.cases.length, differing: [] });
  });

  it('an unsigned entry inserted into an old case’s history after the upgrade does not verify: the signed log anchored each old history', async () => {
    await signInAs(fixture.admin, { force: true });
    // A case nobody has changed since the upgrade: its history is all from before the signed log.
    const chainOf = (id: string) => db.audit.where('[chain+seq]').between([id, 0], [id, Infinity]).toArray();
    const untouched = [];
    for (const c of fixture.expected.cases) if ((await chainOf(c.id)).every((e) => e.v !== 2)) untouched.push(c.id);
    const id = untouched[0]!;
    const last = (await chainOf(id)).at(-1)!;
    const forged = appendEntry(last, { chain: id, at: last.at, actorId: last.actorId, actorName: last.actorName, kind: last.kind, body: last.body });
    await db.audit.add(forged);
    await db.cases.update(id, { auditHead: chainHead(forged, id) });
    const history = (await getCase(asCaseId(id)))!.history;
    expect(history).toMatchObject({ ok: false, reason: expect.stringMatching(/made before the signed log, but the lab log does not record it/) });
  });

});

describe('schema version 7: a case number is found by a prefix of its words', () => {
  it('a row of version 6 loses its plain "#" search entries and gains its case number’s words, found by prefix', async () => {
    const name = 'printpath-v7-probe';
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(6).stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search, signoffSort', settings: 'key' });
    await old.open();
    const { clear } = splitPhi(new Lab().build({ deliverables: [], through: 'opened' }));
    await old.table('cases').add({ id: 'c1', caseNumber: 'PP-2026-AB-0042', updatedAt: '2026-01-01', sortKey: 'a', openSort: 'a', workSort: 'a', statusKey: 'imaging', search: ['hashedToken1', '#p', '#pp', '#0042'], clear });
    old.close();
    const upgraded = new PrintpathDb(name);
    const row = await upgraded.cases.get('c1');
    expect(row?.search).toEqual(['hashedToken1']);
    expect(row?.numberKeys).toEqual(['pp2026ab0042', '2026ab0042', 'ab0042', '0042']);
    expect(await upgraded.cases.where('numberKeys').startsWith('ab00').primaryKeys()).toEqual(['c1']);
    expect(await upgraded.cases.where('search').equals('#0042').primaryKeys()).toEqual([]);
    upgraded.close();
    await Dexie.delete(name);
  });
});

describe('schema version 8: the dashboard’s totals per day, and how many cases name each lab entry', () => {
  it('a database of version 7 gains each case’s facts with the entries it names, each day’s totals and each entry’s count', async () => {
    const name = 'printpath-v8-probe';
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(7).stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search, signoffSort, *numberKeys, *uses', caseFacts: 'id', settings: 'key' });
    await old.open();
    const lab = new Lab();
    const cases = [lab.build({ through: 'opened' }), lab.build({ through: 'delivery' }), lab.build({ through: 'printing' })];
    const rows = cases.map((c) => ({ id: c.id, caseNumber: c.caseNumber, updatedAt: c.updatedAt, sortKey: c.id, statusKey: statusKey(deriveStatus(c)), search: [], uses: [], clear: splitPhi(c).clear }));
    await old.table('cases').bulkAdd(rows);
    old.close();
    const upgraded = new PrintpathDb(name);
    // The upgrade reads the cases in key order.
    const facts = rows.map((r) => factsRow(r)).sort((a, b) => a.id.localeCompare(b.id));
    expect(await upgraded.caseFacts.toArray()).toEqual(facts);
    const days = await upgraded.dashboardDays.toArray();
    expect(days.map(({ openedOn, totals }) => ({ openedOn, totals }))).toEqual(daysOf(facts.map((f) => f.facts)));
    expect(days.reduce((n, d) => n + d.totals.cases, 0)).toBe(3);
    const tokens = facts.flatMap((f) => f.uses);
    expect(tokens.length).toBeGreaterThan(0);
    expect(Object.fromEntries((await upgraded.equipmentUse.toArray()).map((u) => [u.token, u.cases]))).toEqual(Object.fromEntries([...new Set(tokens)].map((t) => [t, tokens.filter((x) => x === t).length])));
    expect(await upgraded.caseFacts.where('uses').equals(tokens[0]!).count()).toBeGreaterThan(0);
    upgraded.close();
    await Dexie.delete(name);
  });
});

describe('schema version 9: a day’s cases still in a stage kept as one string each', () => {
  it('a database of version 8 has its day totals summed again from the kept facts', async () => {
    const name = 'printpath-v9-probe';
    await Dexie.delete(name);
    const lab = new Lab();
    const cases = [lab.build({ through: 'opened' }), lab.build({ through: 'delivery' }), lab.build({ through: 'printing' })];
    const rows = cases.map((c) => ({ id: c.id, caseNumber: c.caseNumber, updatedAt: c.updatedAt, sortKey: c.id, statusKey: statusKey(deriveStatus(c)), search: [], clear: splitPhi(c).clear }));
    const facts = rows.map((r) => factsRow(r)).sort((a, b) => a.id.localeCompare(b.id));
    // Version 8 kept each in-stage case as an object of five fields.
    const objectDays = daysOf(facts.map((f) => f.facts)).map(({ openedOn, totals }) => ({
      openedOn,
      zones: { [facts[0]!.zone]: totals.cases },
      totals: { ...totals, inStage: totals.inStage.map(readInStage) },
    }));
    expect(objectDays.some((d) => d.totals.inStage.length > 0)).toBe(true);
    const old = new Dexie(name);
    old.version(8).stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search, signoffSort, *numberKeys', caseFacts: 'id, *uses', dashboardDays: 'openedOn', equipmentUse: 'token', settings: 'key' });
    await old.open();
    await old.table('cases').bulkAdd(rows);
    await old.table('caseFacts').bulkAdd(facts);
    await old.table('dashboardDays').bulkAdd(objectDays);
    old.close();
    const upgraded = new PrintpathDb(name);
    const days = await upgraded.dashboardDays.toArray();
    expect(days.map(({ openedOn, totals }) => ({ openedOn, totals }))).toEqual(daysOf(facts.map((f) => f.facts)));
    expect(days.flatMap((d) => d.totals.inStage).every((e) => typeof e === 'string')).toBe(true);
    expect(days.flatMap((d) => d.zones[facts[0]!.zone] ?? 0).reduce((a, b) => a + b, 0)).toBe(3);
    upgraded.close();
    await Dexie.delete(name);
  });
});
