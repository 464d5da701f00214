// Whether a change made on one device while apart can be made again on top of another
// device's changes without a person deciding: only when it touches no field they touched.
// A change whose fields cannot be told (a case created, models changed, a cancel, a
// close, a signature, or an entry without its command) counts as touching everything.
// Pure.
import type { CaseEvent } from './case';
import type { Command } from './commands';

export type RecordedChange = { event: CaseEvent; command: Command | null };

const FIELD_WISE = new Set(['editOrder', 'saveStage', 'tick']);

/** The fields a change touched (stage-qualified), or null when that cannot be told. */
export function touched({ event, command }: RecordedChange): Set<string> | null {
  if (!command || !FIELD_WISE.has(command.type) || event.changes.length === 0) return null;
  const where = 'stage' in command ? command.stage : 'order';
  return new Set(event.changes.map((c) => `${where}/${c.field}`));
}

export function overlaps(mine: RecordedChange, theirs: readonly RecordedChange[]): boolean {
  const own = touched(mine);
  if (!own) return true;
  return theirs.some((t) => {
    const other = touched(t);
    return !other || [...other].some((f) => own.has(f));
  });
}
