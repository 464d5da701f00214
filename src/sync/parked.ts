// This device's changes that another device's overtook on the server (incoming.ts parks
// them): listed for a person, applied again (a new audited change through the same rules)
// or dismissed; either is recorded on the device's chain. A person's own changes that
// touch nothing the other device changed are applied again by themselves at the next
// sync while that person is signed in: only a real conflict waits for a person.
import { authorise } from '../db/accounts';
import { openCaseEntry, type SealedCaseEntry } from '../db/audit-repo';
import { runCommand, type CaseCommand } from '../db/case-commands';
import { db, durableDb } from '../db/database';
import { CommandRefused } from '../db/errors';
import { LAB_CHAIN, writeLab } from '../db/lab-log-repo';
import { entrySigner } from '../db/signed-entries';
import { currentUnlock, requireUnlock } from '../db/vault';
import type { CaseEvent } from '../domain/case';
import type { CaseId } from '../domain/ids';
import type { LabEvent } from '../domain/lab-log';
import { overlaps } from '../domain/merge';

export type ParkedChange = { id: string; caseId: string; actorName: string; at: string; summary: string; event: CaseEvent | null; canApply: boolean; resolved: string | null };

/** This device's changes to a case that another device's overtook. */
export async function parkedChanges(caseId: string): Promise<ParkedChange[]> {
  const { dataKey } = requireUnlock();
  const rows = await db.parked.where('chain').equals(caseId).toArray();
  return Promise.all(
    rows
      .sort((a, b) => a.entry.seq - b.entry.seq)
      .map(async (p) => {
        const opened = await openCaseEntry(p.entry, caseId, dataKey).catch(() => null);
        const type = opened?.command?.type;
        return { id: p.id, caseId, actorName: p.entry.actorName, at: p.entry.at, summary: opened?.event.summary ?? p.entry.kind, event: opened?.event ?? null, canApply: !!type && type !== 'create' && type !== 'sign', resolved: p.resolved ?? null };
      }),
  );
}

/** Applies an overtaken change again (a new change by whoever is signed in), or dismisses it; either is recorded. */
export async function resolveParked(id: string, how: 'apply' | 'dismiss' | 'auto', now = new Date().toISOString()): Promise<void> {
  const unlocked = requireUnlock();
  const parked = await db.parked.get(id);
  if (!parked || parked.resolved) throw new CommandRefused('This change was already resolved.');
  const opened = await openCaseEntry(parked.entry, parked.chain, unlocked.dataKey);
  const caseNumber = (await db.cases.get(parked.chain))?.caseNumber ?? 'a case';
  if (how !== 'dismiss') {
    const command = opened.command;
    if (!command || command.type === 'create' || command.type === 'sign') throw new CommandRefused('This change cannot be applied again: make it again by hand (a signature needs its signer’s secret).');
    await runCommand(parked.chain as CaseId, command as CaseCommand, now);
  }
  const verdict = { apply: `applied again by ${unlocked.actor.name}`, auto: 'applied again automatically (it touched nothing the other device changed)', dismiss: `dismissed by ${unlocked.actor.name}` }[how];
  await writeLab(entrySigner(unlocked), now, () => ({
    events: [{ kind: 'conflict-resolved', summary: `A change to ${caseNumber} made here by ${parked.entry.actorName} at ${parked.entry.at} (${opened.event.type}), overtaken by another device’s, was ${verdict}` }],
    write: () => durableDb.parked.update(id, { resolved: `${verdict} at ${now}` }),
  }));
}

export type ParkedLabChange = { id: string; actorName: string; at: string; summary: string; canApply: boolean; resolved: string | null };

/** Changes to people, roles, policy or equipment made here while apart, overtaken by another device's change to the lab log. */
export async function parkedLabChanges(): Promise<ParkedLabChange[]> {
  const rows = await db.parked.where('chain').equals(LAB_CHAIN).toArray();
  return rows
    .sort((a, b) => a.entry.seq - b.entry.seq)
    .map((p) => {
      const body = p.entry.body as LabEvent;
      return { id: p.id, actorName: p.entry.actorName, at: p.entry.at, summary: body.summary, canApply: ADMIN_REDO.has(body.kind), resolved: p.resolved ?? null };
    });
}

// What an admin may sign again as it was; a person's own key changes need that person.
const ADMIN_REDO: ReadonlySet<string> = new Set(['user-added', 'roles-changed', 'user-disabled', 'user-enabled', 'secret-reset', 'policy-changed', 'printer-added', 'printer-changed', 'printer-retired', 'printer-reactivated', 'material-added', 'material-changed', 'material-retired', 'material-reactivated']);

/** An admin signs an overtaken lab change again (as it was, after the other device's), or dismisses it; either is recorded. */
export async function resolveParkedLab(id: string, how: 'apply' | 'dismiss', adminSecret: string, now = new Date().toISOString()): Promise<void> {
  const parked = await db.parked.get(id);
  if (!parked || parked.chain !== LAB_CHAIN || parked.resolved) throw new CommandRefused('This change was already resolved.');
  const body = parked.entry.body as LabEvent;
  if (how === 'apply' && !ADMIN_REDO.has(body.kind)) throw new CommandRefused('Only the person it concerns can make this change again.');
  const { admin, signer } = await authorise(adminSecret, now);
  const verdict = how === 'apply' ? `signed again by ${admin.actor.name}` : `dismissed by ${admin.actor.name}`;
  await writeLab(signer, now, () => ({
    events: [
      ...(how === 'apply' ? [body] : []),
      { kind: 'conflict-resolved', summary: `A change to the lab made here by ${parked.entry.actorName} at ${parked.entry.at} (“${body.summary}”), overtaken by another device’s, was ${verdict}` },
    ],
    write: () => durableDb.parked.update(id, { resolved: `${verdict} at ${now}` }),
  }));
}

/**
 * The signed-in person's own overtaken case changes that touch no field the overtaking
 * changes touched, applied again in order; the first that overlaps (or is refused) and
 * everything after it on that case wait for a person. Returns how many were applied.
 */
export async function mergeOwnParked(now = new Date().toISOString()): Promise<number> {
  const unlocked = currentUnlock();
  if (!unlocked) return 0;
  const mine = await db.parked.filter((p) => !p.resolved && p.chain !== LAB_CHAIN && !p.chain.startsWith('device:') && p.entry.actorId === unlocked.actor.id).toArray();
  const byCase = new Map<string, typeof mine>();
  for (const p of mine) byCase.set(p.chain, [...(byCase.get(p.chain) ?? []), p]);
  let applied = 0;
  for (const [caseId, rows] of byCase) {
    rows.sort((a, b) => a.entry.seq - b.entry.seq);
    const since = await db.audit.where('[chain+seq]').between([caseId, rows[0]!.entry.seq], [caseId, Infinity]).toArray();
    const open = (e: (typeof since)[number]) => openCaseEntry(e, caseId, unlocked.dataKey).catch((): SealedCaseEntry | null => null);
    const theirs = await Promise.all(since.map(open));
    if (theirs.some((t) => t === null)) continue;
    for (const row of rows) {
      const change = await open(row.entry);
      if (!change || overlaps(change, theirs as SealedCaseEntry[])) break;
      try {
        await resolveParked(row.id, 'auto', now);
        applied++;
      } catch (e) {
        if (e instanceof CommandRefused) break;
        throw e;
      }
    }
  }
  return applied;
}
