// Runs `npm ci` here unless node_modules already holds exactly what package-lock.json pins.
// map-server's build calls this before copying MapLibre GL JS into the viewer, so a build
// does not reinstall (about 3 s) every time, and a changed lock file is always picked up.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));

function installed() {
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/')) continue;
    try {
      const pkg = JSON.parse(readFileSync(join(here, path, 'package.json'), 'utf8'));
      if (pkg.version !== entry.version) return `${path} is ${pkg.version}, the lock pins ${entry.version}`;
    } catch {
      return `${path} is missing`;
    }
  }
  return null;
}

const why = installed();
if (why) {
  console.log(`viewer: npm ci (${why})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}
