// The engine-neutral driver the smoke runs on: a handful of operations every
// engine's automation offers (load, reload, run script, click, type, screenshot),
// implemented for Chromium and Firefox through puppeteer-core (CDP / WebDriver
// BiDi) and for WebKitGTK through selenium-webdriver against WebKitWebDriver.
// Only the browsers Debian installs are used: nothing is downloaded. Each browser
// gets a temporary HOME and profile, removed on close.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { Builder, Key, type WebDriver, type WebElement } from 'selenium-webdriver';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';

export type EngineName = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];

/** iPad Air, portrait: the same window the Playwright suite uses. */
export const TABLET = { width: 820, height: 1180 };

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
/** WebKitWebDriver starts its own MiniBrowser (from libwebkit2gtk) unless this names another binary. */
const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH;

export interface EngineDriver {
  readonly engine: EngineName;
  /** Browser name and version as the browser reports it. */
  readonly version: string;
  /** Console errors and warnings and uncaught exceptions so far; null where the engine's driver cannot report them (WebKitWebDriver). */
  readonly problems: string[] | null;
  goto(url: string): Promise<void>;
  /** Reloads the page and waits for it to load. */
  reload(): Promise<void>;
  /** Evaluates a JavaScript expression in the page; a promise is awaited; the value comes back as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Clicks, as a pointer would, the element that `elementExpression` evaluates to. */
  click(elementExpression: string): Promise<void>;
  /** Focuses the element and types `text` with key events; `replace` clears it first (select all, delete). */
  type(elementExpression: string, text: string, options?: { replace?: boolean }): Promise<void>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function launch(engine: EngineName): Promise<EngineDriver> {
  const home = await mkdtemp(join(tmpdir(), `printpath-${engine}-home-`));
  try {
    return engine === 'webkit' ? await launchWebKit(home) : await launchPuppeteer(engine, home);
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}

// ---- Chromium and Firefox: puppeteer-core ----

async function launchPuppeteer(engine: 'chromium' | 'firefox', home: string): Promise<EngineDriver> {
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  const browser: Browser = await puppeteer.launch({
    browser: engine === 'firefox' ? 'firefox' : 'chrome',
    executablePath: engine === 'firefox' ? FIREFOX_PATH : CHROMIUM_PATH,
    headless: true,
    userDataDir: join(home, 'profile'),
    args: engine === 'chromium' ? CHROMIUM_ARGS : [],
    defaultViewport: TABLET,
    env,
  });
  const page: Page = (await browser.pages())[0] ?? (await browser.newPage());
  await page.setViewport(TABLET);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e instanceof Error ? e.message : String(e)}`));
  const version = await browser.version();

  const element = async (expression: string): Promise<ElementHandle<Element>> => {
    const handle = await page.evaluateHandle(expression);
    const el = handle.asElement() as ElementHandle<Element> | null;
    if (!el) {
      await handle.dispose();
      throw new Error(`No element for ${expression.slice(-200)}`);
    }
    return el;
  };

  return {
    engine,
    version,
    problems,
    goto: async (url) => {
      await page.goto(url, { waitUntil: 'load' });
    },
    reload: async () => {
      await page.reload({ waitUntil: 'load' });
    },
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    click: async (expression) => {
      const el = await element(expression);
      try {
        await el.click();
      } finally {
        await el.dispose();
      }
    },
    type: async (expression, text, options) => {
      const el = await element(expression);
      try {
        await el.focus();
        if (options?.replace) {
          await page.keyboard.down('Control');
          await page.keyboard.press('a');
          await page.keyboard.up('Control');
          await page.keyboard.press('Backspace');
        }
        await el.type(text);
      } finally {
        await el.dispose();
      }
    },
    screenshot: async (path) => {
      await page.screenshot({ path: path as `${string}.png` });
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
}

// ---- WebKitGTK: selenium-webdriver against WebKitWebDriver, on a virtual display ----

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitForDriver(url: string, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    const ready = await fetch(`${url}/status`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url} within ${timeoutMs} ms`);
}

/** Ends xvfb-run, the X server and the driver: they run in a process group of their own. */
function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      done();
    }, 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      done();
    }
  });
}

async function launchWebKit(home: string): Promise<EngineDriver> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local/share') };
  // WebKitGTK has no headless mode: a virtual X display, larger than the tablet window.
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x1400x24', WEBKIT_DRIVER_PATH, `--port=${port}`], {
    env,
    detached: true,
    stdio: 'ignore',
  });
  let driver: WebDriver | null = null;
  try {
    await waitForDriver(url, child);
    driver = await new Builder()
      .usingServer(url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        ...(MINIBROWSER_PATH ? { 'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] } } : {}),
      })
      .build();
  } catch (error) {
    await driver?.quit().catch(() => undefined);
    await killGroup(child);
    throw error;
  }
  const wd = driver;
  const capabilities = await wd.getCapabilities();
  const version = `${capabilities.getBrowserName()} ${capabilities.getBrowserVersion()}`;

  // The window includes the browser's own frame: size it so the page gets the tablet's viewport.
  await wd.manage().window().setRect({ x: 0, y: 0, ...TABLET });
  const inner = await wd.executeScript<[number, number]>('return [window.innerWidth, window.innerHeight]');
  await wd.manage().window().setRect({ x: 0, y: 0, width: TABLET.width * 2 - inner[0], height: TABLET.height * 2 - inner[1] });

  const element = async (expression: string): Promise<WebElement> => {
    const el = await wd.executeScript<WebElement | null>(`return ${expression}`);
    if (!el) throw new Error(`No element for ${expression.slice(-200)}`);
    return el;
  };

  return {
    engine: 'webkit',
    version,
    problems: null,
    goto: (target) => wd.get(target),
    reload: () => wd.navigate().refresh(),
    evaluate: <T>(expression: string) => wd.executeScript<T>(`return ${expression}`),
    click: async (expression) => (await element(expression)).click(),
    type: async (expression, text, options) => {
      const el = await element(expression);
      if (options?.replace) await el.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
      await el.sendKeys(text);
    },
    screenshot: async (path) => writeFile(path, Buffer.from(await wd.takeScreenshot(), 'base64')),
    close: async () => {
      await wd.quit().catch(() => undefined);
      await killGroup(child);
      await rm(home, { recursive: true, force: true });
    },
  };
}
