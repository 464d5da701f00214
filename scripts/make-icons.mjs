// Renders the Printpath mark (SVG) to the PWA icons with Debian's headless chromium.
// Run `node scripts/make-icons.mjs` after changing the mark; commit the PNGs it writes
// (they are source assets — the build does not regenerate them).
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));
const TEAL = '#0f4c5c';
const TEAL_LIGHT = '#1b7a8c';
const WHITE = '#ffffff';

// The glyph on a 512 grid, centred on (256, 256): three print layers narrowing upwards
// under a nozzle that lays down the next one.
const glyph = `
  <rect x="124" y="338" width="264" height="46" rx="12" fill="${WHITE}"/>
  <rect x="158" y="278" width="196" height="46" rx="12" fill="${WHITE}" fill-opacity="0.85"/>
  <rect x="192" y="218" width="128" height="46" rx="12" fill="${WHITE}" fill-opacity="0.7"/>
  <path d="M214 128 h84 a10 10 0 0 1 10 10 v22 a10 10 0 0 1 -3 7 l-40 40 a12 12 0 0 1 -18 0 l-40 -40 a10 10 0 0 1 -3 -7 v-22 a10 10 0 0 1 10 -10 z" fill="${WHITE}"/>`;

const background = (shape) => `
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${TEAL_LIGHT}"/>
      <stop offset="1" stop-color="${TEAL}"/>
    </linearGradient>
  </defs>
  ${shape}`;

/** Rounded square with transparent corners: favicon and "any" icons. */
const roundedSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${background(
  '<rect width="512" height="512" rx="112" fill="url(#bg)"/>',
)}${glyph}
</svg>
`;

/** Full-bleed square for launchers that apply their own mask; the glyph sits well
 * inside the maskable safe zone (a centred circle of radius 40% = 205 px). */
const maskableSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${background(
  '<rect width="512" height="512" fill="url(#bg)"/>',
)}<g transform="translate(256 256) scale(0.8) translate(-256 -256)">${glyph}</g>
</svg>
`;

const outputs = [
  { file: 'icons/icon-192.png', svg: roundedSvg, size: 192 },
  { file: 'icons/icon-512.png', svg: roundedSvg, size: 512 },
  { file: 'icons/icon-maskable-512.png', svg: maskableSvg, size: 512 },
  // iOS fills transparency with black and rounds the corners itself: use the full-bleed art.
  { file: 'icons/apple-touch-icon-180.png', svg: maskableSvg, size: 180 },
];

await mkdir(`${publicDir}icons`, { recursive: true });
await writeFile(`${publicDir}favicon.svg`, roundedSvg);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  for (const { file, svg, size } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
    );
    await page.screenshot({
      path: `${publicDir}${file}`,
      omitBackground: true,
      clip: { x: 0, y: 0, width: size, height: size },
    });
    await page.close();
    console.log(`wrote public/${file}`);
  }
} finally {
  await browser.close();
}
console.log('wrote public/favicon.svg');
