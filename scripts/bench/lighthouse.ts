// Lighthouse 12.2 (Node 20; it has no PWA category any more) against the served
// benchmark build, in Debian's Chromium started by chrome-launcher with the same
// flags as the e2e suite. Lighthouse's own defaults: mobile emulation and simulated
// throttling (slow 4G, 4× CPU). It opens the seeded profile without resetting its
// storage, so it audits the lock screen of a tablet holding the seeded cases, loaded
// cold (the harness clears the service worker and caches first).
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { writeFile } from 'node:fs/promises';

export type LighthouseScores = { performance: number; accessibility: number; bestPractices: number; reportPath: string; failing: string[] };

export async function runLighthouse(url: string, o: { chromiumPath: string; chromiumArgs: string[]; profileDir: string | null; reportPath: string }): Promise<LighthouseScores> {
  const chrome = await launch({
    chromePath: o.chromiumPath,
    chromeFlags: ['--headless=new', ...o.chromiumArgs],
    userDataDir: o.profileDir ?? false,
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'html',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      disableStorageReset: o.profileDir !== null,
    });
    if (!result) throw new Error('Lighthouse returned nothing');
    const { lhr } = result;
    await writeFile(o.reportPath, Array.isArray(result.report) ? result.report.join('\n') : result.report);
    const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const audited = new Set(Object.values(lhr.categories).flatMap((c) => c.auditRefs.filter((r) => r.weight > 0).map((r) => r.id)));
    const failing = Object.values(lhr.audits)
      .filter((a) => audited.has(a.id) && a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
      .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ''}`);
    if (lhr.runtimeError) failing.unshift(`runtime error: ${lhr.runtimeError.message}`);
    return { performance: score('performance'), accessibility: score('accessibility'), bestPractices: score('best-practices'), reportPath: o.reportPath, failing };
  } finally {
    chrome.kill();
  }
}
