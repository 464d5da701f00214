// A lab of simulated devices for the convergence and fault tests: a tablet with people
// that connects, devices that join with an admin's approval, a seeded random source,
// syncing every device until nothing moves, and the checks that all devices agree.
import { expect } from 'vitest';
import type { Store } from '../../../server/db/store';
import { issueSetupCode } from '../../../server/routes/setup';
import type { Case, StageId } from '../../../src/domain/case';
import type { OrderInput } from '../../../src/domain/case-input';
import { entryEventId } from '../../../src/domain/entry-id';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { orderInput } from '../../support/case-builder';
import { newDevice, PIN, type Device } from './device';

export const ADMIN = 'Ada Admin';
export const TECH = 'Tom Tech';
export const RADIOLOGIST = 'Dr. Rae Reader';
export const PEOPLE = [ADMIN, TECH, RADIOLOGIST] as const;

/** mulberry32: a tiny seeded PRNG, so a failing run can be repeated from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const hex = (rng: Random, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
/** A UUID (version 4 form) from the seeded source, so case ids repeat with the seed. */
export const seededUuid = (rng: Random) => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
export const digits = (rng: Random, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');

/** A device and who is signed in on it. */
export type Member = { name: string; device: Device; person: string; secret: string };

/** JSON with every object's keys sorted, so equal values compare equal whatever order they were built in. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export async function signIn(m: Member, person: string): Promise<void> {
  if (m.person === person) return;
  await m.device.signInAs(person, m.secret);
  m.person = person;
}

/** A tablet with three people and `cases` cases of its own, connected to the server (its history pushed). */
export async function connectedTablet(
  store: Store,
  { cases = 1, rng, secret = PIN, sync = true, before }: { cases?: number; rng: Random; secret?: string; sync?: boolean; before?: (m: Member, produced: Map<string, string>) => Promise<void> },
): Promise<{ member: Member; produced: Map<string, string> }> {
  const device = await newDevice();
  await device.accounts.setUpTablet({ name: ADMIN, roles: ['admin'], secret });
  await device.accounts.addUser({ name: TECH, roles: ['technician'], secret }, secret);
  await device.accounts.addUser({ name: RADIOLOGIST, roles: ['radiologist'], secret }, secret);
  const member: Member = { name: 'tablet', device, person: '', secret };
  const produced = new Map<string, string>();
  await signIn(member, TECH);
  for (let i = 0; i < cases; i++) await run(member, produced, null, { type: 'create', id: asCaseId(seededUuid(rng)), input: orderInput({ patientName: `Patient ${digits(rng, 4)}`, mrn: `MRN-${digits(rng, 6)}` }) });
  await before?.(member, produced);
  await signIn(member, ADMIN);
  await device.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', secret);
  if (sync) await device.sync();
  return { member, produced };
}

/** A new device asks to join; the admin on `admin` approves after comparing the codes. */
export async function join(admin: Member, name: string, person: string = TECH): Promise<Member> {
  const device = await newDevice();
  const joining = await device.labServer.askToJoin(name);
  await signIn(admin, ADMIN);
  const waiting = await admin.device.labServer.waitingDevices();
  const mine = waiting.find((w) => w.enrolmentId === joining.enrolmentId)!;
  expect({ code: mine.code, keyCode: mine.keyCode }).toEqual({ code: joining.code, keyCode: joining.keyCode });
  await admin.device.labServer.approveDevice(joining.enrolmentId, admin.secret);
  await device.labServer.finishJoining(joining);
  const member: Member = { name, device, person: '', secret: admin.secret };
  await signIn(member, person);
  return member;
}

type Command = Parameters<Device['commands']['runCommand']>[1];

/**
 * Runs a command as whoever is signed in on `m`; on success records the id of the entry it
 * made (the chain's new last entry) against the device. Returns false when the app refused it.
 */
export async function run(m: Member, produced: Map<string, string>, caseId: CaseId | null, command: Command | { type: 'sign'; stage: StageId }, now?: string): Promise<boolean> {
  try {
    const made = command.type === 'sign' ? await m.device.signing.signStage(caseId!, command.stage, m.secret, now) : await m.device.commands.runCommand(caseId, command, now);
    const last = await m.device.database.db.audit.where('[chain+seq]').between([made.id, 0], [made.id, Infinity]).last();
    produced.set(entryEventId(last!), m.name);
    return true;
  } catch (e) {
    if (e instanceof Error && e.name === 'CommandRefused') return false;
    throw e;
  }
}

/** The order of a case as the edit form starts from it, with some of its fields changed. */
export function editedOrder(c: Case, changes: Partial<OrderInput>): OrderInput {
  return { ...orderInput(), ...c.phi, ...c.order, structures: [...c.order.structures], deliverables: undefined, ...changes } as OrderInput;
}

export async function caseIds(m: Member): Promise<CaseId[]> {
  return (await m.device.database.db.cases.toCollection().primaryKeys()).map((k) => asCaseId(String(k))).sort();
}

/** Dismisses or applies again (chosen by `rng`) every unresolved parked change on the device; returns how many. */
export async function resolveParked(m: Member, rng: Random, produced: Map<string, string>): Promise<number> {
  // In the history's order (ids are random), so a seed repeats its choices.
  const open = (await m.device.database.db.parked.filter((p) => !p.resolved).toArray()).sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.entry.seq - b.entry.seq));
  for (const p of open) {
    const how = rng() < 0.5 ? 'apply' : 'dismiss';
    const before = await m.device.database.db.audit.where('[chain+seq]').between([p.chain, 0], [p.chain, Infinity]).last();
    try {
      await m.device.labServer.resolveParked(p.id, how);
    } catch (e) {
      if (!(e instanceof Error && e.name === 'CommandRefused') || how === 'dismiss') throw e;
      // Cannot be applied again (nothing would change, or the case no longer takes it): dismissed.
      await m.device.labServer.resolveParked(p.id, 'dismiss');
      continue;
    }
    if (how === 'apply') {
      const after = await m.device.database.db.audit.where('[chain+seq]').between([p.chain, 0], [p.chain, Infinity]).last();
      expect(after?.hash).not.toBe(before?.hash);
      produced.set(entryEventId(after!), m.name);
    }
  }
  return open.length;
}

