// Launches Debian's Chromium headless through playwright-core (which downloads no browser) and
// watches a page for everything that counts as a failure in the viewer's tests.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.GRIDMAP_CHROMIUM || '/usr/bin/chromium';

// WebGL in headless Chromium without a GPU: ANGLE on SwiftShader (software Vulkan). Without
// --enable-unsafe-swiftshader Chromium falls back to it anyway but logs a deprecation warning.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-dev-shm-usage', '--hide-scrollbars', '--force-color-profile=srgb',
];

/** A fresh browser context (its own user-data-dir, removed on close). */
export async function launch({ width = 1280, height = 800, deviceScaleFactor = 1 } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package chromium (apt-get install chromium), or set GRIDMAP_CHROMIUM`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'gridmap-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width, height },
    deviceScaleFactor,
    timeout: 60_000,
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Attaches console, pageerror, requestfailed and response listeners; call before navigating.
 * Returns the list of problems, which grows as the page runs.
 */
export function watch(page, label) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText;
    // MapLibre cancels the requests of tiles that left the view before they arrived (a jump or a
    // flight across zooms): the browser reports them as ERR_ABORTED. That is the client's
    // choice, not a failure; anything else is.
    if (error === 'net::ERR_ABORTED' && /\/tiles\/cq\/\d+\/\d+\/\d+\.mvt$/.test(r.url())) {
      problems.cancelledTiles = (problems.cancelledTiles || 0) + 1;
      return;
    }
    problems.push(`${label}: request failed: ${r.method()} ${r.url()} (${error})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${label}: HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/**
 * Waits until the map has drawn everything it asked for: tiles loaded, symbols placed and faded
 * in, no camera movement. A repaint is requested and MapLibre's 'idle' event awaited: MapLibre
 * fires it at the end of a frame only when nothing is pending (placement included, which
 * map.loaded() does not cover). `handle` is the expression that names the map in the page.
 */
export async function idle(page, handle = 'window.gridmap.map', timeout = 45_000) {
  await page.waitForFunction((expr) => Boolean(eval(expr)), handle, { timeout, polling: 100 });
  await page.evaluate(
    ([expr, ms]) => new Promise((resolve, reject) => {
      const map = eval(expr);
      const timer = setTimeout(() => reject(new Error(`the map was not idle after ${ms} ms`)), ms);
      map.once('idle', () => { clearTimeout(timer); resolve(); });
      map.triggerRepaint();
    }),
    [handle, timeout],
  );
}
