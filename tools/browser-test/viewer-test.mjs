// The viewer's browser tests: headless Chromium against a running gridmap server.
//
//   node viewer-test.mjs config.json
//
// config.json (written by ViewerBrowserTest):
//   base      the server, e.g. http://127.0.0.1:41234
//   out       folder for screenshots and report.json
//   views     {"8": [lon, lat], "11": [...], "14": [...]} map centres per zoom
//   grid      {code, lon, lat}: a grid and its label point
//   village   {name, code, bbox}: a village with a name unique in the city
//   embedDoc  path of docs/embedding.md (its MapLibre snippet is served from a second port)
//
// Every check is recorded in out/report.json as {name, ok, detail}; console errors, page errors,
// failed requests and 4xx/5xx responses of every page are checks too. Exit code 0 when all pass.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watch, idle } from './browser.mjs';
import { serveSnippet, serveOpenLayersSnippet, extractSnippet } from './embed-server.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(config.out, { recursive: true });

// What the tiles promise at each zoom (tiler/README.md, "Source layers and zooms"), and the
// label layers that must be placed in the views the test looks at.
const PROMISED = {
  8: { layers: ['districts', 'streets', 'labels', 'events'], labels: ['labels-district', 'labels-street'] },
  11: {
    layers: ['districts', 'streets', 'villages', 'labels', 'key_sites', 'forces', 'events'],
    labels: ['labels-street', 'labels-village'],
  },
  14: {
    layers: ['districts', 'streets', 'villages', 'grids', 'labels', 'key_sites', 'forces', 'events'],
    labels: ['labels-village', 'labels-grid'],
  },
};

