// Fuzz: mutated backup files fed to restore. From valid exports of a small lab
// (plain, and passphrase-sealed), fast-check makes over a thousand damaged files —
// bytes flipped, deleted, inserted or cut off; JSON keys dropped or given twice;
// array items dropped, repeated, swapped or moved; numbers and strings changed;
// header fields, counts and checksum edited; audit entries reordered or moved to
// another chain; base64 of sealed blobs and wrapped keys corrupted — often with the
// counts and checksum recomputed, and often signed again by the lab's own admin (an
// insider with their sign-off key), so the file gets past them to the deeper checks.
// Each goes through readBackup → previewRestore → applyRestore (every differing
// case taken from the backup), on a tablet in use (same device key) and on a
// wiped tablet. Each must be refused with a plain sentence and leave the
// database byte-identical, or be imported whole. The seed is fixed; the lab is
// built the same way each run (only ids and ciphertexts differ), so a failing
// mutation is reported with a description that reproduces it. FUZZ_REPORT=1
// prints how many files of each kind were refused or imported. Bugs it found are
// reproduced at the end ("known bugs") and tolerated, by exact symptom, meanwhile.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../src/db/audit-repo';
import { applyRestore, BackupError, exportBackup, previewRestore, readBackup, type RestorePreview } from '../../src/db/backup';
import { BACKUP_FORMAT, backupSigningText, type BackupHeader, type PlainBackup } from '../../src/db/backup-format';
import { runCommand } from '../../src/db/case-commands';
import { db } from '../../src/db/database';
import { storedCase } from '../../src/db/stored-case';
import { fromRow } from '../../src/db/case-codec';
import { getCase } from '../../src/db/case-view-repo';
import { loadDemoCases } from '../../src/db/demo-repo';
import { CommandRefused } from '../../src/db/errors';
import { currentUnlock, setUnlocked, type Unlocked } from '../../src/db/vault';
import { encryptJson } from '../../src/crypto/field-cipher';
import { deriveSecretKeys, newKdfParams } from '../../src/crypto/secret-keys';
import { signText, unwrapSigningKey } from '../../src/crypto/signing-keys';
import { verifyChain, type ChainHead } from '../../src/domain/audit-chain';
import { canonicalJson } from '../../src/domain/canonical';
import { asCaseId } from '../../src/domain/ids';
import { deriveStatus, statusKey } from '../../src/domain/workflow';
import { dumpDatabase } from '../support/db-dump';
import { order } from '../support/orders';
import { ADMIN, signIn, TEST_PIN } from '../support/render-app';
import { signInAs, wipeTablet } from '../support/tablet';

/** A backup's checksum (format 2) over rows as a reader parses them: SHA-256 of their JSON, as `backupChecksum` computes it with Web Crypto. */
const checksumOfRows = (tables: unknown) => createHash('sha256').update(JSON.stringify(tables)).digest('hex');

const RUNS_PER_TABLET = 520; // × 2 tablets = 1,040 mutated files
const SEED = 20261127;
const NOW = '2026-11-27T12:00:00.000Z';
const PASSPHRASE = 'fuzzing is a passphrase too';
const TABLES = ['cases', 'audit', 'users', 'settings', 'printers', 'materials'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ---------------------------------------------------------------------------
// The lab and its backups
// ---------------------------------------------------------------------------

type Source = { name: 'plain' | 'sealed'; text: string; plain: JsonObject; envelope: JsonObject | null };
let plainSource: Source;
let sealedSource: Source;
let kek: CryptoKey;
let kdf: ReturnType<typeof newKdfParams>;
let tabletInUse: Record<string, unknown[]>;
let admin: Unlocked;
/** The lab admin's sign-off key and its fingerprint: what an insider signs an edited file with. */
let insider: { id: string; key: CryptoKey; keyFingerprint: string };

async function allRows(): Promise<Record<string, unknown[]>> {
  return Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const)));
}

async function putRows(rows: Record<string, unknown[]>): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    for (const t of db.tables) {
      await t.clear();
      await t.bulkAdd(rows[t.name] ?? []);
    }
  });
  // Drop PHI decrypted from rows that are gone (the cache is keyed by case revision).
  setUnlocked(admin);
}

/** Seals a (possibly mutated) plain backup the way exportBackup does, with a cheap KDF. */
async function seal(plainText: string): Promise<string> {
  const sealed = await encryptJson(JSON.parse(plainText), kek, BACKUP_FORMAT);
  const plain = JSON.parse(plainText) as JsonObject;
  return JSON.stringify({ format: BACKUP_FORMAT, formatVersion: plain.formatVersion ?? 1, appVersion: plain.appVersion ?? '', exportedAt: plain.exportedAt ?? NOW, encrypted: true, kdf, sealed });
}

