// Runs `npm ci` here unless node_modules already holds exactly what package-lock.json pins, then
// checks that the files the styles build copies into the jar are there. The build calls this in
// generate-resources, so a build does not reinstall the 57 MB package every time, a changed lock
// file is always picked up, and a jar is never built silently without its CJK fonts (the copy
// step that follows skips missing files without a word).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));
const pkg = 'node_modules/@expo-google-fonts/noto-sans-sc';
// keep in step with the copy in styles/pom.xml and FontLibrary.SHIPPED_FONTS
const shipped = [
  `${pkg}/400Regular/NotoSansSC_400Regular.ttf`,
  `${pkg}/700Bold/NotoSansSC_700Bold.ttf`,
  `${pkg}/LICENSE_FONT`,
];

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
  const missing = shipped.find((f) => !existsSync(join(here, f)));
  return missing ? `${missing} is missing` : null;
}

const why = installed();
if (why) {
  console.log(`styles fonts: npm ci (${why})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
  const still = installed();
  if (still) {
    console.error(`styles fonts: after npm ci ${still}; the package no longer ships what styles/pom.xml copies`);
    process.exit(1);
  }
}
