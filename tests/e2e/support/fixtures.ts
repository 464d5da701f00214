// The `test` every spec uses: Playwright's, plus a guard that records every request
// the browser context makes (pages and the service worker) and every Content
// Security Policy violation, and fails the test if a request went to another
// origin or the CSP blocked anything. So each spec also checks that no data
// leaves the device; `traffic` lets a test look at what was recorded.
import { test as base, expect, type ConsoleMessage } from '@playwright/test';

export type Traffic = {
  /** Every request URL, in order. */
  readonly urls: string[];
  /** Console errors that mention the Content Security Policy (Chromium logs each violation). */
  readonly cspViolations: string[];
  /** URLs whose origin is not the app's (blob: and data: URLs stay on the device). */
  offOrigin(): string[];
};

type Fixtures = { traffic: Traffic; guardTraffic: boolean };

// Chromium logs a violation as "Refused to … because it violates the following Content
// Security Policy directive …"; the init script also reports each `securitypolicyviolation`
// event on the console, in case a violation is not logged.
const reportViolations = () => {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`Content Security Policy violation (event): ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
  });
};

export const test = base.extend<Fixtures>({
  /** Tests that provoke a violation on purpose turn the end-of-test check off. */
  guardTraffic: [true, { option: true }],
  traffic: [
    async ({ context, baseURL, guardTraffic }, use) => {
      const origin = new URL(baseURL!).origin;
      const urls: string[] = [];
      const cspViolations: string[] = [];
      context.on('request', (r) => urls.push(r.url()));
      const onConsole = (m: ConsoleMessage) => {
        if (m.type() === 'error' && m.text().includes('Content Security Policy')) cspViolations.push(m.text());
      };
      context.on('console', onConsole);
      await context.addInitScript(reportViolations);
      const traffic: Traffic = {
        urls,
        cspViolations,
        offOrigin: () => urls.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin),
      };
      await use(traffic);
      if (guardTraffic) {
        expect(traffic.offOrigin(), 'requests to another origin').toEqual([]);
        expect(traffic.cspViolations, 'Content Security Policy violations').toEqual([]);
      }
    },
    { auto: true },
  ],
});

export { expect };