beforeAll(async () => {
  await wipeTablet();
  await signIn(ADMIN, ['admin']);
  await signIn('Tess Technician', ['technician']);
  await signInAs(ADMIN);
  await loadDemoCases(2, TEST_PIN, new Date('2026-11-20T10:00:00Z'), 7);
  await db.printers.add({ id: 'printer-1', label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting', retired: false });
  await db.materials.add({ id: 'material-1', name: 'VeroClear', colour: 'clear', biocompatible: false, sterilizable: false, lot: '', retired: false });
  await signInAs('Tess Technician');
  const cancelled = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: cancelled, input: order({ patientName: 'Ольга Иванова', mrn: 'MRN-77001' }) }, NOW);
  await runCommand(cancelled, { type: 'cancel', reason: 'Transferred to 北京协和医院' }, NOW);
  await signInAs(ADMIN);
  admin = currentUnlock()!;
  const adminRow = (await db.users.get(admin.actor.id))!;
  insider = { id: adminRow.id, key: await unwrapSigningKey(adminRow.wrappedSigningKey, (await deriveSecretKeys(TEST_PIN, adminRow.kdf)).kek), keyFingerprint: adminRow.signingKeys.at(-1)!.fingerprint };

  const plainText = await (await exportBackup(null, TEST_PIN, NOW)).blob.text();
  kdf = newKdfParams(1_000);
  kek = (await deriveSecretKeys(PASSPHRASE, kdf)).kek;
  const sealedText = await seal(plainText);
  // Same envelope as the app's own (which uses the production KDF cost, too slow to fuzz).
  const real = JSON.parse(await (await exportBackup(PASSPHRASE, TEST_PIN, NOW)).blob.text()) as JsonObject;
  expect(Object.keys(JSON.parse(sealedText)).sort()).toEqual(Object.keys(real).sort());
  expect(await readBackup(sealedText, PASSPHRASE)).toEqual(await readBackup(plainText, null));
  plainSource = { name: 'plain', text: plainText, plain: JSON.parse(plainText), envelope: null };
  sealedSource = { name: 'sealed', text: sealedText, plain: JSON.parse(plainText), envelope: JSON.parse(sealedText) };

  // The tablet moves on after the backup: one case changes, one is new.
  await signInAs('Tess Technician');
  const open = (await db.cases.toArray()).find((r) => r.statusKey === 'imaging')!;
  await runCommand(asCaseId(open.id), { type: 'cancel', reason: 'Changed after the backup' }, NOW);
  await runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input: order({ patientName: '山田 太郎' }) }, NOW);
  await signInAs(ADMIN);
  admin = currentUnlock()!;
  tabletInUse = await allRows();
}, 60_000);

afterAll(async () => {
  await wipeTablet();
});

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

type Fixup = 'none' | 'checksum' | 'counts+checksum' | 'counts+checksum+signature';

type TextMutation =
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'bitflip'; at: number; bit: number };

type JsonMutation =
  | { kind: 'dropKey'; at: number; pick: number }
  | { kind: 'dupKey'; at: number; pick: number; value: number; after: boolean }
  | { kind: 'dropItem' | 'dupItem'; at: number; pick: number }
  | { kind: 'swapItems' | 'moveItem'; at: number; pick: number; pick2: number }
  | { kind: 'setNumber' | 'setString' | 'replaceNode' | 'corruptBase64'; at: number; value: number }
  | { kind: 'header'; field: number; value: number }
  | { kind: 'swapRowField'; table: number; field: number; pick: number; pick2: number }
  | { kind: 'shuffleAudit'; seed: number }
  | { kind: 'swapSeq'; pick: number; pick2: number }
  | { kind: 'moveEntry'; pick: number; pick2: number }
  | { kind: 'dupRow'; table: number; pick: number; key: 'same' | 'new' | 'sameCaseNumber' }
  | { kind: 'setSetting'; pick: number; value: number };

type Mutation = {
  source: 'plain' | 'sealed';
  /** Where a JSON mutation applies: the plain backup (sealed again afterwards), or a sealed file's envelope. */
  layer: 'content' | 'envelope';
  passphrase: 'right' | 'wrong' | 'none';
  change: { text: TextMutation } | { json: JsonMutation; fixup: Fixup };
};

