// Accessibility checks for the end-to-end specs: axe-core injected into the page
// (@axe-core/playwright needs Node 22), and a touch-target size check.
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Evaluated through the DevTools protocol rather than added as a <script>: the app's
// Content Security Policy (script-src 'self') rightly refuses an inline script tag.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const MIN_TARGET = 44;

type AxeViolation = { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: string[]; failureSummary: string }[] };

/** Runs axe on the page as it is now and fails with a readable list of violations. */
export async function expectNoAxeViolations(page: Page, screen: string) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const report = violations
    .map((v) => `• [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`).join('\n')}`)
    .join('\n');
  expect(violations, `axe violations on ${screen}:\n${report}`).toEqual([]);
}

/** Every visible button, link and form control is at least 44×44 (a checkbox or radio counts its label's box). */
export async function expectTouchTargets(page: Page, screen: string) {
  const small = await page.evaluate((min) => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"]');
    for (const el of controls) {
      const own = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (own.width === 0 || own.height === 0 || style.visibility === 'hidden' || el.closest('[hidden], [aria-hidden="true"]')) continue;
      const isToggle = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
      const label = isToggle ? ((el as HTMLInputElement).labels?.[0] ?? null) : null;
      const box = label ? label.getBoundingClientRect() : own;
      if (box.width < min - 0.5 || box.height < min - 0.5) {
        const name = (el.getAttribute('aria-label') ?? label?.textContent ?? el.textContent ?? (el as HTMLInputElement).name ?? '').trim().slice(0, 60);
        out.push(`<${el.tagName.toLowerCase()}${el.getAttribute('type') ? ` type=${el.getAttribute('type')}` : ''}> "${name}": ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return out;
  }, MIN_TARGET);
  expect(small, `controls smaller than ${MIN_TARGET}×${MIN_TARGET} px on ${screen}:\n${small.join('\n')}`).toEqual([]);
}

