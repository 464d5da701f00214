// The list renders only the rows on screen (plus a few either side), whatever
// the number of cases: the page scrolls as usual over a list as tall as all its
// rows. Rows share one height (set in CSS, measured here so zoom and font size
// follow), which keeps this a few lines instead of a virtualization library.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { CaseListFilter } from '../../db/case-repo';
import { useCaseList } from '../../queries/case-queries';
import { CaseRow, RowPlaceholder } from './case-row';

const OVERSCAN = 4;

/** The rows [first, last) to render for a list whose top is `listTop` px from the viewport's top. */
export function visibleRows(listTop: number, viewportPx: number, rowPx: number, count: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(-listTop / rowPx) - OVERSCAN);
  const last = Math.min(count, Math.max(0, Math.ceil((viewportPx - listTop) / rowPx)) + OVERSCAN);
  return { first: Math.min(first, last), last };
}

// What the list measured last time it was shown: coming back to it, it renders the rows at once
// instead of measuring its way there render by render.
const remembered = { rowPx: 100, range: { first: 0, last: 0 } };

export function CaseList({ filter, search }: { filter: CaseListFilter; search: string }) {
  const listRef = useRef<HTMLUListElement>(null);
  const [rowPx, setRowPx] = useState(remembered.rowPx);
  const [range, setRange] = useState(remembered.range);
  const list = useCaseList(filter, search, range.first, range.last);
  const total = list.total ?? 0;

  useLayoutEffect(() => {
    const update = () => {
      const top = listRef.current?.getBoundingClientRect().top ?? 0;
      // Not clamped to `total` (rendering is): a search that narrows the list then needs no second render.
      const next = visibleRows(top, window.innerHeight, rowPx, Infinity);
      // Compared here, not in setRange(r => …): an unchanged range then costs no render.
      if (next.first !== remembered.range.first || next.last !== remembered.range.last) setRange((remembered.range = next));
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [total, rowPx]);

  const measure = useCallback((slot: HTMLLIElement | null) => {
    if (!slot) return;
    // Only a change re-renders: each new first row is measured, and a list that narrows must paint once.
    const seen = (px: number) => {
      if (px && px !== remembered.rowPx) setRowPx((remembered.rowPx = px));
    };
    if (typeof ResizeObserver !== 'function') return seen(slot.offsetHeight);
    // Read once the browser has laid the page out for its next frame, not forced in the middle of a commit.
    const observer = new ResizeObserver(() => seen(slot.offsetHeight));
    observer.observe(slot);
    return () => observer.disconnect();
  }, []);

  const slots = [];
  // The range is not clamped to `total`; the rows are.
  for (let i = range.first, last = Math.min(range.last, total); i < last; i++) {
    const id = list.idAt(i);
    slots.push(
      <li key={id ?? `slot-${i}`} ref={i === range.first ? measure : undefined} aria-setsize={total} aria-posinset={i + 1} className="case-slot" style={{ top: i * rowPx }}>
        {id ? <CaseRow id={id} today={filter.today} /> : <RowPlaceholder />}
      </li>,
    );
  }
  return (
    <>
      <p aria-live="polite" className="muted">{list.isPending ? 'Loading cases…' : `${total} case${total === 1 ? '' : 's'}, soonest needed first`}</p>
      <ul ref={listRef} className="case-list" aria-label="Cases" style={{ height: total * rowPx }}>
        {slots}
      </ul>
    </>
  );
}
