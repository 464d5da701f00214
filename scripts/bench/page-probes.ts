// In-page timing. `installProbes` runs as an init script in every document the
// benchmark opens (before the app's own scripts), so it sees the navigation start
// and every DOM change. A measure starts at the timestamp of the user's input
// event (click, input, wheel) or at navigation start, and ends at the first frame
// after the expected outcome is on screen: the outcome is checked on every DOM
// change and every animation frame, then one requestAnimationFrame and a message
// later (after that frame) the end time is taken. Outcomes are checked the way a
// person would see them (text, labels, roles), not by the app's internals.
import type { Page } from '@playwright/test';

/** What the page must show for a measure to end. */
export type Outcome =
  /** The lock screen (people to pick) or the first-run form. */
  | { kind: 'firstScreen' }
  | { kind: 'lockScreen' }
  /** The case list shows rows and its count line (different from `countNot` when given). */
  | { kind: 'caseList'; countNot?: string | null }
  /** The count line changed from `countNot` and the first row on screen holds every word. */
  | { kind: 'listFirstRow'; words: string[]; countNot: string | null }
  /** A case page: its heading is the patient's name, with the case's sections. */
  | { kind: 'caseOpen'; heading: string }
  /** A checkbox whose label holds `label` is (un)ticked and its label holds `meta` ("Saving…", or who ticked it once stored); with `stored`, also enabled again (the write is done). */
  | { kind: 'checkbox'; label: string; checked: boolean; meta: string; stored: boolean }
  /** A visible role=status holding `text`. */
  | { kind: 'status'; text: string }
  /** A region (by accessible name) holding `text`. */
  | { kind: 'regionText'; name: string; text: string }
  /** The list scrolled and a row is painted under the list's centre. */
  | { kind: 'scrolled' }
  /** The dashboard's summary figures (its "Summary" tiles) are shown. */
  | { kind: 'dashboard' }
  /** Lab settings: every entry of every list (printers, materials, software) says whether cases use it. */
  | { kind: 'inUse' };

export type Timing = { ms: number; start: number; end: number; trueAtArm: boolean };

type Armed = { outcome: Outcome; startOn: string | null; scroll0: number };

type Probes = {
  /** Resolves at the first frame showing the lock screen or first-run form, timed from navigation start. */
  firstScreen: Promise<Timing>;
  arm(outcome: Outcome, startOn: string | null): boolean;
  result(): Promise<Timing>;
  countText(): string | null;
  /** The armed measure's state, for a timeout's message. */
  state(): string;
  frames: { start(): void; stop(): number[] };
  /** Long main-thread tasks (PerformanceObserver 'longtask', over 50 ms) between start and stop. */
  longTasks: { start(): void; stop(): { max: number; count: number } };
};

declare global {
  interface Window {
    __bt: Probes;
    __printpathLoadBench?: () => Promise<{ hooks: Record<string, (...args: unknown[]) => unknown> }>;
  }
}