async function fingerprint(m: Member) {
  const db = m.device.database.db;
  const state = await m.device.syncState.readSyncState();
  return {
    cursor: state?.cursor,
    audit: await db.audit.count(),
    parked: await db.parked.count(),
    unresolved: await db.parked.filter((p) => !p.resolved).count(),
    outbox: await db.outbox.count(),
    inbox: await db.inbox.count(),
  };
}

/** Syncs every device, resolving parked changes, until a whole round moves nothing and nothing waits anywhere. Returns the rounds taken. */
export async function syncUntilQuiet(members: Member[], rng: Random, produced: Map<string, string>, maxRounds = 12): Promise<number> {
  let last = '';
  for (let round = 1; round <= maxRounds; round++) {
    for (const m of members) {
      await m.device.sync();
      await resolveParked(m, rng, produced);
    }
    const prints = await Promise.all(members.map(fingerprint));
    const now = JSON.stringify(prints);
    if (now === last && prints.every((p) => p.outbox === 0 && p.inbox === 0 && p.unresolved === 0)) return round;
    last = now;
  }
  const prints = await Promise.all(members.map(async (m) => ({ device: m.name, ...(await fingerprint(m)) })));
  throw new Error(`The devices did not become quiet after ${maxRounds} rounds: ${JSON.stringify(prints)}`);
}

/**
 * Every device holds the same cases with the same content and the same history; every
 * history verifies and every stored record is proven by it; every accepted change is in
 * some device's merged history, or parked on the device that made it.
 */
export async function expectConverged(members: Member[], produced: Map<string, string>): Promise<{ cases: number; entries: number; parked: number }> {
  const ids = await caseIds(members[0]!);
  for (const m of members) expect(await caseIds(m), `cases on ${m.name}`).toEqual(ids);
  for (const id of ids) {
    let reference: { content: string; chain: string[] } | null = null;
    for (const m of members) {
      const view = await m.device.caseView.getCaseView(id);
      const history = await m.device.caseView.getCaseHistory(id);
      expect(history.history.ok, `history of ${id} on ${m.name}: ${JSON.stringify(history.history)}`).toBe(true);
      expect(view?.record.state, `record of ${id} on ${m.name}: ${view?.record.text}`).toBe('verified');
      const chain = (await m.device.database.db.audit.where('[chain+seq]').between([id, 0], [id, Infinity]).toArray()).map((e) => e.hash);
      // Every sign-off verifies, with its signer's key on the signed lab log, on every device.
      for (const [stage, check] of Object.entries(view!.signatures)) expect(check, `${stage} sign-off of ${id} on ${m.name}: ${view!.verdicts[stage as StageId]?.text}`).toBe('verified');
      const mine = { content: sortedJson(view!.case), chain, signed: Object.keys(view!.signatures).sort() };
      if (reference) expect(mine, `case ${id} on ${m.name} against ${members[0]!.name}`).toEqual(reference);
      else reference = mine;
    }
  }
  const merged = new Set<string>();
  const parkedOn = new Map<string, Set<string>>();
  for (const m of members) {
    for (const e of await m.device.database.db.audit.toArray()) merged.add(entryEventId(e));
    parkedOn.set(m.name, new Set((await m.device.database.db.parked.toArray()).map((p) => p.id)));
  }
  const lost = [...produced].filter(([id, by]) => !merged.has(id) && !parkedOn.get(by)!.has(id));
  expect(lost, 'accepted changes neither in a merged history nor parked where they were made').toEqual([]);
  const parked = [...produced].filter(([id]) => !merged.has(id)).length;
  return { cases: ids.length, entries: produced.size, parked };
}

/** No event stored twice on the server: not under one id, nor one audit entry under two ids. */
export async function noDuplicates(s: Store): Promise<void> {
  expect(await s.query('SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1')).toEqual([]);
  expect(await s.query('SELECT chain, hash FROM events WHERE chain IS NOT NULL GROUP BY chain, hash HAVING count(*) > 1')).toEqual([]);
}
