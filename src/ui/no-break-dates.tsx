// Dates in running text never break across lines ("2026-03-10" / "07:30" on two lines reads as two facts).
const DATE = /(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?: UTC)?)?)/;

export function NoBreakDates({ text }: { text: string }) {
  return <>{text.split(DATE).map((part, i) => (i % 2 === 1 ? <span key={i} className="nowrap">{part}</span> : part))}</>;
}