const at = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const pick = fc.nat(10_000);
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, char: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '0', '9', 'a', 'Z', '\\', ' ', '-', '.', 'e', 'ä', '\u0000', '😀') }),
  fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at, text: fc.oneof(fc.constantFrom(',', '"', ',"x":1', 'null', '{}', '[]', '\\u0000', ' '), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('bitflip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
);
const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constant('dropKey' as const), at, pick }),
  fc.record({ kind: fc.constant('dupKey' as const), at, pick, value: pick, after: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('dropItem' as const, 'dupItem' as const), at, pick }),
  fc.record({ kind: fc.constantFrom('swapItems' as const, 'moveItem' as const), at, pick, pick2: pick }),
  fc.record({ kind: fc.constantFrom('setNumber' as const, 'setString' as const, 'replaceNode' as const, 'corruptBase64' as const), at, value: pick }),
  fc.record({ kind: fc.constant('header' as const), field: pick, value: pick }),
  fc.record({ kind: fc.constant('swapRowField' as const), table: pick, field: pick, pick, pick2: pick }),
  fc.record({ kind: fc.constant('shuffleAudit' as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant('swapSeq' as const), pick, pick2: pick }),
  fc.record({ kind: fc.constant('moveEntry' as const), pick, pick2: pick }),
  fc.record({ kind: fc.constant('dupRow' as const), table: pick, pick, key: fc.constantFrom('same' as const, 'new' as const, 'sameCaseNumber' as const) }),
  fc.record({ kind: fc.constant('setSetting' as const), pick, value: pick }),
);
const lateFailure: fc.Arbitrary<JsonMutation> = fc.oneof(
  // Rows of cases (twice as often), users and settings written twice.
  fc.record({ kind: fc.constant('dupRow' as const), table: fc.constantFrom(0, 0, 2, 3), pick, key: fc.constantFrom('same' as const, 'sameCaseNumber' as const, 'new' as const) }),
  fc.record({ kind: fc.constant('setSetting' as const), pick, value: pick }),
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  source: fc.constantFrom('plain' as const, 'plain' as const, 'sealed' as const),
  layer: fc.constantFrom('content' as const, 'content' as const, 'envelope' as const),
  passphrase: fc.constantFrom('right' as const, 'right' as const, 'right' as const, 'wrong' as const, 'none' as const),
  change: fc.oneof(
    { weight: 3, arbitrary: textMutation.map((text) => ({ text })) },
    { weight: 8, arbitrary: fc.record({ json: jsonMutation, fixup: fc.constantFrom<Fixup>('none', 'checksum', 'counts+checksum', 'counts+checksum+signature', 'counts+checksum+signature') }) },
    // Well-formed files that only fail once restore starts writing: the all-or-nothing test proper.
    { weight: 2, arbitrary: lateFailure.map((json) => ({ json, fixup: 'counts+checksum+signature' as const })) },
  ),
});

/** A node of a JSON tree, with where it hangs (no parent: the root). */
type Node = { value: Json; parent: JsonObject | Json[] | null; key: string | number };

/** Every node of a JSON tree, depth first. */
function nodes(root: Json): Node[] {
  const out: Node[] = [];
  const walk = (value: Json, parent: Node['parent'], key: string | number) => {
    out.push({ value, parent, key });
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(value[i]!, value, i);
    else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) walk(value[k]!, value, k);
  };
  walk(root, null, '');
  return out;
}

const choose = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[Math.floor(n * xs.length) % xs.length]);
const chooseN = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

