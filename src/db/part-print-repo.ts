// A part's print record takes its lot's expiry from the lab's material list, not from the
// screen: the domain then refuses a lot that expired before the print date.
import type { Case } from '../domain/case';
import type { RecordPartPrintCommand } from '../domain/part-print-step';
import { sameName } from '../domain/lab-settings';
import { lotExpiry, printedPartsOf } from '../domain/traceability';
import { db } from './database';

export async function withListedExpiry(current: Case | null, cmd: RecordPartPrintCommand): Promise<RecordPartPrintCommand> {
  const part = current && printedPartsOf(current.deliverables).find((p) => p.id === cmd.partId);
  const { lotExpires: _typed, ...print } = cmd.print;
  if (!part) return { ...cmd, print };
  const material = (await db.materials.toArray()).find((m) => sameName(m.name, part.material));
  const expires = lotExpiry(material, cmd.print.lot);
  return { ...cmd, print: expires ? { ...print, lotExpires: expires } : print };
}
