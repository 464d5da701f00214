// One of the lab's lists (printers or materials): each entry with its details,
// whether it is offered, how many cases name it, and what can be done with it.
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../../ui/format';

type Entry = { id: string; retired: boolean };

type Props<Row extends Entry> = {
  rows: Row[] | undefined;
  /** How many cases name each entry, by id (absent: none); undefined while counting. */
  usage: Record<string, number> | undefined;
  nameOf: (row: Row) => string;
  details: (row: Row) => ReactNode;
  listLabel: string;
  empty: string;
  onRetire: (row: Row, retired: boolean) => Promise<unknown>;
  onDelete: (row: Row) => Promise<unknown>;
  editForm: (row: Row, onDone: () => void) => ReactNode;
  /** More about each entry, below its actions (a printer's QA log). */
  more?: (row: Row) => ReactNode;
};

export function EntryList<Row extends Entry>({ rows, usage, nameOf, details, listLabel, empty, onRetire, onDelete, editForm, more }: Props<Row>) {
  const [editing, setEditing] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const act = (fn: () => Promise<unknown>, done: string) => {
    setOutcome(null);
    fn().then(() => setOutcome({ ok: true, text: done }), (e: unknown) => setOutcome({ ok: false, text: errorMessage(e) }));
  };
  if (!rows) return <p role="status">Loading…</p>;
  return (
    <>
      {rows.length === 0 && <p className="muted">{empty}</p>}
      <ul className="lab-list" aria-label={listLabel}>
        {rows.map((row) => {
          const name = nameOf(row);
          const cases = usage ? (usage[row.id] ?? 0) : null;
          return (
            <li key={row.id} className={row.retired ? 'retired' : undefined}>
              <div>
                <strong>{name}</strong> {row.retired ? <span className="badge warn">Retired</span> : <span className="badge ok">Offered</span>}
                <div className="muted">{details(row)}</div>
                {cases !== null && (
                  <div className="muted">
                    {cases === 0 ? 'Not used by any case yet' : `Used by ${cases} case${cases === 1 ? '' : 's'}: can be retired, not deleted or renamed`}
                  </div>
                )}
              </div>
              <div className="btn-row">
                <button type="button" className="btn" aria-expanded={editing === row.id} onClick={() => setEditing(editing === row.id ? null : row.id)}>Change {name}</button>
                <button type="button" className="btn" onClick={() => act(() => onRetire(row, !row.retired), row.retired ? `${name} is offered again` : `${name} retired`)}>
                  {row.retired ? `Offer ${name} again` : `Retire ${name}`}
                </button>
                {cases === 0 && (
                  <button type="button" className="btn danger" onClick={() => act(() => onDelete(row), `${name} deleted`)}>Delete {name}</button>
                )}
              </div>
              {editing === row.id && editForm(row, () => setEditing(null))}
              {more?.(row)}
            </li>
          );
        })}
      </ul>
      {outcome && <p className={outcome.ok ? 'badge ok' : 'field-error'} role={outcome.ok ? 'status' : 'alert'}>{outcome.text}</p>}
    </>
  );
}
