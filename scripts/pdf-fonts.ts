// The case PDF's fonts for the scripts Noto Sans lacks (it has Latin, Greek, Cyrillic and Devanagari): regular weight only, from the @expo-google-fonts packages
// (SIL Open Font License 1.1). They are copied to fonts/ in the build with their licence beside them, not bundled:
// the app fetches one only when a case needs it (`virtual:pdf-fonts` gives their URLs), and the service worker
// keeps it once fetched (vite.config.ts: the CJK ones are far over the precache limit).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';
import type { OtherScript } from '../src/domain/script-runs';

const FAMILIES: Record<OtherScript, string> = {
  arabic: 'Arabic',
  hebrew: 'Hebrew',
  thai: 'Thai',
  chinese: 'SC',
  japanese: 'JP',
  korean: 'KR',
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VIRTUAL = 'virtual:pdf-fonts';

type FontFile = { script: string; fileName: string; path: string; licence: { fileName: string; path: string } };

function fontFiles(): FontFile[] {
  return Object.entries(FAMILIES).map(([script, family]) => {
    const dir = resolve(root, 'node_modules/@expo-google-fonts', `noto-sans-${family.toLowerCase()}`);
    const path = resolve(dir, `400Regular/NotoSans${family}_400Regular.ttf`);
    // The hash in the name: a newer font is a new URL, never an old cached copy.
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 10);
    return { script, path, fileName: `fonts/NotoSans${family}-Regular.${hash}.ttf`, licence: { fileName: `fonts/NotoSans${family}-OFL.txt`, path: resolve(dir, 'LICENSE_FONT') } };
  });
}

export function pdfFonts(): Plugin {
  let files: FontFile[] = [];
  let base = '/';
  return {
    name: 'printpath-pdf-fonts',
    configResolved(config: ResolvedConfig) {
      base = config.base;
      files = fontFiles();
    },
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : null),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return null;
      return `export default ${JSON.stringify(Object.fromEntries(files.map((f) => [f.script, base + f.fileName])))};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = files.find((f) => req.url === base + f.fileName);
        if (!file) return next();
        res.setHeader('Content-Type', 'font/ttf');
        res.end(readFileSync(file.path));
      });
    },
    generateBundle() {
      for (const f of files) {
        this.emitFile({ type: 'asset', fileName: f.fileName, source: readFileSync(f.path) });
        this.emitFile({ type: 'asset', fileName: f.licence.fileName, source: readFileSync(f.licence.path) });
      }
    },
  };
}
