// The real lab server for end-to-end tests: the built server (dist-server/main.js) over
// the built app (dist/), on its own port, with a throw-away PGlite data folder. Its
// one-time set-up code is read from what it prints at first start.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RunningServer = { url: string; setupCode: string; stop(): Promise<void> };

export async function startLabServer(port: number): Promise<RunningServer> {
  const data = mkdtempSync(join(tmpdir(), 'printpath-e2e-server-'));
  const child: ChildProcess = spawn(process.execPath, ['dist-server/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PRINTPATH_DATA: join(data, 'pglite'), PRINTPATH_DIST: 'dist', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const setupCode = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the lab server did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const code = /\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/.exec(output)?.[1];
      if (code && /listening|http:\/\//i.test(output)) {
        clearTimeout(timer);
        resolve(code);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (status) => reject(new Error(`the lab server exited (${status}):\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    setupCode,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(data, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
