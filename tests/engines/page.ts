// What the smoke does with a page, the same in every engine: wait for an element
// found by role and name or by label, click it, fill it, pick an option, read text.
// Built on the few operations in drivers.ts; element lookup runs in the page
// (in-page.ts), so it behaves the same everywhere.
import type { EngineDriver } from './drivers';
import { locate, type NameMatch, type Query, type Role, type Step } from './in-page';

const LOCATE = locate.toString();
const DEFAULT_TIMEOUT = 15_000;
const POLL_MS = 50;

/** Query-building shorthands. */
export const role = (r: Role, name?: string | RegExp): Step => (name === undefined ? { role: r } : { role: r, name: nameMatch(name) });
export const label = (l: string | RegExp): Step => ({ label: nameMatch(l) });
const nameMatch = (m: string | RegExp): NameMatch => (typeof m === 'string' ? m : { source: m.source, flags: m.flags });

const describe = (query: Query) =>
  query
    .map((s) => ('role' in s ? `${s.role}${s.name ? ` "${show(s.name)}"` : ''}` : `label "${show(s.label)}"`))
    .join(' › ');
const show = (m: NameMatch) => (typeof m === 'string' ? m : `/${m.source}/${m.flags}`);

export class EnginePage {
  private fills = 0;

  constructor(readonly driver: EngineDriver) {}

  /** A JavaScript expression that evaluates, in the page, to the element (or null). */
  expression(query: Query): string {
    return `(${LOCATE})(${JSON.stringify(query)})`;
  }

  async exists(query: Query): Promise<boolean> {
    return this.driver.evaluate<boolean>(`${this.expression(query)} !== null`);
  }

  /** Waits until `check` returns something other than undefined/false, polling. */
  async until<T>(what: string, check: () => Promise<T | undefined | false>, timeout = DEFAULT_TIMEOUT): Promise<T> {
    const deadline = Date.now() + timeout;
    let lastError: unknown = null;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        lastError = error; // e.g. the page is navigating: try again
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out after ${timeout} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async waitFor(query: Query, timeout?: number): Promise<void> {
    await this.until(describe(query), () => this.exists(query), timeout);
  }

  /** Waits until the control takes input: not disabled, nor inside a disabled fieldset (a write in progress). */
  async waitForEnabled(query: Query, timeout?: number): Promise<void> {
    await this.until(`${describe(query)} to be enabled`, () => this.driver.evaluate<boolean>(`!${this.expression(query)}.matches(':disabled')`), timeout);
  }

  async click(query: Query): Promise<void> {
    await this.waitFor(query);
    await this.waitForEnabled(query);
    // As a person would: bring it to the middle of the screen first, clear of the sticky header.
    await this.driver.evaluate(`${this.expression(query)}.scrollIntoView({ block: 'center', inline: 'nearest' })`);
    await this.driver.click(this.expression(query)).catch((error: Error) => {
      throw new Error(`Clicking ${describe(query)}: ${error.name} ${error.message}`);
    });
  }

  /**
   * Types into a text or number field. Date and time fields are set the way Playwright's
   * fill() sets them (value plus input and change events): their key-by-key entry differs
   * by engine and locale, and the value format (yyyy-mm-dd) is the same everywhere.
   */
  async fill(query: Query, value: string, options?: { replace?: boolean }): Promise<void> {
    await this.waitFor(query);
    // Tagged, so the check below finds the same field even if typing changes its group's name.
    const tag = `fill-${++this.fills}`;
    const type = await this.driver.evaluate<string>(`(() => { const el = ${this.expression(query)}; el.dataset.smoke = '${tag}'; return el.type; })()`);
    const tagged = `document.querySelector('[data-smoke="${tag}"]')`;
    if (['date', 'datetime-local', 'time', 'month', 'week'].includes(type)) {
      await this.setValue(tagged, value);
    } else {
      await this.driver.type(tagged, value, options).catch((error: Error) => {
        throw new Error(`Typing into ${describe(query)}: ${error.name} ${error.message}`);
      });
    }
    await this.until(`${describe(query)} to read "${value}"`, () => this.driver.evaluate<boolean>(`${tagged}.value === ${JSON.stringify(value)}`), 5_000);
  }

  /** Picks an option by its visible label. */
  async select(query: Query, optionLabel: string): Promise<void> {
    await this.waitFor(query);
    const value = await this.driver.evaluate<string | null>(
      `[...${this.expression(query)}.options].find((o) => o.label.trim() === ${JSON.stringify(optionLabel)})?.value ?? null`,
    );
    if (value === null) throw new Error(`${describe(query)} has no option "${optionLabel}"`);
    await this.setValue(this.expression(query), value);
    await this.until(`${describe(query)} to be "${optionLabel}"`, async () => (await this.value(query)) === value, 5_000);
  }

  async value(query: Query): Promise<string> {
    return this.driver.evaluate<string>(`${this.expression(query)}.value`);
  }

  async checked(query: Query): Promise<boolean> {
    return this.driver.evaluate<boolean>(`${this.expression(query)}.checked`);
  }

  /** Visible text of an element, whitespace collapsed. */
  async text(query: Query): Promise<string> {
    await this.waitFor(query);
    return this.driver.evaluate<string>(`${this.expression(query)}.innerText.replace(/\\s+/g, ' ').trim()`);
  }

  /** Waits until the element's text contains `expected` (or matches it). */
  async waitForText(query: Query, expected: string | RegExp, timeout?: number): Promise<string> {
    let last = '';
    return this.until(
      `${describe(query)} to show "${expected}"`,
      async () => {
        if (!(await this.exists(query))) return undefined;
        last = await this.text(query);
        return (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) ? last : undefined;
      },
      timeout,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; it shows "${last.slice(0, 300)}"`);
    });
  }

  async url(): Promise<string> {
    return this.driver.evaluate<string>('location.href');
  }

  /** The value a React-controlled field gets from a person: native setter, then input and change events. */
  private async setValue(elementExpression: string, value: string): Promise<void> {
    await this.driver.evaluate(`(() => {
      const el = ${elementExpression};
      const proto = Object.getPrototypeOf(el);
      Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, ${JSON.stringify(value)});
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    })()`);
  }
}
