import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listKeys, listRange, type ListFilter, type ListKeys } from '../../src/domain/list-index';
import { isOverdue } from '../../src/domain/workflow';
import { STATUS_FILTERS } from '../../src/features/case-list/status-options';

const STATUS_KEYS = ['imaging', 'segmenting', 'printing', 'delivery', 'awaiting-use', 'ready-for-billing', 'closed', 'cancelled'];
type Row = ListKeys & { statusKey: string; dateNeeded: string; caseNumber: string };

/** What an index range holds, as IndexedDB would answer it: rows that have the key, within [lower, upper), in key order. */
function read(rows: Row[], f: ListFilter): Row[] {
  const range = listRange(f);
  if (!range) return [];
  const keyOf = (r: Row): string | undefined =>
    range.index === '[statusKey+sortKey]' ? (r.statusKey === (range.lower as string[])[0] ? r.sortKey : undefined) : r[range.index];
  const [lower, upper] = range.index === '[statusKey+sortKey]' ? [(range.lower as string[])[1]!, (range.upper as string[])[1]!] : [range.lower as string, range.upper as string];
  return rows
    .filter((r) => keyOf(r) !== undefined && keyOf(r)! >= lower && keyOf(r)! < upper)
    .sort((a, b) => (keyOf(a)! < keyOf(b)! ? -1 : 1)); // IndexedDB compares strings by code unit
}

/** The list's rule, said plainly. */
function expected(rows: Row[], f: ListFilter): Row[] {
  const shown = (r: Row) =>
    (f.status === 'all' || (f.status === 'open' ? !['closed', 'cancelled'].includes(r.statusKey) : r.statusKey === f.status)) &&
    (!f.overdueOnly || isOverdue(r.dateNeeded, r.statusKey, f.today));
  return rows.filter(shown).sort((a, b) => a.dateNeeded.localeCompare(b.dateNeeded) || a.caseNumber.localeCompare(b.caseNumber));
}

const date = fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2026, 10, 1) + d * 86_400_000).toISOString().slice(0, 10));

describe('list index ranges', () => {
  it('every filter of the list reads exactly its cases, in list order, from one index range (property)', () => {
    const row = fc.record({ statusKey: fc.constantFrom(...STATUS_KEYS), dateNeeded: date, n: fc.integer({ min: 1, max: 9999 }) });
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.n, maxLength: 40 }), fc.constantFrom(...STATUS_FILTERS.map((s) => s.value)), fc.boolean(), date, (raw, status, overdueOnly, today) => {
        const rows: Row[] = raw.map(({ statusKey, dateNeeded, n }) => {
          const caseNumber = `PP-2026-AB-${String(n).padStart(4, '0')}`;
          return { statusKey, dateNeeded, caseNumber, ...listKeys(statusKey, dateNeeded, caseNumber) };
        });
        const f = { status, overdueOnly, today };
        expect(read(rows, f).map((r) => r.caseNumber)).toEqual(expected(rows, f).map((r) => r.caseNumber));
      }),
    );
  });
});
