// The track replay in headless Chromium (issue 13, point 7): a signed-in commander clicks a force,
// its popup offers 轨迹 (track), the viewer draws the force's last hours and a marker, and the time
// slider moves the marker from fix to fix.
//
//   node track-test.mjs config.json
//
// config.json (written by TrackReplayBrowserTest):
//   base    the server (with a store: positions were posted)
//   out     folder for the screenshot and report.json
//   token   a commander's JWT (no "Bearer ") whose scope covers the force
//   force   {id, coordinates: [[lon, lat], ...], times: [...]}: the force and its track as the
//           server answers it, oldest first
//
// Every check goes to out/report.json as {name, ok, detail, seconds}; exit code 0 when all pass.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watch } from './browser.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(config.out, { recursive: true });
const checks = [];
const started = Date.now();
function check(name, ok, detail = '') {
  const seconds = (Date.now() - started) / 1000;
  checks.push({ name, ok: Boolean(ok), detail: String(detail), seconds });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''} [${seconds.toFixed(1)} s]`);
}
const near = (a, b, eps) => Array.isArray(a) && Array.isArray(b) && Math.abs(a[0] - b[0]) < eps && Math.abs(a[1] - b[1]) < eps;

const { context, close } = await launch();
try {
  const page = await context.newPage();
  const problems = watch(page, 'track');
  const { id, coordinates } = config.force;
  const last = coordinates[coordinates.length - 1];
  await page.goto(`${config.base}/viewer/?pulse=0#17/${last[1]}/${last[0]}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.gridmap?.tracks, null, { timeout: 60_000 });
  await page.click('#signin-toggle');
  await page.fill('#token-input', config.token);
  await page.press('#token-input', 'Enter');
  await page.waitForFunction(() => !document.getElementById('who').hidden, null, { timeout: 15_000 });
  await page.waitForFunction(() => window.gridmap.map.areTilesLoaded() && window.gridmap.map.loaded(), null, { timeout: 60_000 });

  // the force where it is now, at the map's centre: its popup offers the track
  let button = null;
  for (let attempt = 0; attempt < 20 && !button; attempt++) {
    const box = await page.locator('#map canvas').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const b = page.locator(`.gm-feature[data-layer="forces"][data-id="${id}"] .gm-track-button`);
    if (await b.count()) button = b;
    else await page.waitForTimeout(500);
  }
  check('the popup of a force offers 轨迹 (track) to a signed-in commander', button !== null);
  if (button) {
    await button.click();
  } else {
    await page.evaluate((id) => window.gridmap.tracks.show(id), id);
  }
  await page.waitForFunction(() => window.gridmap.tracks.marker() !== null, null, { timeout: 15_000 });

  const slider = page.locator('#track-slider');
  check('the slider has one step per fix', Number(await slider.getAttribute('max')) === coordinates.length - 1,
    `max=${await slider.getAttribute('max')}, fixes=${coordinates.length}`);
  const first = await page.evaluate(() => window.gridmap.tracks.marker());
  check('the marker starts at the first fix', near(first, coordinates[0], 1e-9), JSON.stringify(first));

  // the line and the marker are drawn
  await page.waitForFunction(() => window.gridmap.map.loaded(), null, { timeout: 15_000 });
  const line = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['gm-track-line'] }).length);
  check('the track is drawn as a line', line > 0, `rendered line features: ${line}`);

  for (const i of [2, coordinates.length - 1, 1]) {
    await slider.fill(String(i));
    const at = await page.evaluate(() => window.gridmap.tracks.marker());
    check(`moving the slider to ${i} moves the marker to fix ${i}`, near(at, coordinates[i], 1e-9), JSON.stringify(at));
    await page.waitForFunction(() => window.gridmap.map.loaded(), null, { timeout: 15_000 });
    const drawn = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['gm-track-marker'] })
      .map((f) => f.geometry.coordinates));
    check(`the marker is drawn at fix ${i}`, drawn.length === 1 && near(drawn[0], coordinates[i], 1e-5), JSON.stringify(drawn));
    const shown = await page.locator('#track-time').textContent();
    const expected = new Date(config.force.times[i]).toLocaleString('zh-CN', { hour12: false });
    check(`the time beside the slider is fix ${i}'s`, shown === expected, `${shown} vs ${expected}`);
  }
  await page.screenshot({ path: join(config.out, 'track.png') });
  check('no console errors, page errors or failed requests', problems.length === 0, problems.join('; '));
} catch (e) {
  check('the script ran to the end', false, `threw: ${e.message.split('\n')[0]}`);
} finally {
  await close();
}
writeFileSync(join(config.out, 'report.json'), JSON.stringify({ seconds: (Date.now() - started) / 1000, checks }, null, 2));
const failed = checks.filter((c) => !c.ok);
process.exit(failed.length ? 1 : 0);