const checks = [];
const forceClicks = []; // {id, lon, lat, role} of each force clicked, for ViewerBrowserTest
const started = Date.now();
function check(name, ok, detail = '') {
  const seconds = (Date.now() - started) / 1000;
  checks.push({ name, ok: Boolean(ok), detail: String(detail), seconds });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''} [${seconds.toFixed(1)} s]`);
}
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, `threw: ${e.message.split('\n')[0]}`);
  }
}

await viewerChecks();
await serverGlyphChecks();
await embedChecks();
await openLayersChecks();

const failed = checks.filter((c) => !c.ok);
writeFileSync(join(config.out, 'report.json'), JSON.stringify({ seconds: (Date.now() - started) / 1000, checks, forceClicks }, null, 2));
console.log(`browser checks: ${checks.length - failed.length} of ${checks.length} ok`);
process.exit(failed.length ? 1 : 0);

/** The viewer itself: layers per zoom, labels, popup, search, switcher, theme. */
async function viewerChecks() {
  const { context, close } = await launch({ width: 1280, height: 800 });
  try {
    const page = await context.newPage();
    const problems = watch(page, 'viewer');
    const viewerUrl = `${config.base}/viewer/?pulse=0`;

    await step('viewer loads', async () => {
      await page.goto(viewerUrl, { waitUntil: 'load' });
      await page.waitForFunction(() => window.gridmap && window.gridmap.map, null, { timeout: 30_000 });
      await page.evaluate(() => window.gridmap.ready);
      await idle(page);
      const ui = await page.evaluate(() => ({
        groups: [...document.querySelectorAll('#groups input')].map((i) => i.name),
        boards: [...document.querySelectorAll('#boards input')].map((i) => i.name).filter((n) => n !== 'open-only'),
        legend: document.querySelectorAll('#legend li').length,
        tilejson: document.getElementById('tilejson-link').href,
        stats: document.querySelectorAll('#stats .gm-stat').length,
      }));
      check('viewer loads', true, `${Date.now() - started} ms`);
      check('layer switcher has every level and point layer',
        ['districts', 'streets', 'villages', 'grids', 'key_sites', 'forces', 'events'].every((g) => ui.groups.includes(g)), ui.groups.join(','));
      check('layer switcher has the four boards', ui.boards.length === 4, ui.boards.join(','));
      check('legend is drawn', ui.legend >= 20, `${ui.legend} entries`);
      check('TileJSON link', ui.tilejson === `${config.base}/tiles/cq.json`, ui.tilejson);
      check('figures from /health', ui.stats === 7, `${ui.stats} figures`);
      // the viewer's own text on a machine without a CJK font (as this one): the server's Noto
      // Sans SC through viewer.css's @font-face, or boxes instead of 重庆
      const font = await page.evaluate(async () => {
        const spec = '17px "gridmap Noto Sans SC"';
        const faces = await document.fonts.load(spec, '重庆网格');
        return { faces: faces.length, covers: document.fonts.check(spec, '重庆网格') };
      });
      check('viewer text has a CJK font (@font-face from /viewer/fonts/)', font.faces > 0 && font.covers, JSON.stringify(font));
      // the map's labels: MapLibre draws ideographs on a canvas with a CSS family, and a family
      // this machine lacks draws tofu (every ideograph the same box) without an error. Ask
      // MapLibre's own glyph manager for two ideographs in each of the style's fontstacks, as
      // it draws them for a label: they must be inked and differ.
      const labels = await page.evaluate(async () => {
        const map = window.gridmap.map;
        const stacks = [...new Set(map.getStyle().layers.map((l) => l.layout?.['text-font']).filter(Array.isArray).map((f) => f.join(',')))];
        const asked = Object.fromEntries(stacks.map((s) => [s, { default: ['重', '庆'] }]));
        const got = await map.style.glyphManager.getGlyphs(asked);
        const result = { ideographs: window.gridmap.ideographs, stacks: {} };
        for (const s of stacks) {
          const [a, b] = ['重', '庆'].map((c) => got[s]?.default?.[c]?.bitmap?.data);
          result.stacks[s] = {
            drawn: Boolean(a && b),
            inked: Boolean(a && a.some((v) => v > 200) && b.some((v) => v > 200)),
            distinct: Boolean(a && b && (a.length !== b.length || a.some((v, i) => v !== b[i]))),
          };
        }
        return result;
      });
      const stackResults = Object.values(labels.stacks);
      check('map labels draw real ideographs, not boxes, in every fontstack of the style',
        labels.ideographs === 'browser' && stackResults.length >= 2 && stackResults.every((r) => r.drawn && r.inked && r.distinct),
        JSON.stringify(labels));
    });

    for (const z of [8, 11, 14]) {
      await step(`z${z}: rendered layers`, async () => {
        const [lon, lat] = config.views[z];
        await page.evaluate(([c, zoom]) => window.gridmap.map.jumpTo({ center: c, zoom }), [[lon, lat], z]);
        await idle(page);
        const found = await page.evaluate(() => {
          const features = window.gridmap.map.queryRenderedFeatures();
          const bySource = {};
          const byLayer = {};
          for (const f of features) {
            if (f.source !== 'cq') continue;
            bySource[f.sourceLayer] = (bySource[f.sourceLayer] || 0) + 1;
            byLayer[f.layer.id] = (byLayer[f.layer.id] || 0) + 1;
          }
          return { bySource, byLayer, zoom: window.gridmap.map.getZoom() };
        });
        const promised = PROMISED[z];
        const missing = promised.layers.filter((l) => !found.bySource[l]);
        check(`z${z}: queryRenderedFeatures returns every layer the zoom table promises`, missing.length === 0,
          missing.length ? `missing ${missing.join(', ')}; found ${JSON.stringify(found.bySource)}` : JSON.stringify(found.bySource));
        const unplaced = promised.labels.filter((l) => !found.byLayer[l]);
        check(`z${z}: labels are placed`, unplaced.length === 0,
          unplaced.length ? `no features in ${unplaced.join(', ')}` : promised.labels.map((l) => `${l}=${found.byLayer[l]}`).join(' '));
        await page.screenshot({ path: join(config.out, `viewer-z${z}.png`) });
      });
    }

    await step('click on a force resolves to that force', async () => {
      // Forces drawn at z14 with no other point within 16 px, so a click hits one alone. The id
      // the page saw (MapLibre's feature.id, a JavaScript number) must be the one the popup shows
      // and links, and the item at that id must be the force drawn there. 17-digit ids reached
      // the page rounded to a multiple of 8, naming another force or none; a few forces are
      // clicked, since a multiple of 8 came through whole. The map is still at the z14 view.
      const [lon, lat] = config.views[14];
      await page.evaluate(([c]) => window.gridmap.map.jumpTo({ center: c, zoom: 14 }), [[lon, lat]]);
      await idle(page);
      const targets = await page.evaluate(() => {
        const map = window.gridmap.map;
        const canvas = map.getCanvas().getBoundingClientRect();
        const points = map.queryRenderedFeatures()
          .filter((f) => f.source === 'cq' && ['forces', 'key_sites', 'events'].includes(f.sourceLayer))
          .map((f) => {
            const [x, y] = f.geometry.coordinates;
            const p = map.project([x, y]);
            return {
              layer: f.sourceLayer, tileId: String(f.id), lon: x, lat: y, x: canvas.left + p.x, y: canvas.top + p.y,
              role: f.properties.role, onDuty: f.properties.on_duty, count: f.properties.count,
            };
          });
        const clear = (t) => points.every((o) => o === t || Math.hypot(o.x - t.x, o.y - t.y) > 16);
        const onMap = (t) => document.elementFromPoint(t.x, t.y) === map.getCanvas();
        return points.filter((t) => t.layer === 'forces' && !t.count && clear(t) && onMap(t)).slice(0, 5);
      });
      check('z14 draws forces that a click can hit alone', targets.length >= 3, `${targets.length} isolated forces`);
      const clicks = [];
      for (const t of targets) {
        // close the last popup first: it may cover the next force
        await page.evaluate(() => document.querySelector('.gm-popup .maplibregl-popup-close-button')?.click());
        await page.mouse.click(t.x, t.y);
        const entry = page.locator('.gm-popup .gm-feature[data-layer="forces"]');
        await entry.first().waitFor({ timeout: 10_000 });
        const seen = await entry.evaluateAll((els) => els.map((e) => ({ id: e.dataset.id, href: e.querySelector('.gm-item-link')?.href })));
        check(`the popup of the force at ${t.lon.toFixed(5)},${t.lat.toFixed(5)} shows the id MapLibre read from the tile`,
          seen.length === 1 && seen[0].id === t.tileId && seen[0].href?.endsWith(`/collections/forces/items/${t.tileId}`),
          `tile id ${t.tileId}; popup ${JSON.stringify(seen)}`);
        // the item at the id the page saw (the tile's, as MapLibre holds it in a JavaScript number)
        const id = t.tileId;
        const item = await page.evaluate(async (href) => {
          const res = await fetch(href);
          return { status: res.status, body: res.ok ? await res.json() : await res.text() };
        }, new URL(`/collections/forces/items/${id}`, config.base).href);
        const f = item?.status === 200 ? item.body : null;
        const [ilon, ilat] = f?.geometry?.coordinates ?? [NaN, NaN];
        const metres = Math.hypot((ilon - t.lon) * 111_320 * Math.cos((t.lat * Math.PI) / 180), (ilat - t.lat) * 110_574);
        const same = f !== null && String(f.id) === id && f.properties.role === t.role
          && f.properties.on_duty === t.onDuty && metres < 3;
        check(`the force clicked at ${t.lon.toFixed(5)},${t.lat.toFixed(5)} is the item at the id the page saw`, same,
          `id ${id}: item ${item.status} id ${f?.id} role ${f?.properties?.role} `
          + `(drawn ${t.role}), ${metres.toFixed(2)} m from the drawn point`);
        clicks.push({ id, popupId: seen[0]?.id ?? null, lon: t.lon, lat: t.lat, role: t.role });
      }
      forceClicks.push(...clicks);
      await page.screenshot({ path: join(config.out, 'viewer-force-click.png') });
      await page.evaluate(() => document.querySelector('.gm-popup .maplibregl-popup-close-button')?.click());
    });

    await step('click on a grid shows its code', async () => {
      const g = config.grid;
      await page.evaluate(([c]) => window.gridmap.map.jumpTo({ center: c, zoom: 15 }), [[g.lon, g.lat]]);
      await idle(page);
      const pt = await page.evaluate(([c]) => {
        const p = window.gridmap.map.project(c);
        const r = window.gridmap.map.getContainer().getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y };
      }, [[g.lon, g.lat]]);
      await page.mouse.click(pt.x, pt.y);
      const popup = page.locator('.gm-popup .gm-feature[data-layer="grids"]');
      await popup.first().waitFor({ timeout: 10_000 });
      const text = await popup.first().innerText();
      check('click on a grid\'s label point shows that grid\'s code in the popup', text.includes(g.code), text.replace(/\s+/g, ' '));
      await page.screenshot({ path: join(config.out, 'viewer-click.png') });
      await page.keyboard.press('Escape');
    });

    await step('search finds a village by name and flies to it', async () => {
      const v = config.village;
      await page.evaluate(() => window.gridmap.map.jumpTo({ center: [106.3, 29.5], zoom: 8 }));
      await page.click('#search');
      await page.keyboard.type(v.name, { delay: 20 });
      const item = page.locator(`#search-results li[data-code="${v.code}"]`);
      await item.waitFor({ timeout: 10_000 });
      check('search lists the village by name', true, (await item.innerText()).replace(/\s+/g, ' '));
      await item.click();
      await page.waitForFunction((code) => window.gridmap.lastFlight?.code === code, v.code, { timeout: 15_000 });
      await idle(page);
      const at = await page.evaluate((code) => {
        const map = window.gridmap.map;
        const c = map.getCenter();
        const p = map.project(c);
        const hits = map.queryRenderedFeatures(p, { layers: ['villages-fill'] }).map((f) => f.properties.code);
        const outline = map.queryRenderedFeatures({ layers: ['gm-selected-line'] }).length;
        return { lon: c.lng, lat: c.lat, zoom: map.getZoom(), hits, outline, code };
      }, v.code);
      const [w, s, e, n] = v.bbox;
      const inside = at.lon >= w && at.lon <= e && at.lat >= s && at.lat <= n;
      check('search flies to the village', inside && at.zoom >= 11 && at.hits.includes(v.code),
        `centre ${at.lon.toFixed(5)},${at.lat.toFixed(5)} z${at.zoom.toFixed(1)} in bbox ${inside}; villages-fill at centre: ${at.hits.join(',')}`);
      check('the found village is outlined', at.outline > 0, `${at.outline} outline features`);
      await page.screenshot({ path: join(config.out, 'viewer-search.png') });
    });

    await step('layer switcher hides a level', async () => {
      await page.uncheck('#groups input[name="grids"]');
      await idle(page);
      const n = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['grids-line', 'grids-fill', 'labels-grid'] }).length);
      const vis = await page.evaluate(() => window.gridmap.map.getLayoutProperty('grids-line', 'visibility'));
      check('unticking grids hides the grid layers', n === 0 && vis === 'none', `${n} grid features, visibility ${vis}`);
      await page.check('#groups input[name="grids"]');
      await page.uncheck('#boards input[name="economy"]');
      const v2 = await page.evaluate(() => window.gridmap.map.getLayoutProperty('events-economy', 'visibility'));
      check('unticking a board hides its events', v2 === 'none', `events-economy visibility ${v2}`);
      await page.check('#boards input[name="economy"]');
      const closedShown = () => page.evaluate(() => window.gridmap.map.queryRenderedFeatures()
        .filter((f) => f.sourceLayer === 'events' && f.properties.status === 'closed').length);
      await idle(page);
      const hidden = await closedShown();
      await page.uncheck('#boards input[name="open-only"]');
      await idle(page);
      const shown = await closedShown();
      check('closed events are hidden until "open only" is unticked', hidden === 0 && shown > 0, `closed events drawn: ${hidden} then ${shown}`);
      await page.check('#boards input[name="open-only"]');
    });

    await step('theme toggle', async () => {
      await page.click('#theme-toggle');
      await page.waitForFunction(() => window.gridmap.state.theme === 'default' && document.body.classList.contains('theme-light'));
      await page.waitForFunction(() => window.gridmap.map.getStyle()?.metadata?.['gridmap:theme'] === 'default', null, { timeout: 15_000 });
      await idle(page);
      check('the toggle switches to the light style', true);
      await page.screenshot({ path: join(config.out, 'viewer-light.png') });
    });

    check('viewer: no console error, page error, failed request or 4xx/5xx response', problems.length === 0,
      problems.join(' | ') || `none (${problems.cancelledTiles || 0} tile requests cancelled by MapLibre as the view moved)`);
  } finally {
    await close();
  }
}

