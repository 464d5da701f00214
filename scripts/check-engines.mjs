// Fails fast, with the fix, when a browser engine for the three-engine smoke
// (tests/engines) is missing. The smoke uses Debian's packages and never downloads one.
import { accessSync, constants } from 'node:fs';

const needs = [
  ['Chromium', process.env.CHROMIUM_PATH || '/usr/bin/chromium', 'chromium'],
  ['Firefox ESR', process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', 'firefox-esr'],
  ['WebKitWebDriver', process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver', 'webkit2gtk-driver'],
  ['xvfb-run (a display for WebKitGTK)', '/usr/bin/xvfb-run', 'xvfb xauth'],
  ['xauth', '/usr/bin/xauth', 'xauth'],
];

const missing = needs.filter(([, path]) => {
  try {
    accessSync(path, constants.X_OK);
    return false;
  } catch {
    return true;
  }
});

if (missing.length > 0) {
  const packages = [...new Set(missing.flatMap(([, , pkg]) => pkg.split(' ')))].join(' ');
  console.error(`The three-engine smoke needs ${missing.map(([name, path]) => `${name} (${path})`).join(', ')}.
Install Debian's packages:

  sudo apt-get update && sudo apt-get install -y ${packages}

or point CHROMIUM_PATH, FIREFOX_PATH or WEBKIT_DRIVER_PATH at existing binaries.`);
  process.exit(1);
}
