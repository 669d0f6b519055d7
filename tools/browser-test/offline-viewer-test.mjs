// The viewer's offline mode in headless Chromium: /viewer/?pmtiles=URL draws the map from a
// PMTiles package (`mapserver export-tiles`) through the pmtiles protocol, and asks the map server
// for no tile.
//
//   node offline-viewer-test.mjs config.json
//
// config.json (written by OfflineViewerBrowserTest):
//   base      the map server, e.g. http://127.0.0.1:41234
//   out       folder for the screenshot and report.json
//   file      the .pmtiles package, served here from a second origin with HTTP Range requests
//   view      [lon, lat] a z14 view inside the package's area
//
// Every check is recorded in out/report.json as {name, ok, detail}. Exit code 0 when all pass.
import { createServer } from 'node:http';
import { open, stat } from 'node:fs/promises';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watch, idle } from './browser.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(config.out, { recursive: true });
const checks = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: String(detail) });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''}`);
}

/** Serves one file with Range requests and CORS, as a static server or a bucket would. */
async function serveRanges(path) {
  const size = (await stat(path)).size;
  const ranges = [];
  const server = createServer(async (req, res) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Range, If-Match',
      'Access-Control-Expose-Headers': 'Content-Range, Content-Length, ETag',
    };
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    const from = m ? Number(m[1]) : 0;
    const to = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    ranges.push([from, to]);
    const buf = Buffer.alloc(to - from + 1);
    const fh = await open(path, 'r');
    try { await fh.read(buf, 0, buf.length, from); } finally { await fh.close(); }
    res.writeHead(m ? 206 : 200, {
      ...cors,
      'Content-Type': 'application/vnd.pmtiles',
      'Content-Length': buf.length,
      ...(m ? { 'Content-Range': `bytes ${from}-${to}/${size}` } : {}),
    });
    res.end(buf);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const close = () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); });
  return { url: `http://127.0.0.1:${server.address().port}/city.pmtiles`, ranges, size, close };
}

const files = await serveRanges(config.file);
const { context, close } = await launch({ width: 1024, height: 768 });
try {
  const page = await context.newPage();
  const problems = watch(page, 'offline viewer');
  const serverTiles = [];
  page.on('request', (r) => { if (/\/tiles\/cq\/\d+\/\d+\/\d+\.mvt/.test(r.url())) serverTiles.push(r.url()); });
  const [lon, lat] = config.view;
  const url = `${config.base}/viewer/?pulse=0&pmtiles=${encodeURIComponent(files.url)}#14/${lat}/${lon}`;
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.gridmap && window.gridmap.map, null, { timeout: 30_000 });
    await page.evaluate(() => window.gridmap.ready);
    await idle(page);
    const seen = await page.evaluate(() => {
      const map = window.gridmap.map;
      const bySource = {};
      for (const f of map.queryRenderedFeatures()) {
        if (f.source === 'cq') bySource[f.sourceLayer] = (bySource[f.sourceLayer] || 0) + 1;
      }
      return {
        header: window.gridmap.pmtiles?.header,
        sourceUrl: map.getStyle().sources.cq?.url,
        zoom: map.getZoom(),
        bySource,
      };
    });
    check('the viewer read the package header with the pmtiles library',
      seen.header?.tileType === 1 && seen.header?.clustered === true && seen.header?.maxZoom === 14,
      JSON.stringify(seen.header && { tileType: seen.header.tileType, clustered: seen.header.clustered, maxZoom: seen.header.maxZoom }));
    check('the map source is the package through pmtiles://', seen.sourceUrl === `pmtiles://${files.url}`, seen.sourceUrl);
    const missing = ['districts', 'streets', 'villages', 'grids', 'labels'].filter((l) => !seen.bySource[l]);
    check('z14 draws the admin layers from the package', missing.length === 0,
      missing.length ? `missing ${missing.join(', ')}; found ${JSON.stringify(seen.bySource)}` : JSON.stringify(seen.bySource));
    check('the package was read in byte ranges, not whole',
      files.ranges.length >= 2 && files.ranges.every(([a, b]) => b - a + 1 < files.size),
      `${files.ranges.length} ranges of a ${files.size}-byte file`);
    check('the map server was asked for no tile', serverTiles.length === 0, serverTiles.slice(0, 3).join(' '));
    await page.screenshot({ path: join(config.out, 'offline-viewer-z14.png') });
  } catch (e) {
    check('the offline viewer loads', false, `threw: ${e.message.split('\n')[0]}`);
  }
  check('no console errors, page errors or failed requests', problems.length === 0, problems.join('; '));
} finally {
  await close();
  await files.close();
}
const failed = checks.filter((c) => !c.ok);
writeFileSync(join(config.out, 'report.json'), JSON.stringify({ checks }, null, 2));
console.log(`offline viewer checks: ${checks.length - failed.length} of ${checks.length} ok`);
process.exit(failed.length ? 1 : 0);