/**
 * Chinese labels from the server's own glyphs (?glyphs=server), as a machine without any CJK font
 * shows them: the glyph ranges of the district names come back well over 1 KB (an empty range is
 * 54 bytes) and the district labels are placed.
 */
async function serverGlyphChecks() {
  const { context, close } = await launch({ width: 1024, height: 700 });
  try {
    const page = await context.newPage();
    const problems = watch(page, 'server glyphs');
    const ranges = [];
    page.on('response', async (r) => {
      const m = /\/fonts\/[^/]+\/(\d+)-(\d+)\.pbf$/.exec(new URL(r.url()).pathname);
      if (m && Number(m[1]) >= 0x4e00 && Number(m[2]) <= 0x9fff) {
        ranges.push({ start: Number(m[1]), status: r.status(), bytes: (await r.body()).length });
      }
    });
    await step('server glyphs: CJK ranges and district labels', async () => {
      const [lon, lat] = config.views[8];
      await page.goto(`${config.base}/viewer/?pulse=0&glyphs=server#8/${lat}/${lon}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.gridmap && window.gridmap.map, null, { timeout: 30_000 });
      await page.evaluate(() => window.gridmap.ready);
      await idle(page);
      const placed = await page.evaluate(
        () => window.gridmap.map.queryRenderedFeatures({ layers: ['labels-district'] }).length);
      const small = ranges.filter((r) => r.status !== 200 || r.bytes <= 1024);
      check('server glyphs: the CJK glyph ranges of the labels come from the server, each well over 1 KB',
        ranges.length > 0 && small.length === 0,
        `${ranges.length} ranges: ${ranges.map((r) => `${r.start}=${r.bytes} B`).join(', ')}`);
      check('server glyphs: district labels are placed', placed > 0, `${placed} district labels`);
      await page.screenshot({ path: join(config.out, 'viewer-server-glyphs.png') });
    });
    check('server glyphs: no console error, page error, failed request or 4xx/5xx response',
      problems.length === 0, problems.join(' | ') || 'none');
  } finally {
    await close();
  }
}

/**
 * The MapLibre snippet of docs/embedding.md, served from a second port. A fresh browser (its
 * own HTTP cache): see the note on CORS and caching in tools/browser-test/README.md.
 */
async function embedChecks() {
  const { context, close } = await launch({ width: 1024, height: 700 });
  try {
    await step('embedding snippet from another origin', async () => {
      const snippet = extractSnippet(readFileSync(config.embedDoc, 'utf8'), 'maplibre');
      const server = await serveSnippet(snippet, config.base);
      try {
        const embed = await context.newPage();
        const embedProblems = watch(embed, 'embed');
        let corsTiles = 0;
        embed.on('response', (r) => {
          if (r.url().startsWith(`${config.base}/tiles/cq/`) && r.status() === 200 && r.headers()['access-control-allow-origin']) corsTiles++;
        });
        await embed.goto(server.url);
        check('embedding page is served from another origin', new URL(server.url).origin !== new URL(config.base).origin, `${server.url} vs ${config.base}`);
        await embed.waitForFunction(() => window.map && window.map.getLayer('grids-line'), null, { timeout: 30_000 });
        await embed.evaluate(() => window.map.jumpTo({ center: [106.57, 29.555], zoom: 14 }));
        await idle(embed, 'window.map');
        const found = await embed.evaluate(() => {
          const bySource = {};
          for (const f of window.map.queryRenderedFeatures()) {
            if (f.source !== 'gridmap') continue;
            bySource[f.sourceLayer] = (bySource[f.sourceLayer] || 0) + 1;
          }
          return bySource;
        });
        const want = PROMISED[14].layers;
        const missing = want.filter((l) => !found[l]);
        check('the MapLibre embedding snippet loads our layers cross-origin', missing.length === 0 && corsTiles > 0,
          `missing: ${missing.join(',') || 'none'}; ${corsTiles} tiles with CORS headers; ${JSON.stringify(found)}`);
        await embed.screenshot({ path: join(config.out, 'embed-maplibre.png') });
        check('embedding page: no console error, page error, failed request or 4xx/5xx response', embedProblems.length === 0, embedProblems.join(' | '));
        await embed.close();
      } finally {
        await server.close();
      }
    });
  } finally {
    await close();
  }
}


/** The OpenLayers snippet of docs/embedding.md, bundled as an application would, on a second port. */
async function openLayersChecks() {
  const { context, close } = await launch({ width: 1024, height: 700 });
  try {
    await step('OpenLayers embedding snippet', async () => {
      const js = extractSnippet(readFileSync(config.embedDoc, 'utf8'), 'openlayers');
      const server = await serveOpenLayersSnippet(js, config.base);
      try {
        const page = await context.newPage();
        const problems = watch(page, 'openlayers');
        await page.goto(server.url);
        await page.waitForFunction(() => window.map && window.map.getLayers().getLength() > 0, null, { timeout: 30_000 });
        const found = await page.evaluate(async ([lon, lat]) => {
          const map = window.map;
          const layer = map.getLayers().item(map.getLayers().getLength() - 1);
          // wait for applyStyle to give the layer its source, then for a complete render at z14
          for (let i = 0; i < 300 && !layer.getSource(); i++) await new Promise((r) => setTimeout(r, 100));
          const x = (lon * Math.PI / 180) * 6378137;
          const y = Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI / 180) / 2)) * 6378137;
          await new Promise((r) => {
            map.once('rendercomplete', r);
            map.getView().setCenter([x, y]);
            map.getView().setZoom(14);
          });
          const byLayer = {};
          const extent = map.getView().calculateExtent(map.getSize());
          for (const f of layer.getFeaturesInExtent(extent)) {
            const name = f.get('mvt:layer') ?? f.get('layer'); // ol-mapbox-style names it mvt:layer
            byLayer[name] = (byLayer[name] || 0) + 1;
          }
          return { byLayer, styled: Boolean(layer.getStyle()) };
        }, [106.57, 29.555]);
        const missing = PROMISED[14].layers.filter((l) => !found.byLayer[l]);
        check('the OpenLayers (ol-mapbox-style) snippet loads and styles our layers cross-origin',
          missing.length === 0 && found.styled,
          `missing: ${missing.join(',') || 'none'}; styled ${found.styled}; ${JSON.stringify(found.byLayer)}`);
        await page.screenshot({ path: join(config.out, 'embed-openlayers.png') });
        check('OpenLayers page: no console error, page error, failed request or 4xx/5xx response', problems.length === 0, problems.join(' | '));
        await page.close();
      } finally {
        await server.close();
      }
    });
  } finally {
    await close();
  }
}