/** Replaces a node in its tree; returns the (possibly new) root. */
function set(root: Json, node: Node, value: Json): Json {
  if (node.parent === null) return value;
  (node.parent as Record<string | number, Json>)[node.key] = value;
  return root;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_KEYS = new Set(['iv', 'ct', 'data', 'salt', 'verifier', 'value', 'x', 'y', 'keyFingerprint']);

function numberVariants(n: number): Json[] {
  return [n + 1, n - 1, 0, -1, n * 2, 0.5, 1e21, String(n), null, -n];
}
function stringVariants(s: string): Json[] {
  return ['', `${s}x`, s.slice(1), s.slice(0, -1), s.toUpperCase(), [...s].reverse().join(''), `🙂${s}`, 0, null, true, ' '];
}
function base64Variants(s: string, n: number): Json[] {
  const i = n % Math.max(1, s.length);
  const flipped = s.slice(0, i) + (B64[(B64.indexOf(s[i] ?? 'A') + 1 + (n % 63)) % 64] ?? 'A') + s.slice(i + 1);
  return [flipped, s.slice(4), `${s}==`, s.slice(0, -4), '!!!!', s.replace(/=/g, ''), `A${s}`, s.replace(/[A-Z]/, 'a')];
}
const ANY_VALUES: Json[] = [null, {}, [], true, 0, '', 'x', -1, [null], { v: 1 }];

const HEADER: [string[], Json[]][] = [
  [['formatVersion'], [0, 2, 1.5, '1', null, -1]],
  [['schemaVersion'], [0, 2, 99, -1, '1', 1.5]],
  [['encrypted'], [true, 'no', null]],
  [['format'], ['printpath-backup-x', '', 'PRINTPATH-BACKUP']],
  [['exportedAt'], ['yesterday', '', 0]],
  [['deviceKeyId'], ['', 'another-tablet', null]],
  [['counts', 'cases'], [0, 1, 99, -1, '4']],
  [['counts', 'audit'], [0, 1, 1000]],
  [['counts', 'users'], [0, 99]],
  [['counts'], [{}, null, []]],
  [['checksum'], ['', '0'.repeat(64), 'F'.repeat(64), 'not-a-checksum']],
  [['appVersion'], ['99.0.0', 5, '']],
  [['exportedBy'], ['', 'Someone Else', null]],
  [['signature', 'value'], ['', 'AAAA', null]],
  [['signature', 'signerId'], ['', 'someone-else', 7]],
  [['tables'], [null, {}, []]],
];

const ROW_FIELDS: Record<string, string[]> = {
  cases: ['sealed', 'auditHead', 'id', 'caseNumber', 'clear', 'revision', 'statusKey'],
  users: ['wrappedDataKey', 'wrappedSigningKey', 'signingKeys', 'id', 'kdf', 'verifier', 'name'],
  audit: ['body', 'hash', 'prevHash', 'seq', 'chain', 'at'],
  settings: ['value', 'key'],
};

/** Applies a JSON mutation in place (returns the new root); `dup` is a key to write twice when serializing. */
function mutateJson(root: JsonObject, m: JsonMutation): { root: Json; dup?: { node: JsonObject; key: string; value: Json; after: boolean } } {
  let cached: Node[] | null = null;
  const all = () => (cached ??= nodes(root));
  const tables = (root.tables ?? {}) as Record<string, Json>;
  const rows = (t: string) => (Array.isArray(tables[t]) ? (tables[t] as Json[]) : []);
  switch (m.kind) {
    case 'dropKey': {
      const target = choose(all().filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value) && Object.keys(n.value).length > 0), m.at);
      if (target) delete (target.value as JsonObject)[chooseN(Object.keys(target.value as JsonObject), m.pick)!];
      return { root };
    }
    case 'dupKey': {
      const target = choose(all().filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value) && Object.keys(n.value).length > 0), m.at);
      if (!target) return { root };
      const node = target.value as JsonObject;
      const key = chooseN(Object.keys(node), m.pick)!;
      const v = node[key]!;
      const variants = typeof v === 'number' ? numberVariants(v) : typeof v === 'string' ? stringVariants(v) : [...ANY_VALUES, v];
      return { root, dup: { node, key, value: chooseN(variants, m.value)!, after: m.after } };
    }
    case 'dropItem':
    case 'dupItem': {
      const target = choose(all().filter((n) => Array.isArray(n.value) && n.value.length > 0), m.at);
      if (!target) return { root };
      const arr = target.value as Json[];
      const i = m.pick % arr.length;
      if (m.kind === 'dropItem') arr.splice(i, 1);
      else arr.splice(i, 0, structuredClone(arr[i]!));
      return { root };
    }
    case 'swapItems':
    case 'moveItem': {
      const target = choose(all().filter((n) => Array.isArray(n.value) && n.value.length > 1), m.at);
      if (!target) return { root };
      const arr = target.value as Json[];
      const i = m.pick % arr.length, j = m.pick2 % arr.length;
      if (m.kind === 'swapItems') [arr[i], arr[j]] = [arr[j]!, arr[i]!];
      else arr.splice(j, 0, ...arr.splice(i, 1));
      return { root };
    }
    case 'setNumber': {
      const target = choose(all().filter((n) => typeof n.value === 'number'), m.at);
      return { root: target ? set(root, target, chooseN(numberVariants(target.value as number), m.value)!) : root };
    }
    case 'setString': {
      const target = choose(all().filter((n) => typeof n.value === 'string'), m.at);
      return { root: target ? set(root, target, chooseN(stringVariants(target.value as string), m.value)!) : root };
    }
    case 'replaceNode': {
      const target = choose(all(), m.at);
      return { root: target ? set(root, target, chooseN(ANY_VALUES, m.value)!) : root };
    }
    case 'corruptBase64': {
      const target = choose(all().filter((n) => typeof n.value === 'string' && BASE64_KEYS.has(String(n.key))), m.at);
      return { root: target ? set(root, target, chooseN(base64Variants(target.value as string, m.value), m.value >> 4)!) : root };
    }
    case 'header': {
      const [path, values] = chooseN(HEADER, m.field)!;
      const parent = path.length === 2 ? root[path[0]!] : root;
      if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return { root };
      parent[path.at(-1)!] = structuredClone(chooseN(values, m.value)!);
      return { root };
    }
    case 'swapRowField': {
      const table = chooseN(Object.keys(ROW_FIELDS), m.table)!;
      const list = rows(table);
      const field = chooseN(ROW_FIELDS[table]!, m.field)!;
      if (list.length < 2) return { root };
      const a = list[m.pick % list.length] as JsonObject, b = list[m.pick2 % list.length] as JsonObject;
      [a[field], b[field]] = [b[field]!, a[field]!];
      return { root };
    }
    case 'shuffleAudit': {
      const list = rows('audit');
      let s = m.seed;
      for (let i = list.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        const j = s % (i + 1);
        [list[i], list[j]] = [list[j]!, list[i]!];
      }
      return { root };
    }
    case 'swapSeq': {
      const list = rows('audit') as JsonObject[];
      if (list.length < 2) return { root };
      const a = list[m.pick % list.length]!;
      const sameChain = list.filter((e) => e.chain === a.chain && e !== a);
      const b = chooseN(sameChain, m.pick2);
      if (b) [a.seq, b.seq] = [b.seq!, a.seq!];
      return { root };
    }
    case 'dupRow': {
      const table = chooseN(TABLES, m.table)!;
      const list = rows(table) as JsonObject[];
      const row = chooseN(list, m.pick);
      if (!row) return { root };
      const copy = structuredClone(row);
      if (m.key === 'new' && 'id' in copy) copy.id = `${String(copy.id)}-copy`;
      if (m.key === 'new' && 'key' in copy) copy.key = `${String(copy.key)}-copy`;
      if (m.key === 'sameCaseNumber' && table === 'cases') {
        copy.id = crypto.randomUUID();
        (copy.clear as JsonObject).id = copy.id;
      }
      list.push(copy);
      return { root };
    }
    case 'setSetting': {
      const row = chooseN(rows('settings') as JsonObject[], m.pick);
      if (row) row.value = structuredClone(chooseN([...ANY_VALUES, 'x', { counters: null }, { code: 'ZZZ', counters: { 2026: 'many' } }, { code: 'ZZZ', counters: { 2026: 999 } }], m.value)!);
      return { root };
    }
    case 'moveEntry': {
      const list = rows('audit') as JsonObject[];
      if (list.length < 2) return { root };
      const a = list[m.pick % list.length]!;
      const chains = [...new Set(list.map((e) => e.chain))].filter((c) => c !== a.chain);
      const to = chooseN(chains, m.pick2);
      if (to !== undefined) a.chain = to;
      return { root };
    }
  }
}

