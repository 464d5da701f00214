// How the suggestion's MUEs and the payer's position read, on screen, in the PDF and
// in the FHIR export: one wording for all three. Kept apart from cpt.ts, which the
// first load carries.
import { MUE_CONSEQUENCE, type CodeTable, type CptLine } from './cpt';

/** The MUE as shown beside a line, the same words on screen and in the PDF. */
export function mueText(line: Pick<CptLine, 'units' | 'mue'>): string {
  const m = line.mue;
  if (!m) return 'No MUE recorded for this date of service';
  const base = `${m.limit} ${m.limit === 1 ? 'unit' : 'units'} per date of service (from ${m.from})`;
  return m.over > 0 ? `${base}: ${line.units} units is ${m.over} above the MUE. ${MUE_CONSEQUENCE}` : base;
}

/** A payer's position as the lab noted it, found by the payer's name (case and spaces do not count). */
export function payerPosition(payer: string | undefined, table: Pick<CodeTable, 'payerNotes'>): { payer: string; note: string | null } | null {
  const name = payer?.trim();
  if (!name) return null;
  const found = (table.payerNotes ?? []).find((n) => n.payer.trim().toLocaleLowerCase() === name.toLocaleLowerCase());
  return { payer: name, note: found?.note ?? null };
}
