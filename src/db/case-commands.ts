// Writing cases: every change is one command applied by the domain and stored,
// with its event, in one transaction. Components never touch the database.
import type { Actor, Case } from '../domain/case';
import { applyCommand, type Command } from '../domain/commands';
import { asEventId, type CaseId } from '../domain/ids';
import { fromRow, toRow } from './case-mapper';
import { db } from './database';
import { CommandRefused, guardStorage } from './errors';
import { nextCaseNumber } from './settings-repo';

export type NewCaseCommand = Extract<Command, { type: 'create' }>;

/** Applies a command for an actor and stores the new case and its event together, or nothing. */
export async function runCommand(
  caseId: CaseId | null,
  command: Command | Omit<NewCaseCommand, 'caseNumber'>,
  actor: Actor,
  now: string = new Date().toISOString(),
): Promise<Case> {
  return guardStorage(() =>
    db.transaction('rw', db.cases, db.events, db.settings, async () => {
      const row = caseId ? await db.cases.get(caseId) : undefined;
      if (caseId && !row) throw new CommandRefused('This case is not on this tablet');
      const full: Command = command.type === 'create' ? { ...command, caseNumber: await nextCaseNumber(now.slice(0, 4)) } : (command as Command);
      const result = applyCommand(row ? fromRow(row) : null, full, { actor, now, eventId: asEventId(crypto.randomUUID()) });
      if (!result.ok) throw new CommandRefused(result.reason);
      await db.cases.put(toRow(result.case));
      await db.events.add({ ...result.event, revision: result.case.revision });
      return result.case;
    }),
  );
}
