// What a lab admin may change in the CPT code table: each code's MUEs by dated
// period, and the lab's notes of payers' positions. The input schema is shared by the
// editor and the write path; `editCodeTable` makes the table to store.
import type { CodeTable } from './cpt';
import { z } from './zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date (YYYY-MM-DD)').refine((s) => {
  // Date.parse rolls 30 February over to March: the day must read back as written.
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'Not a real date');

const muePeriodSchema = z
  .object({
    units: z.number({ error: 'Enter the MUE in units' }).int('Whole units only').min(0, 'At least 0 units').max(999, 'At most 999 units'),
    from: day,
    to: z.union([day, z.literal('')]),
  })
  .refine((p) => p.to === '' || p.from <= p.to, { path: ['to'], message: 'The last day cannot be before the first' });

const codeMueSchema = z
  .object({ code: z.string().min(1), mue: z.array(muePeriodSchema).max(20, 'At most 20 periods per code') })
  .superRefine((c, ctx) => {
    const sorted = [...c.mue].sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      if (prev.to === '' || prev.to >= sorted[i]!.from) {
        ctx.addIssue({ code: 'custom', path: ['mue'], message: `${c.code}: MUE periods overlap (from ${prev.from} and from ${sorted[i]!.from}): end the earlier one the day before` });
        return;
      }
    }
  });

const payerNoteSchema = z.object({
  payer: z.string().trim().min(1, 'Enter the payer’s name').max(80, 'At most 80 characters for the payer'),
  note: z.string().trim().min(1, 'Enter the payer’s position on the codes').max(300, 'At most 300 characters for the note'),
});

export const codeTableEditSchema = z
  .object({ codes: z.array(codeMueSchema), payerNotes: z.array(payerNoteSchema).max(50, 'At most 50 payer notes') })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.payerNotes.forEach((n, i) => {
      const key = n.payer.toLocaleLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['payerNotes', i, 'payer'], message: `${n.payer} is noted twice: keep one note per payer` });
      seen.add(key);
    });
  });

export type CodeTableEdit = z.infer<typeof codeTableEditSchema>;

/** The editor's values for a table: open-ended periods as ''. */
export const codeTableEditOf = (t: CodeTable): CodeTableEdit => ({
  codes: t.codes.map((d) => ({ code: d.code, mue: d.mue.map((p) => ({ units: p.units, from: p.from, to: p.to ?? '' })) })),
  payerNotes: t.payerNotes.map((n) => ({ ...n })),
});

/** The table with the edit applied; codes the edit does not name are left as they are. */
export function editCodeTable(t: CodeTable, edit: CodeTableEdit): CodeTable {
  return {
    version: t.version,
    codes: t.codes.map((d) => {
      const e = edit.codes.find((x) => x.code === d.code);
      return e ? { ...d, mue: [...e.mue].sort((a, b) => a.from.localeCompare(b.from)).map((p) => ({ units: p.units, from: p.from, to: p.to === '' ? null : p.to })) } : d;
    }),
    payerNotes: edit.payerNotes.map((n) => ({ payer: n.payer.trim(), note: n.note.trim() })),
  };
}

const mueWords = (t: CodeTable, code: string) =>
  (t.codes.find((d) => d.code === code)?.mue ?? []).map((p) => `${p.units} from ${p.from}${p.to ? ` to ${p.to}` : ''}`).join('; ') || 'none';

/** What changed, for the lab log: each code whose MUEs changed, and payer notes added, changed or removed. */
export function describeCodeTableChange(before: CodeTable, after: CodeTable): string | null {
  const parts: string[] = [];
  for (const d of after.codes) {
    if (mueWords(before, d.code) !== mueWords(after, d.code)) parts.push(`${d.code} MUE ${mueWords(before, d.code)} → ${mueWords(after, d.code)}`);
  }
  const key = (p: string) => p.toLocaleLowerCase();
  for (const n of after.payerNotes) {
    const old = before.payerNotes.find((o) => key(o.payer) === key(n.payer));
    if (!old) parts.push(`payer note added for ${n.payer}: “${n.note}”`);
    else if (old.note !== n.note) parts.push(`payer note for ${n.payer} changed: “${n.note}”`);
  }
  for (const o of before.payerNotes) if (!after.payerNotes.some((n) => key(n.payer) === key(o.payer))) parts.push(`payer note for ${o.payer} removed`);
  return parts.length ? `Code table: ${parts.join('; ')}` : null;
}
