// Runs `npm ci` in the current folder unless node_modules already holds exactly what
// package-lock.json pins, then checks that the files the build copies into a jar are there.
//
//   node scripts/npm-ensure.mjs LABEL [FILE ...]     (run in the folder of package-lock.json)
//
// The builds of styles (the CJK fonts, styles/fonts-npm) and map-server (MapLibre GL JS,
// map-server/viewer-npm) call it in generate-resources, so a build does not reinstall every time,
// a changed lock file is always picked up, and a jar is never built silently without what it ships
// (Maven's copy step skips missing files without a word).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [label, ...required] = process.argv.slice(2);
const here = process.cwd();
const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));

function installed() {
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/')) continue;
    try {
      const found = JSON.parse(readFileSync(join(here, path, 'package.json'), 'utf8'));
      if (found.version !== entry.version) return `${path} is ${found.version}, the lock pins ${entry.version}`;
    } catch {
      return `${path} is missing`;
    }
  }
  const missing = required.find((f) => !existsSync(join(here, f)));
  return missing ? `${missing} is missing` : null;
}

const why = installed();
if (why) {
  console.log(`${label}: npm ci (${why})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
  const still = installed();
  if (still) {
    console.error(`${label}: after npm ci ${still}; the package no longer ships what the build copies`);
    process.exit(1);
  }
}
