import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder: the nearest folder above this module holding server/migrations (works from server/ and from the build). */
export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'server', 'migrations'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find server/migrations above ' + from);
    dir = parent;
  }
  return dir;
}