/** JSON text of a tree, writing `dup.key` of `dup.node` twice (before or after the real one). */
function stringify(value: Json, dup?: { node: JsonObject; key: string; value: Json; after: boolean }): string {
  if (!dup) return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => stringify(v, dup)).join(',')}]`;
  const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${stringify(v, dup)}`);
  if (dup && dup.node === value) {
    const i = Object.keys(value).indexOf(dup.key);
    parts.splice(dup.after ? i + 1 : i, 0, `${JSON.stringify(dup.key)}:${JSON.stringify(dup.value)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Recomputes counts and/or checksum over the rows as a reader will parse them, and signs the result again as the insider. */
async function fixup(text: string, root: Json, how: Fixup): Promise<string> {
  if (how === 'none' || root === null || typeof root !== 'object' || Array.isArray(root)) return text;
  const parsed = JSON.parse(text) as JsonObject; // duplicate keys resolved as any reader resolves them
  const tables = parsed.tables;
  if (tables === null || typeof tables !== 'object' || Array.isArray(tables)) return text;
  const r = root as JsonObject;
  if (how !== 'checksum') r.counts = Object.fromEntries(TABLES.map((t) => [t, Array.isArray(tables[t]) ? (tables[t] as Json[]).length : 0]));
  try {
    r.checksum = checksumOfRows(tables);
  } catch {
    return text;
  }
  // Keep a written-twice key: write the fixed header again at the end, where a reader takes it from.
  const fixed = text.replace(/\}$/, `,"counts":${JSON.stringify(r.counts)},"checksum":${JSON.stringify(r.checksum)}}`);
  if (how !== 'counts+checksum+signature') return fixed;
  const header = JSON.parse(fixed) as BackupHeader;
  const by = { signerId: insider.id, keyFingerprint: insider.keyFingerprint };
  let signingText: string;
  try {
    signingText = backupSigningText(header, by);
  } catch {
    return fixed; // a header canonical JSON cannot hold is refused unsigned
  }
  const signature = { ...by, value: await signText(insider.key, signingText) };
  return fixed.replace(/\}$/, `,"signature":${JSON.stringify(signature)}}`);
}

function applyText(text: string, m: TextMutation): string {
  const i = Math.floor(m.at * text.length);
  switch (m.kind) {
    case 'flip':
      return text.slice(0, i) + m.char + text.slice(i + 1);
    case 'delete':
      return text.slice(0, i) + text.slice(i + m.length);
    case 'insert':
      return text.slice(0, i) + m.text + text.slice(i);
    case 'truncate':
      return text.slice(0, i);
    case 'bitflip': {
      const bytes = new TextEncoder().encode(text);
      const j = Math.floor(m.at * bytes.length);
      bytes[j] = bytes[j]! ^ (1 << m.bit);
      return new TextDecoder().decode(bytes); // what a file reader would make of the damaged bytes
    }
  }
}

/** The file a mutation makes, and the passphrase given with it. */
async function mutatedFile(m: Mutation): Promise<{ text: string; passphrase: string | null }> {
  const source = m.source === 'plain' ? plainSource : sealedSource;
  const passphrase = m.source === 'plain' || m.passphrase === 'none' ? null : m.passphrase === 'right' ? PASSPHRASE : 'not the passphrase at all';
  if ('text' in m.change) return { text: applyText(source.text, m.change.text), passphrase };
  if (m.source === 'sealed' && m.layer === 'envelope') {
    const { root, dup } = mutateJson(structuredClone(source.envelope!), m.change.json);
    return { text: stringify(root, dup), passphrase };
  }
  const { root, dup } = mutateJson(structuredClone(source.plain), m.change.json);
  let text = stringify(root, dup);
  text = await fixup(text, root, m.change.fixup);
  if (m.source === 'sealed') {
    try {
      text = await seal(text);
    } catch {
      return { text: stringify(source.envelope!, undefined), passphrase: 'not the passphrase at all' };
    }
  }
  return { text, passphrase };
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/** A refusal the restore screen can show as it is. */
function expectPlainRefusal(e: unknown, what: string): void {
  const ok = e instanceof BackupError || e instanceof CommandRefused;
  expect(ok, `${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} — not a BackupError/CommandRefused`).toBe(true);
  const message = (e as Error).message;
  expect(message.trim().length, what).toBeGreaterThan(15);
  expect(message, what).toMatch(/^[A-Z]/);
  expect(message, what).not.toMatch(/^undefined|\[object |\n\s+at |TypeError|ReferenceError|Cannot read propert/);
  // A sentence, not a schema path ("tables.audit.5.actorName") or zod's own English.
  expect(message, what).not.toMatch(/\w+\.\d+\.|Invalid input|expected \w+, received|Too (small|big)|Unrecognized key/);
}

const withoutRestoreStamp = (row: object) => {
  const { revision: _r, updatedAt: _u, auditHead: _h, clear, ...rest } = row as { revision: number; updatedAt: string; auditHead: ChainHead; clear: object };
  const { revision: _cr, updatedAt: _cu, ...clearRest } = clear as { revision: number; updatedAt: string };
  return canonicalJson({ ...rest, clear: clearRest });
};

/** After a restore that succeeded: every case of the file is on the tablet, whole, and its history verifies. */
async function expectImportedWhole(b: PlainBackup, preview: RestorePreview, what: string): Promise<void> {
  const taken = new Set(preview.differing.map((d) => d.id));
  for (const row of b.tables.cases) {
    const stored = await db.cases.get(row.id);
    expect(stored, `${what}: case ${row.caseNumber} missing after restore`).toBeDefined();
    if (taken.has(row.id)) expect(withoutRestoreStamp(storedCase(stored!)), `${what}: case ${row.caseNumber} not taken whole from the backup`).toBe(withoutRestoreStamp(row));
    // The status index is derived by the restore, never taken from the file.
    else expect(canonicalJson({ ...storedCase(stored!), statusKey: row.statusKey }), `${what}: case ${row.caseNumber} differs from the file`).toBe(canonicalJson(row));
    const entries = await db.audit.where('[chain+seq]').between([row.id, 0], [row.id, Infinity]).toArray();
    const v = verifyChain(entries, stored!.auditHead);
    expect(v.ok, `${what}: history of ${row.caseNumber} does not verify: ${JSON.stringify(v)}`).toBe(true);
    if (taken.has(row.id)) expect(entries.at(-1)?.kind, what).toBe('restore');
  }
  for (const u of b.tables.users) expect(await db.users.get(u.id), `${what}: person ${u.name} missing`).toBeDefined();
  for (const p of b.tables.printers) expect(await db.printers.get(p.id), what).toBeDefined();
  for (const m of b.tables.materials) expect(await db.materials.get(m.id), what).toBeDefined();
  if (preview.tabletIsEmpty) {
    // A wiped tablet takes every table whole (plus the flag that has the status index derived at the first sign-in).
    for (const t of TABLES) {
      const table = db.table(t);
      const keyPath = table.schema.primKey.keyPath!;
      const keyOf = (r: object) => JSON.stringify(Array.isArray(keyPath) ? keyPath.map((k) => (r as Record<string, unknown>)[k]) : (r as Record<string, unknown>)[keyPath]);
      const fileRows = new Map<string, string[]>();
      for (const r of b.tables[t]) {
        const key = keyOf(r);
        fileRows.set(key, [...(fileRows.get(key) ?? []), canonicalJson(r)]);
      }
      const stored = (await table.toArray()).filter((r) => !(t === 'settings' && (r as { key: string }).key === 'statusIndexStale'));
      expect(stored.length, `${what}: ${t} has rows that are not in the file`).toBe(fileRows.size);
      for (const r of stored) {
        const candidates = fileRows.get(keyOf(r)) ?? [];
        expect(candidates, `${what}: a row of ${t} was not restored as it is in the file`).toContain(canonicalJson(r));
      }
    }
  } else {
    expect((await readLabHistory()).verification.ok, what).toBe(true);
  }
}

/** The lab admin, restoring onto a wiped tablet with their secret. */
const restoringAdmin = () => ({ id: insider.id, secret: TEST_PIN });

/** After a restore onto a wiped tablet: the admin who restored signs in, and every case opens and verifies (attack 6 left a tablet nobody could sign in to). */
async function expectUsable(what: string): Promise<void> {
  const signedIn = await signInAs(ADMIN, { force: true }).then(() => null, (e: unknown) => e);
  expect(signedIn, `${what}: the admin cannot sign in after the restore: ${String(signedIn)}`).toBeNull();
  for (const row of await db.cases.toArray()) {
    const c = await getCase(asCaseId(row.id));
    expect(c?.history.ok, `${what}: case ${row.caseNumber} does not verify after the restore`).toBe(true);
    expect(c?.record.state, `${what}: case ${row.caseNumber}: ${c?.record.text}`).not.toBe('failed');
  }
}

type Outcome = 'refused' | 'imported';
const tally: Record<string, Record<Outcome, number>> = {};

/**
 * Feeds one file to restore on the tablet as it is now (`before`: its dumpDatabase(),
 * the same before every run); checks the all-or-nothing contract.
 */
async function restoreOne(m: Mutation, tablet: 'in use' | 'wiped', before: string): Promise<Outcome> {
  const { text, passphrase } = await mutatedFile(m);
  const what = `${tablet} tablet, ${JSON.stringify(m)}`;
  let b: PlainBackup, preview: RestorePreview;
  try {
    b = await readBackup(text, passphrase);
    const p = await previewRestore(b);
    preview = await applyRestore(b, Object.fromEntries(p.differing.map((d) => [d.id, 'backup' as const])), { now: NOW, ...(p.tabletIsEmpty ? { admin: restoringAdmin() } : {}) });
  } catch (e) {
    expectPlainRefusal(e, what);
    expect(await dumpDatabase(), `${what}: the database changed although the restore was refused`).toBe(before);
    return 'refused';
  }
  await expectImportedWhole(b, preview, what);
  if (tablet === 'wiped') await expectUsable(what);
  return 'imported';
}

function count(tablet: string, m: Mutation, outcome: Outcome) {
  const key = `${tablet} / ${'text' in m.change ? m.change.text.kind : `${m.change.json.kind}${m.change.fixup === 'none' ? '' : ` (${m.change.fixup} fixed)`}`}`;
  tally[key] ??= { refused: 0, imported: 0 };
  tally[key][outcome]++;
}

describe('restore of damaged and hand-edited backups (fuzz)', () => {
  it('the unmutated files restore on both tablets', async () => {
    for (const source of [plainSource, sealedSource]) {
      await putRows(tabletInUse);
      const passphrase = source.name === 'sealed' ? PASSPHRASE : null;
      const b = await readBackup(source.text, passphrase);
      const p = await previewRestore(b);
      expect(p).toMatchObject({ tabletIsEmpty: false, newCases: 0, identicalCases: 2 });
      expect(p.differing).toHaveLength(1);
      await expectImportedWhole(b, await applyRestore(b, { [p.differing[0]!.id]: 'backup' }, { now: NOW }), source.name);
      await wipeTablet();
      await expectImportedWhole(b, await applyRestore(b, {}, { now: NOW, admin: restoringAdmin() }), source.name);
      setUnlocked(admin);
    }
  });

  it(`${RUNS_PER_TABLET} mutated files on a tablet in use: each refused with a plain message and nothing changed, or imported whole`, async () => {
    await putRows(tabletInUse);
    const before = await dumpDatabase();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const outcome = await restoreOne(m, 'in use', before);
        count('in use', m, outcome);
        if (outcome === 'imported') await putRows(tabletInUse);
      }),
      { numRuns: RUNS_PER_TABLET, seed: SEED, endOnFailure: true },
    );
  }, 60_000);

  it(`${RUNS_PER_TABLET} mutated files on a wiped tablet: each refused with a plain message and nothing changed, or imported whole`, async () => {
    await wipeTablet();
    const before = await dumpDatabase();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const outcome = await restoreOne(m, 'wiped', before);
        count('wiped', m, outcome);
        if (outcome === 'imported') await wipeTablet();
      }),
      { numRuns: RUNS_PER_TABLET, seed: SEED + 1, endOnFailure: true },
    );
    if (process.env.FUZZ_REPORT) console.table(tally);
  }, 60_000);
});

// ---------------------------------------------------------------------------
// Bugs this fuzz found (now fixed), each kept as a minimal reproduction.
// ---------------------------------------------------------------------------

type PlainFile = JsonObject & { tables: Record<(typeof TABLES)[number], JsonObject[]>; counts: JsonObject; checksum: string };

/** The plain backup with `edit` applied, its counts and checksum recomputed and signed again by the lab admin: a file edited by an insider. */
async function forged(edit: (f: PlainFile) => void): Promise<string> {
  const f = structuredClone(plainSource.plain) as PlainFile;
  edit(f);
  return fixup(JSON.stringify(f), f, 'counts+checksum+signature');
}

async function restore(text: string, passphrase: string | null = null): Promise<void> {
  const b = await readBackup(text, passphrase);
  const p = await previewRestore(b);
  await applyRestore(b, Object.fromEntries(p.differing.map((d) => [d.id, 'backup' as const])), { now: NOW, ...(p.tabletIsEmpty ? { admin: restoringAdmin() } : {}) });
}

describe('restore refuses what the fuzz once let through (minimal reproductions)', () => {
  it('a sealed backup whose KDF salt is damaged is refused with a BackupError', async () => {
    const envelope = structuredClone(sealedSource.envelope!) as JsonObject & { kdf: JsonObject };
    envelope.kdf.salt = '!!!!';
    await expect(readBackup(JSON.stringify(envelope), PASSPHRASE)).rejects.toBeInstanceOf(BackupError);
  });

  it('a file holding one case twice is refused with a BackupError', async () => {
    await wipeTablet();
    await expect(restore(await forged((f) => f.tables.cases.push(structuredClone(f.tables.cases[0]!))))).rejects.toBeInstanceOf(BackupError);
  });

  it('a file holding one person twice is refused with a BackupError', async () => {
    await wipeTablet();
    await expect(restore(await forged((f) => f.tables.users.push(structuredClone(f.tables.users[0]!))))).rejects.toBeInstanceOf(BackupError);
  });

  it('two cases with one case number are refused with a BackupError', async () => {
    await wipeTablet();
    const text = await forged((f) => {
      f.tables.cases[1]!.caseNumber = f.tables.cases[0]!.caseNumber!;
    });
    await expect(restore(text)).rejects.toBeInstanceOf(BackupError);
  });

  it('case-number counters that are not an object are refused with a BackupError', async () => {
    await putRows(tabletInUse);
    const text = await forged((f) => {
      f.tables.settings.find((s) => s.key === 'device')!.value = 'x';
    });
    await expect(restore(text)).rejects.toBeInstanceOf(BackupError);
  });

  it('two settings rows with one key are refused', async () => {
    await wipeTablet();
    const text = await forged((f) => {
      f.tables.settings.push({ key: 'device', value: { code: 'ZZZ', counters: {} } });
    });
    await expect(restore(text)).rejects.toBeInstanceOf(BackupError);
  });

  it('a case whose sealed PHI does not open with the data key is refused on a tablet in use', async () => {
    await putRows(tabletInUse);
    const text = await forged((f) => {
      const sealed = f.tables.cases[0]!.sealed as JsonObject & { ct: string };
      sealed.ct = (sealed.ct.startsWith('A') ? 'B' : 'A') + sealed.ct.slice(1);
    });
    const before = await dumpDatabase();
    await expect(restore(text)).rejects.toBeInstanceOf(BackupError);
    expect(await dumpDatabase()).toBe(before);
  });

  it('the status index of a restored case is derived from the case, not taken from the file', async () => {
    const text = await forged((f) => {
      const open = f.tables.cases.find((r) => r.statusKey !== 'cancelled' && r.statusKey !== 'closed')!;
      open.statusKey = 'closed';
    });
    // On a wiped tablet the PHI the status needs is sealed until someone signs in: the first sign-in derives it.
    await wipeTablet();
    await restore(text);
    await signInAs(ADMIN, { force: true });
    const derived = async () => {
      for (const row of await db.cases.toArray()) expect(row.statusKey).toBe(statusKey(deriveStatus(await fromRow(row, currentUnlock()!.dataKey))));
    };
    await derived();
  });

});
