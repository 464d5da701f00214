// Display formatting shared by screens. Dates stay unambiguous (YYYY-MM-DD) at the bench.
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${iso.slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : 'Something went wrong; nothing was saved.');

/** Today's date on this tablet's clock, YYYY-MM-DD. */
export function todayLocal(d: Date = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** “1 case”, “1,204 cases”. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** This tablet's wall clock as a datetime-local input holds it, YYYY-MM-DDTHH:mm. */
export function nowLocal(d: Date = new Date()): string {
  return `${todayLocal(d)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The clock the stage-date checks read: now, and the day the case was opened, both on this tablet's local time. */
export const stageClock = (createdAt: string, d: Date = new Date()) => ({ now: nowLocal(d), openedOn: todayLocal(new Date(createdAt)) });
