// Editing grids in headless Chromium (issue 13, point 8): a planner signs in, opens 编辑网格 (Edit
// grids), clicks a grid, draws a split line across it with mouse clicks on the map's canvas, sees
// the dry run's two grids, confirms, and the map's tiles show the new grids; then a line that cuts
// off a sliver of another grid is refused by the dry run: its violations listed and drawn in red,
// no Confirm, nothing written.
//
//   node planner-test.mjs config.json
//
// config.json (written by PlannerBrowserTest):
//   base    the server (with a store: the split is written for real)
//   out     folder for screenshots and report.json
//   token   a planner's JWT (no "Bearer ") whose scope covers both grids
//   split   {code, etag, pick: [lon, lat] inside the grid, line: [[lon, lat], ...] across it}
//   sliver  the same for a line that cuts off a corner of a few square metres
//
// Every check goes to out/report.json as {name, ok, detail, seconds}, with `result` (the codes of
// the confirmed split's grids) for the Java test's checks over HTTP; exit code 0 when all pass.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, watch, idle } from './browser.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(config.out, { recursive: true });
const checks = [];
const started = Date.now();
let result = null;
function check(name, ok, detail = '') {
  const seconds = (Date.now() - started) / 1000;
  checks.push({ name, ok: Boolean(ok), detail: String(detail), seconds });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''} [${seconds.toFixed(1)} s]`);
}

const { context, close } = await launch();
try {
  const page = await context.newPage();
  const problems = watch(page, 'planner');
  const splits = []; // the split requests the page sent: {url, body}
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/edits\/grids\/\d+\/split/.test(r.url())) {
      let body = null;
      try { body = JSON.parse(r.postData() || 'null'); } catch { body = r.postData(); }
      splits.push({ url: r.url(), body, auth: r.headers().authorization || '' });
    }
  });
  const [lon, lat] = config.split.pick;
  await page.goto(`${config.base}/viewer/?pulse=0#16/${lat}/${lon}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.gridmap?.planner, null, { timeout: 60_000 });
  const toggle = page.locator('#plan-toggle');
  check('the public is not offered 编辑网格 (Edit grids)', await toggle.isHidden());
  await page.click('#signin-toggle');
  await page.fill('#token-input', config.token);
  await page.press('#token-input', 'Enter');
  await page.waitForFunction(() => !document.getElementById('who').hidden, null, { timeout: 15_000 });
  await page.waitForFunction(() => !document.getElementById('plan-toggle').hidden, null, { timeout: 5_000 }).catch(() => {});
  check('a signed-in planner is offered 编辑网格 (Edit grids)', await toggle.isVisible());
  await toggle.click();
  check('the tool opens its panel', await page.locator('#plan-panel').isVisible()
    && await page.evaluate(() => window.gridmap.planner.mode()) === 'select');

  /** Shows the line (and the pick point) with room around, waits until everything is drawn. */
  async function frame(points) {
    await page.evaluate((pts) => {
      const lons = pts.map((p) => p[0]);
      const lats = pts.map((p) => p[1]);
      window.gridmap.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
        { padding: 120, maxZoom: 18, animate: false });
    }, points);
    await idle(page);
  }
  /** Page pixels of a lon/lat on the map's canvas. */
  async function pixel(c) {
    const box = await page.locator('#map canvas').boundingBox();
    const p = await page.evaluate((ll) => window.gridmap.map.project(ll), c);
    return [box.x + p.x, box.y + p.y];
  }
  async function clickAt(c) {
    const [x, y] = await pixel(c);
    await page.mouse.click(x, y);
  }
  async function select(grid, etag = grid.etag) {
    await frame([...grid.line, grid.pick]);
    await clickAt(grid.pick);
    await page.waitForFunction((code) => window.gridmap.planner.selected()?.code === code && window.gridmap.planner.mode() === 'selected',
      grid.code, { timeout: 15_000 }).catch(() => {});
    const sel = await page.evaluate(() => window.gridmap.planner.selected());
    check(`a click on grid ${grid.code} selects it`, sel?.code === grid.code, JSON.stringify(sel?.code));
    if (etag) check(`the selection holds grid ${grid.code}'s ETag as the server gives it`, sel?.etag === etag, `${sel?.etag} vs ${etag}`);
    await idle(page);
    const drawn = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['gm-plan-grid-line'] }).length);
    check(`grid ${grid.code} is highlighted`, drawn > 0, `rendered outline features: ${drawn}`);
  }
  /** Clicks Split, then the line's points; the last one with a double-click, or then Finish. */
  async function drawLine(line, end) {
    await page.click('#plan-split');
    for (const c of line.slice(0, -1)) await clickAt(c);
    const [x, y] = await pixel(line[line.length - 1]);
    if (end === 'dblclick') {
      await page.mouse.dblclick(x, y);
    } else {
      await page.mouse.click(x, y);
      await page.click('#plan-finish');
    }
    await page.waitForFunction(() => ['preview', 'refused'].includes(window.gridmap.planner.mode()), null, { timeout: 20_000 })
      .catch(() => {});
  }

  // ---- a split that the dry run accepts, confirmed ----
  const G = config.split;
  try {
  await select(G);
  const zoomBefore = await page.evaluate(() => window.gridmap.map.getZoom());

  // Escape drops a line being drawn, and the grid stays selected
  await page.click('#plan-split');
  await clickAt(G.line[0]);
  await clickAt(G.line[1]);
  const drawing = await page.evaluate(() => window.gridmap.planner.line().length);
  await idle(page);
  const drawnLine = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['gm-plan-line-line'] }).length);
  check('the line is drawn as the planner clicks', drawing === 2 && drawnLine > 0, `points=${drawing}, rendered=${drawnLine}`);
  await page.keyboard.press('Escape');
  const afterEscape = await page.evaluate(() => ({ mode: window.gridmap.planner.mode(), points: window.gridmap.planner.line().length }));
  check('Escape cancels the line and keeps the grid selected', afterEscape.mode === 'selected' && afterEscape.points === 0,
    JSON.stringify(afterEscape));

  await drawLine(G.line, 'dblclick');
  const zoomAfter = await page.evaluate(() => window.gridmap.map.getZoom());
  check('the double-click that ends the line does not zoom the map', Math.abs(zoomAfter - zoomBefore) < 1e-6, `${zoomBefore} -> ${zoomAfter}`);
  const dry = splits[splits.length - 1];
  check('the dry run is POST /edits/grids/{code}/split?dryRun=true with the token',
    dry && new URL(dry.url).pathname.endsWith(`/edits/grids/${G.code}/split`) && new URL(dry.url).searchParams.get('dryRun') === 'true'
      && dry.auth === `Bearer ${config.token}`, dry?.url);
  const sent = dry?.body?.line?.coordinates || [];
  const nearEnough = sent.length === G.line.length
    && sent.every((c, i) => Math.abs(c[0] - G.line[i][0]) < 2e-5 && Math.abs(c[1] - G.line[i][1]) < 2e-5);
  check('it sends the drawn line (one point per click) and the grid\'s ETag',
    dry?.body?.line?.type === 'LineString' && nearEnough && dry?.body?.etag === G.etag, JSON.stringify(dry?.body));
  const mode = await page.evaluate(() => window.gridmap.planner.mode());
  const panelText = await page.locator('#plan-panel').innerText();
  check('the dry run is accepted and previewed', mode === 'preview', `${mode}: ${panelText.replace(/\s+/g, ' ')}`);
  const preview = await page.evaluate(() => window.gridmap.planner.preview());
  const codes = (preview?.features || []).map((f) => String(f.properties.code));
  check('the preview holds two grids with new codes', codes.length === 2 && new Set(codes).size === 2 && !codes.includes(G.code)
    && codes.every((c) => /^\d{15}$/.test(c)), JSON.stringify(codes));
  check('the panel says "Split grid X into Y and Z"', panelText.includes(`Split grid ${G.code} into ${codes.join(' and ')}`), panelText.replace(/\s+/g, ' '));
  await idle(page);
  const shown = await page.evaluate(() => [...new Set(window.gridmap.map.queryRenderedFeatures({ layers: ['gm-plan-preview-fill'] })
    .map((f) => String(f.properties.code)))]);
  check('both resulting grids are drawn on the map', shown.length === 2 && codes.every((c) => shown.includes(c)), JSON.stringify(shown));
  const labels = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['gm-plan-preview-label'] }).length);
  check('the new codes are drawn as labels', labels >= 2, `rendered labels: ${labels}`);
  check('Confirm is offered', await page.locator('#plan-confirm').isVisible());
  await page.screenshot({ path: join(config.out, 'preview.png') });

  const before = splits.length;
  if (await page.locator('#plan-confirm').isVisible()) await page.click('#plan-confirm');
  await page.waitForFunction(() => window.gridmap.planner.result() !== null || window.gridmap.planner.mode() === 'refused',
    null, { timeout: 20_000 }).catch(() => {});
  const confirmReq = splits[before];
  check('Confirm sends the same split without dryRun', confirmReq && !new URL(confirmReq.url).searchParams.has('dryRun')
    && JSON.stringify(confirmReq.body) === JSON.stringify(dry?.body), confirmReq?.url);
  result = await page.evaluate(() => window.gridmap.planner.result());
  const done = await page.locator('#plan-msg').innerText();
  check('the split is written and the panel says so with the new codes', result?.codes?.length === 2
    && result.codes.every((c) => done.includes(c)) && done.includes(G.code), done);
  // the map's tiles are read again: the new grids are in them, the old one is not
  let tileCodes = [];
  for (let i = 0; i < 40; i++) {
    await idle(page);
    tileCodes = await page.evaluate(() => [...new Set(window.gridmap.map.querySourceFeatures('cq', { sourceLayer: 'grids' })
      .map((f) => String(f.properties.code ?? f.id)))]);
    if (result && result.codes.every((c) => tileCodes.includes(c)) && !tileCodes.includes(G.code)) break;
    await page.waitForTimeout(250);
  }
  check('the map\'s grid tiles refresh: the new grids are drawn, the old one is gone',
    result && result.codes.every((c) => tileCodes.includes(c)) && !tileCodes.includes(G.code),
    `new ${JSON.stringify(result?.codes)}, old ${G.code}, in tiles: ${tileCodes.length} grids${tileCodes.includes(G.code) ? ' incl. the old' : ''}`);
  await page.screenshot({ path: join(config.out, 'split.png') });
  } catch (e) {
    check('the split case ran to its end', false, `threw: ${e.message.split('\n')[0]}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  }

  // ---- a split that cuts off a sliver: refused by the dry run ----
  const H = config.sliver;
  // whatever the first case left (a preview it could not confirm), Escape steps back to selecting
  for (let i = 0; i < 3 && await page.evaluate(() => ['preview', 'check', 'write', 'draw'].includes(window.gridmap.planner.mode())); i++) {
    await page.keyboard.press('Escape');
  }
  await select(H);
  const sentBefore = splits.length;
  await drawLine(H.line, 'finish');
  const refusedMode = await page.evaluate(() => window.gridmap.planner.mode());
  const violations = await page.evaluate(() => window.gridmap.planner.violations());
  const text = (await page.locator('#plan-panel').innerText()).replace(/\s+/g, ' ');
  check(`a line that cuts off ${H.sliverSquareMetres.toFixed(1)} m² is refused by the dry run with violations`,
    refusedMode === 'refused' && violations.length > 0, `${refusedMode}: ${text}`);
  const items = await page.locator('#plan-violations li').allInnerTexts();
  check('every violation is listed in the panel with its rule and detail', items.length === violations.length && items.length > 0
    && violations.every((v, i) => items[i].includes(v.rule) && items[i].includes(v.detail ?? '')), JSON.stringify(items));
  await idle(page);
  const red = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures(
    { layers: ['gm-plan-violations-fill', 'gm-plan-violations-line', 'gm-plan-violations-point'] }).length);
  check('the violations are drawn in red on the map', red > 0 && violations.some((v) => v.geometry), `rendered: ${red}`);
  check('no Confirm is offered for a refused split', await page.locator('#plan-confirm').isHidden());
  check('only the dry run was sent', splits.length === sentBefore + 1
    && new URL(splits[splits.length - 1].url).searchParams.get('dryRun') === 'true', splits.slice(sentBefore).map((s) => s.url).join(', '));
  const etagNow = await page.evaluate(async (code) => (await fetch(`../collections/grids/items/${code}`, { cache: 'no-store' })).headers.get('ETag'), H.code);
  check('nothing was written: the grid\'s ETag is unchanged', etagNow === H.etag, `${etagNow} vs ${H.etag}`);
  await page.screenshot({ path: join(config.out, 'refused.png') });
  await page.keyboard.press('Escape');
  check('Escape clears the refusal', await page.evaluate(() => window.gridmap.planner.mode() === 'selected'
    && window.gridmap.planner.violations().length === 0));

  // ---- Undo: the split is reverted, then made again (what the Java test checks afterwards) ----
  try {
    for (let i = 0; i < 3 && await page.evaluate(() => window.gridmap.planner.mode() !== 'select'); i++) {
      await page.keyboard.press('Escape');
    }
    const first = result;
    await page.waitForFunction(() => !document.getElementById('plan-undo').hidden, null, { timeout: 10_000 }).catch(() => {});
    const offered = await page.locator('#plan-undo').isVisible();
    check('Undo is offered after the confirmed split', offered, JSON.stringify(await page.evaluate(() => window.gridmap.planner.result())));
    if (offered) {
      await page.click('#plan-undo');
      await page.waitForFunction(() => window.gridmap.planner.mode() === 'select', null, { timeout: 20_000 }).catch(() => {});
    }
    const undone = await page.locator('#plan-msg').innerText();
    // asked from Node, not the page: the expected 404s are no failure of the viewer's
    const status = await Promise.all([G.code, ...(first?.codes || [])].map(async (c) =>
      (await fetch(`${config.base}/collections/grids/items/${c}`)).status));
    check('Undo reverts the split: the old grid is back, the two new ones are gone',
      offered && undone.includes(G.code) && status[0] === 200 && status.slice(1).every((s) => s === 404) && status.length === 3,
      `${undone}; GET statuses ${JSON.stringify(status)}`);
    let back = [];
    for (let i = 0; i < 40; i++) {
      await idle(page);
      back = await page.evaluate(() => [...new Set(window.gridmap.map.querySourceFeatures('cq', { sourceLayer: 'grids' })
        .map((f) => String(f.properties.code ?? f.id)))]);
      if (back.includes(G.code) && !(first?.codes || []).some((c) => back.includes(c))) break;
      await page.waitForTimeout(250);
    }
    check('after Undo the map\'s tiles show the old grid again', back.includes(G.code) && !(first?.codes || []).some((c) => back.includes(c)),
      `in tiles: ${back.length} grids`);
    // the same line again: new codes, never the retired ones
    await select(G, null);
    await drawLine(G.line, 'finish');
    const again = await page.evaluate(() => window.gridmap.planner.mode());
    if (again === 'preview') await page.click('#plan-confirm');
    await page.waitForFunction(() => window.gridmap.planner.result() !== null || window.gridmap.planner.mode() === 'refused',
      null, { timeout: 20_000 }).catch(() => {});
    result = await page.evaluate(() => window.gridmap.planner.result());
    check('the grid split again takes new codes, not the retired ones', result?.codes?.length === 2
      && !result.codes.some((c) => first?.codes?.includes(c)), `${JSON.stringify(first?.codes)} then ${JSON.stringify(result?.codes)}`);
  } catch (e) {
    check('the undo case ran to its end', false, `threw: ${e.message.split('\n')[0]}`);
  }

  // the refusal is an expected 422: the browser logs it as a failed resource, nothing else may fail
  const unexpected = problems.filter((p) => !/status of 422|HTTP 422 for POST .*\/split\?dryRun=true/.test(p));
  check('no console errors, page errors or failed requests (but the expected 422)', unexpected.length === 0, unexpected.join('; '));
} catch (e) {
  check('the script ran to the end', false, `threw: ${e.message.split('\n')[0]}`);
} finally {
  await close();
}
writeFileSync(join(config.out, 'report.json'),
  JSON.stringify({ seconds: (Date.now() - started) / 1000, checks, result }, null, 2));
const failed = checks.filter((c) => !c.ok);
process.exit(failed.length ? 1 : 0);