/** Serialized into the page by addInitScript: self-contained, no imports or closures. */
export function installProbes(): void {
  if (window.top !== window) return;
  const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const shown = (el: Element) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
  };
  const heading = (t: string) => [...document.querySelectorAll('h1')].find((h) => text(h) === t);
  const region = (name: string) =>
    [...document.querySelectorAll('section, [role="region"], [role="group"], form')].find((el) => {
      const by = el.getAttribute('aria-labelledby');
      return el.getAttribute('aria-label') === name || (by && text(document.getElementById(by)) === name);
    });
  const countText = () => {
    for (const el of document.querySelectorAll('[aria-live], [role="status"]')) {
      const t = text(el);
      if (/^[\d,.\s\u202f]+ cases?\b/.test(t)) return t;
    }
    return null;
  };
  const caseList = () => document.querySelector('[aria-label="Cases"]');
  const rows = () => [...(caseList()?.querySelectorAll('a[href^="/cases/"]') ?? [])].filter((a) => !a.getAttribute('href')!.endsWith('/new'));
  const firstShownRow = () => rows().find(shown);
  const lockReady = () => !!heading('Printpath is locked') && !!document.querySelector('[aria-label="People on this tablet"] button');
  const firstRunReady = () => !!heading('Set up this tablet') && !!document.querySelector('form input');
  /** Sum of the scroll offsets of the window and of the list's ancestors. */
  const scrollOffset = () => {
    let sum = window.scrollY;
    for (let el = caseList(); el && el !== document.body && el !== document.documentElement; el = el.parentElement) sum += el.scrollTop;
    return sum;
  };
  const rowAtCentre = () => {
    const list = caseList();
    if (!list) return false;
    const r = list.getBoundingClientRect();
    const y = Math.min(Math.max(r.top, 0), innerHeight) / 2 + Math.min(Math.max(r.bottom, 0), innerHeight) / 2;
    // A few points around the centre: rows may have gaps between them.
    return [0, -40, 40, -80, 80].some((dy) => {
      const hit = document.elementFromPoint(r.left + r.width / 2, y + dy)?.closest('a[href^="/cases/"]');
      return !!hit && text(hit).length > 0;
    });
  };

  const holds = (a: Armed): boolean => {
    const o = a.outcome;
    switch (o.kind) {
      case 'firstScreen':
        return lockReady() || firstRunReady();
      case 'lockScreen':
        return lockReady();
      case 'caseList': {
        const n = countText();
        return !!n && (o.countNot == null || n !== o.countNot) && !!firstShownRow();
      }
      case 'listFirstRow': {
        const n = countText();
        if (!n || n === o.countNot) return false;
        const first = text(firstShownRow()).toLowerCase();
        return o.words.every((w) => first.includes(w.toLowerCase()));
      }
      case 'caseOpen':
        return !!heading(o.heading) && !!document.querySelector('[aria-label="Case sections"]');
      case 'checkbox':
        return [...document.querySelectorAll('label')].some((label) => {
          const box = label.querySelector('input[type="checkbox"]') as HTMLInputElement | null;
          const t = text(label);
          return !!box && t.includes(o.label) && box.checked === o.checked && (!o.stored || !box.matches(':disabled')) && t.includes(o.meta);
        });
      case 'status':
        return [...document.querySelectorAll('[role="status"]')].some((el) => text(el).includes(o.text) && shown(el));
      case 'regionText': {
        const r = region(o.name);
        return !!r && text(r).includes(o.text);
      }
      case 'scrolled':
        return scrollOffset() !== a.scroll0 && rowAtCentre();
      case 'dashboard': {
        const tiles = document.querySelector('dl[aria-label="Summary"]');
        return !!tiles && tiles.querySelectorAll('dd').length > 0 && shown(tiles);
      }
      case 'inUse': {
        const entries = [...document.querySelectorAll('ul[aria-label^="The lab’s "] > li')];
        return !!heading('Lab settings') && entries.length > 0 && entries.every((li) => /Used by \d|Not used by any case yet/.test(text(li)));
      }
    }
  };

  const EVENTS = ['scroll', 'input', 'change'];
  /** Watches until `a` holds (after it was seen not holding), then resolves after the next frame. */
  const watch = (a: Armed, start: () => number | null): Promise<Timing> =>
    new Promise((resolve) => {
      const trueAtArm = holds(a);
      let seenFalse = !trueAtArm;
      let done = false;
      const check = () => {
        if (done) return;
        const s = start();
        if (s === null) return;
        if (!holds(a)) {
          seenFalse = true;
          return;
        }
        if (!seenFalse) return;
        done = true;
        observer.disconnect();
        for (const type of EVENTS) removeEventListener(type, check, { capture: true });
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            const end = performance.now();
            resolve({ ms: end - s, start: s, end, trueAtArm });
          };
          ch.port2.postMessage(null);
        });
      };
      const observer = new MutationObserver(check);
      const observe = () => observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      if (document.documentElement) observe();
      else document.addEventListener('readystatechange', observe, { once: true });
      const loop = () => {
        check();
        if (!done) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
      for (const type of EVENTS) addEventListener(type, check, { capture: true, passive: true });
    });

  let pending: Promise<Timing> | null = null;
  let state = () => 'nothing armed';
  let frameTimes: number[] = [];
  let framesOn = false;
  const frameLoop = (t: number) => {
    if (!framesOn) return;
    frameTimes.push(t);
    requestAnimationFrame(frameLoop);
  };

  let longTasks: number[] | null = null;
  const longTaskObserver = new PerformanceObserver((list) => {
    if (longTasks) for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  try {
    longTaskObserver.observe({ type: 'longtask' });
  } catch {
    // No Long Tasks API: the measures say nothing rather than zero (stop() throws).
  }

  window.__bt = {
    firstScreen: watch({ outcome: { kind: 'firstScreen' }, startOn: null, scroll0: 0 }, () => 0),
    arm(outcome, startOn) {
      const a: Armed = { outcome, startOn, scroll0: scrollOffset() };
      let started: number | null = startOn ? null : performance.now();
      if (startOn) addEventListener(startOn, (e) => { started ??= e.timeStamp; }, { capture: true, once: true });
      const wasTrue = holds(a);
      pending = watch(a, () => started);
      state = () => {
        const list = caseList();
        const r = list?.getBoundingClientRect();
        return `started ${started === null ? 'no' : 'yes'}, outcome ${holds(a) ? 'holds' : 'does not hold'}, scroll ${a.scroll0} → ${scrollOffset()}, lists ${document.querySelectorAll('[aria-label="Cases"]').length}, rect ${r ? [r.left, r.top, r.width, r.bottom].map(Math.round).join(',') : '-'}, row at centre ${rowAtCentre()}`;
      };
      return wasTrue;
    },
    result() {
      if (!pending) throw new Error('nothing armed');
      return pending;
    },
    countText,
    state: () => state(),
    frames: {
      start() {
        frameTimes = [];
        framesOn = true;
        requestAnimationFrame(frameLoop);
      },
      stop() {
        framesOn = false;
        return frameTimes.slice(1).map((t, i) => t - frameTimes[i]!);
      },
    },
    longTasks: {
      start() {
        if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) throw new Error('no Long Tasks API in this browser');
        longTasks = [];
      },
      stop() {
        // Entries not yet delivered to the callback.
        for (const e of longTaskObserver.takeRecords()) longTasks?.push(e.duration);
        const seen = longTasks ?? [];
        longTasks = null;
        return { max: seen.length ? Math.max(...seen) : 0, count: seen.length };
      },
    },
  };
}

/**
 * Arms `outcome` in the page, runs `act` (the user's input), and returns the time
 * from that input event (`startOn`: 'click', 'input', 'wheel'…) to the frame showing the outcome.
 */
export async function timed(page: Page, outcome: Outcome, startOn: string, act: () => Promise<unknown>, timeoutMs = 60_000): Promise<number> {
  // An outcome already on screen (e.g. the last backup's "Backup saved") must go and come back.
  await page.evaluate(([o, s]) => window.__bt.arm(o, s), [outcome, startOn] as const);
  await act();
  const result = page.evaluate(() => window.__bt.result());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void page
        .evaluate(() => window.__bt.state())
        .catch(() => 'page gone')
        .then((state) => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(outcome)} (${state})`)));
    }, timeoutMs);
  });
  try {
    return (await Promise.race([result, timeout])).ms;
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds from navigation start to the first frame showing the lock screen or first-run form. */
export const firstScreenMs = async (page: Page): Promise<number> => (await page.evaluate(() => window.__bt.firstScreen)).ms;

export const countText = (page: Page): Promise<string | null> => page.evaluate(() => window.__bt.countText());
