// The list renders only the rows on screen (plus a few either side), whatever
// the number of cases: the page scrolls as usual over a list as tall as all its
// rows. Rows share one height (set in CSS, measured here so zoom and font size
// follow), which keeps this a few lines instead of a virtualization library.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { CaseId } from '../../domain/ids';
import { CaseRow } from './case-row';

const OVERSCAN = 4;

/** The rows [first, last) to render for a list whose top is `listTop` px from the viewport's top. */
export function visibleRows(listTop: number, viewportPx: number, rowPx: number, count: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(-listTop / rowPx) - OVERSCAN);
  const last = Math.min(count, Math.max(0, Math.ceil((viewportPx - listTop) / rowPx)) + OVERSCAN);
  return { first: Math.min(first, last), last };
}

export function CaseList({ ids, today }: { ids: readonly CaseId[]; today: string }) {
  const listRef = useRef<HTMLUListElement>(null);
  const [rowPx, setRowPx] = useState(100);
  const [range, setRange] = useState({ first: 0, last: 0 });

  useLayoutEffect(() => {
    const update = () => {
      const top = listRef.current?.getBoundingClientRect().top ?? 0;
      const next = visibleRows(top, window.innerHeight, rowPx, ids.length);
      setRange((r) => (r.first === next.first && r.last === next.last ? r : next));
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [ids.length, rowPx]);

  const measure = useCallback((slot: HTMLLIElement | null) => {
    if (slot?.offsetHeight) setRowPx(slot.offsetHeight);
  }, []);

  const slots = [];
  // The range follows a change of `ids` in the layout effect; until then, stay within them.
  for (let i = range.first, last = Math.min(range.last, ids.length); i < last; i++) {
    slots.push(
      <li key={ids[i]} ref={i === range.first ? measure : undefined} aria-setsize={ids.length} aria-posinset={i + 1} className="case-slot" style={{ top: i * rowPx }}>
        <CaseRow id={ids[i]!} today={today} />
      </li>,
    );
  }
  return (
    <ul ref={listRef} className="case-list" aria-label="Cases" style={{ height: ids.length * rowPx }}>
      {slots}
    </ul>
  );
}
