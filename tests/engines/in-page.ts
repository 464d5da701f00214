// Runs inside the page, in every engine: finds an element the way a person (or a
// screen reader) would, by role and accessible name or by label, so the smoke
// needs no CSS classes and the same query works through CDP, BiDi and WebDriver.
// The driver sends `locate.toString()` to the page: the function must stay
// self-contained (no imports, no helpers outside it).

export type Role =
  | 'article'
  | 'banner'
  | 'button'
  | 'checkbox'
  | 'form'
  | 'group'
  | 'heading'
  | 'link'
  | 'list'
  | 'main'
  | 'navigation'
  | 'region'
  | 'row'
  | 'rowheader'
  | 'status';

/** A name to match: exact text (whitespace collapsed), or a regular expression as source and flags. */
export type NameMatch = string | { source: string; flags: string };

/** One step of a query; each step searches inside the element the previous one found. */
export type Step = { role: Role; name?: NameMatch } | { label: NameMatch };

export type Query = Step[];

/** The first visible element matching the whole chain, or null. */
export function locate(query: Query): Element | null {
  const collapse = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (value: string, want: NameMatch) =>
    typeof want === 'string' ? value === collapse(want) : new RegExp(want.source, want.flags).test(value);
  const visible = (el: Element) =>
    typeof el.checkVisibility === 'function' ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0;
  const textOf = (el: Element) => collapse(el instanceof HTMLElement ? el.innerText : el.textContent);
  const byIds = (ids: string) =>
    collapse(
      ids
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter((e): e is HTMLElement => e !== null)
        .map((e) => e.innerText || e.textContent)
        .join(' '),
    );

  const labelOf = (el: Element): string => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return byIds(labelledBy);
    const aria = el.getAttribute('aria-label');
    if (aria) return collapse(aria);
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
      const labels = el.labels ? [...el.labels] : [];
      return collapse(labels.map((l) => l.innerText || l.textContent).join(' '));
    }
    if (el instanceof HTMLFieldSetElement) {
      const legend = el.querySelector(':scope > legend');
      return legend ? textOf(legend) : '';
    }
    return '';
  };

  const nameOf = (el: Element): string => {
    const label = labelOf(el);
    if (label) return label;
    if (el instanceof HTMLInputElement && (el.type === 'submit' || el.type === 'button')) return collapse(el.value);
    const tag = el.tagName.toLowerCase();
    if (['button', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th', 'td', 'li', 'summary'].includes(tag) || el.getAttribute('role') === 'button') return textOf(el);
    return '';
  };

  const SELECTORS: Record<Role, string> = {
    article: 'article, [role="article"]',
    banner: 'header, [role="banner"]',
    button: 'button, input[type="submit"], input[type="button"], [role="button"]',
    checkbox: 'input[type="checkbox"], [role="checkbox"]',
    form: 'form, [role="form"]',
    group: 'fieldset, [role="group"], details',
    heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
    link: 'a[href], [role="link"]',
    list: 'ul, ol, [role="list"]',
    main: 'main, [role="main"]',
    navigation: 'nav, [role="navigation"]',
    region: 'section, [role="region"]',
    row: 'tr, [role="row"]',
    rowheader: 'th[scope="row"], [role="rowheader"]',
    status: '[role="status"], output',
  };

  const find = (scope: ParentNode, step: Step): Element | null => {
    let candidates: Element[];
    let name: (el: Element) => string;
    let want: NameMatch | undefined;
    if ('role' in step) {
      candidates = [...scope.querySelectorAll(SELECTORS[step.role])];
      // A section is a region, and a form a form, only when it has a name.
      if (step.role === 'region' || step.role === 'form') candidates = candidates.filter((el) => labelOf(el) !== '');
      name = nameOf;
      want = step.name;
    } else {
      candidates = [...scope.querySelectorAll('input, select, textarea, [role="checkbox"], [role="textbox"], [role="combobox"]')];
      name = labelOf;
      want = step.label;
    }
    return candidates.find((el) => visible(el) && (want === undefined || matches(name(el), want))) ?? null;
  };

  let scope: Element | null = document.documentElement;
  for (const step of query) {
    scope = find(scope, step);
    if (!scope) return null;
  }
  return scope;
}
