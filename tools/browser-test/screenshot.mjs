// A PNG of the viewer, e.g. the README's picture of the full city:
//
//   node screenshot.mjs --base http://127.0.0.1:18080 --out ../../docs/images/viewer.png \
//        [--view 10/29.56/106.55] [--theme dark|default] [--size 1600x900] [--search 解放碑] [--colours 256]
//
// --colours N quantises the PNG to an N-colour palette (upng-js), about a quarter of the bytes.
// --view is the URL hash (zoom/lat/lon); without it the viewer fits the whole city. --search
// types into the search box and flies to the first result before the picture is taken.
import { readFileSync, writeFileSync } from 'node:fs';
import UPNG from 'upng-js';
import { launch, watch, idle } from './browser.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
if (!args.base || !args.out) {
  console.error('usage: node screenshot.mjs --base URL --out FILE.png [--view z/lat/lon] [--theme dark|default] [--size WxH] [--search TEXT]');
  process.exit(2);
}
const [width, height] = (args.size || '1600x900').split('x').map(Number);
const url = `${args.base}/viewer/?pulse=0&theme=${args.theme || 'dark'}${args.view ? `#${args.view}` : ''}`;

const { context, close } = await launch({ width, height });
try {
  const page = await context.newPage();
  const problems = watch(page, 'screenshot');
  await page.goto(url);
  await page.waitForFunction(() => window.gridmap && window.gridmap.map, null, { timeout: 60_000 });
  await page.evaluate(() => window.gridmap.ready);
  if (args.search) {
    await page.click('#search');
    await page.keyboard.type(args.search, { delay: 20 });
    await page.locator('#search-results li[data-code]').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.gridmap.lastFlight, null, { timeout: 20_000 });
    await page.locator('#search').blur();
  }
  await idle(page, 'window.gridmap.map', 120_000);
  await page.screenshot({ path: args.out });
  if (args.colours) {
    const png = UPNG.decode(readFileSync(args.out));
    writeFileSync(args.out, Buffer.from(UPNG.encode(UPNG.toRGBA8(png), png.width, png.height, Number(args.colours))));
  }
  console.log(`wrote ${args.out} (${width}x${height}${args.colours ? `, ${args.colours} colours` : ''}) of ${url}`);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
} finally {
  await close();
}
