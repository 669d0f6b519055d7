// Editing grids in the viewer (编辑网格; docs/viewer.md, "Editing grids"): a signed-in planner or
// admin splits a grid by drawing a line across it, sees the server's dry run (the two grids it
// would make, or every rule it would break, drawn on the map) and confirms. The server decides
// everything (who may edit, the scope, every topology rule); the viewer only draws and asks.
//
// The steps, and what each one asks of the server:
//   select   a click on a grid: GET ../collections/grids/items/{code} gives its outline and ETag
//   draw     clicks add the line's points (drawn as they come, with a segment to the pointer); a
//            double-click or 完成 (Finish) ends it, Escape or 取消 (Cancel) drops it
//   check    POST ../edits/grids/{code}/split?dryRun=true {line, etag}: 200 (Dry-Run: true) with
//            the two grids it would make, drawn in two colours with their new codes; 422 with
//            `violations`, each drawn in red where it has a geometry and listed in the panel; any
//            other refusal shows the problem's detail
//   confirm  the same POST without dryRun: 200, and the map's tiles are read again (revalidated
//            against the server's ETags, so the browser's cache cannot keep the old boundary)
//   undo     the split's change-log position from GET ../history/grids/{code} (the retired grid's
//            last version), then POST ../edits/{seq}/revert: the old grid is back under its code
import { authHeaders, transformRequest, who } from './auth.js';

/** Roles that may edit grids (security/AccessPolicy): the server checks again, with the scope. */
const EDIT_ROLES = new Set(['planner', 'admin']);

const GRID = 'gm-plan-grid';
const LINE = 'gm-plan-line';
const PREVIEW = 'gm-plan-preview';
const VIOLATIONS = 'gm-plan-violations';
const EMPTY = { type: 'FeatureCollection', features: [] };
/** The two resulting grids' colours (amber, green), apart from the selection's cyan and the red. */
const PART_COLOURS = ['#ffb020', '#3ddc84'];
const VIOLATION_COLOUR = '#ff1744';
/** Two clicks closer than this (pixels) are one point: a double-click's clicks, a shaky hand. */
const SAME_POINT_PX = 4;

/** Whether the signed-in caller may be offered the tool at all. */
export function mayEdit() {
  return EDIT_ROLES.has(who()?.role);
}

export function setUpPlanner(map) {
  const S = {
    mode: 'off', // off, select, selected, draw, check, preview, refused, write
    grid: null, // {code, etag, feature}
    line: [], // [[lon, lat], ...] as drawn
    pointer: null, // [lon, lat] of the pointer while drawing
    preview: null, // the dry run's FeatureCollection
    violations: [], // the dry run's or the write's violations
    result: null, // {from, codes, seq} of the last confirmed split (seq once the history gave it)
    seq: 0, // requests in flight answer only if nothing newer was asked
  };
  const $ = (id) => document.getElementById(id);
  const toggleButton = $('plan-toggle');

  const panel = document.createElement('section');
  panel.className = 'gm-plan';
  panel.id = 'plan-panel';
  panel.hidden = true;
  panel.setAttribute('aria-label', '编辑网格 Edit grids');
  panel.innerHTML = `
    <div class="gm-detail-head"><h2>编辑网格 <small>Edit grids</small></h2>
      <button type="button" class="gm-close" id="plan-close" aria-label="关闭编辑网格 Close">×</button></div>
    <p id="plan-grid" class="gm-plan-grid"></p>
    <p id="plan-msg" class="gm-msg" role="status" aria-live="polite"></p>
    <ul id="plan-violations" class="gm-plan-violations" aria-label="违反的规则 Violations"></ul>
    <div class="gm-action-buttons">
      <button type="button" class="gm-action" id="plan-split">拆分 <small>Split</small></button>
      <button type="button" class="gm-action" id="plan-finish">完成 <small>Finish</small></button>
      <button type="button" class="gm-action gm-action-dispatch" id="plan-confirm">确认 <small>Confirm</small></button>
      <button type="button" class="gm-action" id="plan-cancel">取消 <small>Cancel</small></button>
      <button type="button" class="gm-action" id="plan-undo">撤销拆分 <small>Undo</small></button>
    </div>
    <p class="gm-hint">选中网格后点“拆分”，在地图上依次点击画出穿过网格的分割线，双击或“完成”结束，Esc 取消。</p>`;
  $('incidents').prepend(panel);
  const msg = panel.querySelector('#plan-msg');
  const buttons = {
    split: panel.querySelector('#plan-split'),
    finish: panel.querySelector('#plan-finish'),
    confirm: panel.querySelector('#plan-confirm'),
    cancel: panel.querySelector('#plan-cancel'),
    undo: panel.querySelector('#plan-undo'),
  };
  panel.querySelector('#plan-close').addEventListener('click', () => close());
  buttons.split.addEventListener('click', () => startDrawing());
  buttons.finish.addEventListener('click', () => finish());
  buttons.confirm.addEventListener('click', () => confirm());
  buttons.cancel.addEventListener('click', () => cancel());
  buttons.undo.addEventListener('click', () => undo());
  toggleButton.addEventListener('click', () => (S.mode === 'off' ? open() : close()));

  // signing in or out (incidents.js renders #who): offer the tool to planners and admins only
  const offer = () => {
    const allowed = mayEdit() && !window.gridmap?.pmtiles; // an offline package's tiles cannot refresh
    toggleButton.hidden = !allowed;
    if (!allowed && S.mode !== 'off') close();
  };
  new MutationObserver(offer).observe($('who'), { attributes: true, childList: true, characterData: true, subtree: true });
  offer();

  // ---- map layers ------------------------------------------------------------------------------

  function addLayers() {
    if (map.getSource(GRID)) return;
    map.addSource(GRID, { type: 'geojson', data: gridData() });
    map.addSource(PREVIEW, { type: 'geojson', data: S.preview ?? EMPTY });
    map.addSource(VIOLATIONS, { type: 'geojson', data: violationData() });
    map.addSource(LINE, { type: 'geojson', data: lineData() });
    map.addLayer({ id: `${GRID}-fill`, type: 'fill', source: GRID, paint: { 'fill-color': '#00e5ff', 'fill-opacity': 0.15 } });
    map.addLayer({ id: `${GRID}-line`, type: 'line', source: GRID, paint: { 'line-color': '#00e5ff', 'line-width': 3 } });
    const part = ['match', ['get', 'gm_part'], 0, PART_COLOURS[0], PART_COLOURS[1]];
    map.addLayer({ id: `${PREVIEW}-fill`, type: 'fill', source: PREVIEW, paint: { 'fill-color': part, 'fill-opacity': 0.35 } });
    map.addLayer({ id: `${PREVIEW}-line`, type: 'line', source: PREVIEW, paint: { 'line-color': part, 'line-width': 2.5 } });
    map.addLayer({
      id: `${VIOLATIONS}-fill`, type: 'fill', source: VIOLATIONS, filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': VIOLATION_COLOUR, 'fill-opacity': 0.45 },
    });
    map.addLayer({
      id: `${VIOLATIONS}-line`, type: 'line', source: VIOLATIONS, filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': VIOLATION_COLOUR, 'line-width': 3 },
    });
    map.addLayer({
      id: `${VIOLATIONS}-point`, type: 'circle', source: VIOLATIONS, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 7, 'circle-color': VIOLATION_COLOUR, 'circle-stroke-width': 2, 'circle-stroke-color': '#ffffff' },
    });
    map.addLayer({
      id: `${LINE}-line`, type: 'line', source: LINE, filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#ffffff', 'line-width': 2.5, 'line-dasharray': [2, 1] },
    });
    map.addLayer({
      id: `${LINE}-point`, type: 'circle', source: LINE, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 4, 'circle-color': '#ffffff', 'circle-stroke-width': 1.5, 'circle-stroke-color': '#00e5ff' },
    });
    // the new codes on the two grids, in the style's own font (its glyphs hold the digits)
    map.addLayer({
      id: `${PREVIEW}-label`, type: 'symbol', source: PREVIEW,
      layout: { 'text-field': ['to-string', ['get', 'code']], 'text-font': ['Noto Sans SC Bold'], 'text-size': 13, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff', 'text-halo-color': '#000000', 'text-halo-width': 1.5 },
    });
  }
  // a theme switch loads a new style, without our layers
  map.on('style.load', () => { if (S.mode !== 'off') addLayers(); });

  function gridData() {
    return S.grid ? { type: 'FeatureCollection', features: [S.grid.feature] } : EMPTY;
  }
  function lineData() {
    const coords = S.mode === 'draw' && S.pointer ? [...S.line, S.pointer] : S.line;
    const features = S.line.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }));
    if (coords.length >= 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } });
    return { type: 'FeatureCollection', features };
  }
  function violationData() {
    return {
      type: 'FeatureCollection',
      features: S.violations.filter((v) => v.geometry)
        .map((v) => ({ type: 'Feature', properties: { rule: v.rule, detail: v.detail }, geometry: v.geometry })),
    };
  }
  function draw() {
    if (!map.getSource(GRID)) return;
    map.getSource(GRID).setData(gridData());
    map.getSource(LINE).setData(lineData());
    map.getSource(PREVIEW).setData(S.preview ?? EMPTY);
    map.getSource(VIOLATIONS).setData(violationData());
  }

  // ---- the panel -------------------------------------------------------------------------------

  function render(text, kind = '') {
    if (text !== undefined) {
      msg.textContent = text;
      msg.className = `gm-msg${kind ? ` gm-msg-${kind}` : ''}`;
    }
    panel.querySelector('#plan-grid').textContent = S.grid
      ? `网格 Grid ${S.grid.code}${S.grid.feature.properties?.name ? ` · ${S.grid.feature.properties.name}` : ''}`
      : '';
    const list = panel.querySelector('#plan-violations');
    list.replaceChildren(...S.violations.map((v) => {
      const li = document.createElement('li');
      li.dataset.rule = v.rule;
      const rule = document.createElement('b');
      rule.textContent = v.rule;
      li.append(rule, document.createTextNode(` ${v.feature != null ? `(${v.feature}) ` : ''}${v.detail ?? ''}`));
      return li;
    }));
    const m = S.mode;
    buttons.split.hidden = !['selected', 'refused'].includes(m);
    buttons.finish.hidden = m !== 'draw';
    buttons.finish.disabled = S.line.length < 2;
    buttons.confirm.hidden = m !== 'preview' && m !== 'write';
    buttons.confirm.disabled = m === 'write';
    buttons.cancel.hidden = !['draw', 'check', 'preview', 'refused', 'selected'].includes(m);
    buttons.undo.hidden = !(S.result?.seq && (m === 'select' || m === 'undo'));
    buttons.undo.disabled = m === 'undo';
    toggleButton.setAttribute('aria-pressed', String(m !== 'off'));
    map.getCanvas().style.cursor = m === 'select' || m === 'selected' || m === 'draw' ? 'crosshair' : '';
    draw();
  }

  function open() {
    addLayers();
    panel.hidden = false;
    S.mode = 'select';
    S.result = null;
    render('点击地图上的网格以选中（z12 以上可见网格）。 Click a grid on the map.');
  }

  function close() {
    S.seq++;
    S.mode = 'off';
    S.grid = null;
    clearDrawing();
    panel.hidden = true;
    if (map.doubleClickZoom && !map.doubleClickZoom.isEnabled()) map.doubleClickZoom.enable();
    render('');
  }

  function clearDrawing() {
    S.line = [];
    S.pointer = null;
    S.preview = null;
    S.violations = [];
  }

  // ---- select ----------------------------------------------------------------------------------

  /** Selects grid `code`: its outline and ETag as the server has them now. Resolves to true when found. */
  async function select(code) {
    const mine = ++S.seq;
    clearDrawing();
    S.mode = 'selected';
    render(`读取网格 ${code}… Loading grid ${code}`);
    const res = await request('GET', `../collections/grids/items/${encodeURIComponent(code)}`);
    if (mine !== S.seq) return false;
    if (!res.ok) {
      S.grid = null;
      S.mode = 'select';
      render(res.problem, 'error');
      return false;
    }
    const feature = res.body;
    S.grid = { code: String(feature.properties?.code ?? feature.id ?? code), etag: res.etag, feature };
    render(`已选中网格 ${S.grid.code}：点“拆分”画分割线。 Selected; Split draws a line across it.`);
    return true;
  }

  function gridAt(point) {
    const r = 3;
    const hits = map.queryRenderedFeatures([[point.x - r, point.y - r], [point.x + r, point.y + r]])
      .filter((f) => f.source === 'cq' && f.sourceLayer === 'grids' && (f.properties?.code ?? f.id) != null);
    return hits.length ? String(hits[0].properties.code ?? hits[0].id) : null;
  }

  // ---- draw ------------------------------------------------------------------------------------

  function startDrawing() {
    if (!S.grid) return;
    S.seq++;
    clearDrawing();
    S.mode = 'draw';
    map.doubleClickZoom.disable(); // a double-click ends the line instead
    render('依次点击画出穿过网格的分割线；双击或“完成”结束，Esc 取消。 Click points across the grid; double-click or Finish ends, Escape cancels.');
  }

  function addPoint(e) {
    const last = S.line[S.line.length - 1];
    if (last) {
      const p = map.project(last);
      if (Math.hypot(p.x - e.point.x, p.y - e.point.y) < SAME_POINT_PX) return;
    }
    S.line.push([e.lngLat.lng, e.lngLat.lat]);
    render(`分割线 ${S.line.length} 个点。 ${S.line.length} point(s).`);
  }

  map.on('click', (e) => {
    // a refused line leaves the planner free to pick another grid; a preview waits for its answer
    if (S.mode === 'select' || S.mode === 'selected' || S.mode === 'refused') {
      const code = gridAt(e.point);
      if (code) select(code);
      else render('这里没有网格：放大到 z12 以上再点。 No grid here: zoom in to z12 or more.', 'error');
    } else if (S.mode === 'draw') {
      addPoint(e);
    }
  });
  map.on('dblclick', (e) => {
    if (S.mode !== 'draw') return;
    e.preventDefault();
    addPoint(e);
    finish();
  });
  map.on('mousemove', (e) => {
    if (S.mode !== 'draw' || !S.line.length) return;
    S.pointer = [e.lngLat.lng, e.lngLat.lat];
    map.getSource(LINE)?.setData(lineData());
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || S.mode === 'off') return;
    if (e.target.closest?.('input, textarea, select')) return; // the search box's own Escape
    e.preventDefault();
    cancel();
  });

  /** Back one step: a line or an answer is dropped, then the selection. */
  function cancel() {
    if (S.mode === 'write' || S.mode === 'undo') return; // a write under way happens anyway: await its answer
    S.seq++;
    if (S.mode === 'selected' || S.mode === 'select') {
      S.grid = null;
      S.mode = 'select';
      clearDrawing();
      render('已取消选择。 Selection cleared.');
    } else if (S.grid) {
      S.mode = 'selected';
      clearDrawing();
      render(`已取消。 Cancelled: grid ${S.grid.code} is unchanged.`);
    }
    map.doubleClickZoom.enable();
  }

  // ---- check and confirm -----------------------------------------------------------------------

  function finish() {
    if (S.mode !== 'draw') return;
    if (S.line.length < 2) {
      render('分割线至少需要两个点。 A line needs two points at least.', 'error');
      return;
    }
    S.pointer = null;
    // the double-click's own zoom would run after this handler: enable it on the next frame
    requestAnimationFrame(() => map.doubleClickZoom.enable());
    return split(true);
  }

  function body() {
    return { line: { type: 'LineString', coordinates: S.line }, etag: S.grid.etag };
  }

  /** POSTs the split, as a dry run or for real; the panel shows the answer. */
  async function split(dryRun) {
    const mine = ++S.seq;
    const code = S.grid.code;
    S.mode = dryRun ? 'check' : 'write';
    render(dryRun ? '检查中… Checking (dry run)' : '提交中… Writing');
    const path = `../edits/grids/${encodeURIComponent(code)}/split${dryRun ? '?dryRun=true' : ''}`;
    const res = await request('POST', path, body());
    if (mine !== S.seq) return;
    S.violations = Array.isArray(res.body?.violations) ? res.body.violations : [];
    if (!res.ok) {
      S.preview = null;
      S.mode = 'refused';
      const detail = res.body?.detail || res.problem;
      render(S.violations.length
        ? `拆分会违反 ${S.violations.length} 条规则（见下），未写入。 The split breaks ${S.violations.length} rule(s), listed below; nothing was written.`
        : `${res.status ? `${res.status} ` : ''}${detail}`, 'error');
      return;
    }
    const features = Array.isArray(res.body?.features) ? res.body.features : [];
    const codes = features.map((f) => String(f.properties?.code ?? f.id));
    if (dryRun) {
      if (res.headers.get('Dry-Run') !== 'true') {
        S.mode = 'refused';
        render('服务器未声明这是试运行（Dry-Run: true），请刷新核对。 The server did not answer as a dry run.', 'error');
        return;
      }
      S.preview = {
        type: 'FeatureCollection',
        features: features.map((f, i) => ({ ...f, properties: { ...f.properties, code: codes[i], gm_part: i } })),
      };
      S.mode = 'preview';
      render(`拆分网格 ${code} 为 ${codes.join(' 和 ')}。 Split grid ${code} into ${codes.join(' and ')}.`);
      buttons.confirm.focus();
      return;
    }
    S.result = { from: code, codes, seq: null };
    S.grid = null;
    clearDrawing();
    S.mode = 'select';
    refreshTiles();
    const done = `已拆分：网格 ${code} 现为 ${codes.join(' 和 ')}。 Done: grid ${code} is now ${codes.join(' and ')}.`;
    render(done, 'ok');
    // Undo needs the split's change-log position: the retired grid's last version carries it
    const history = await request('GET', `../history/grids/${encodeURIComponent(code)}`);
    const versions = Array.isArray(history.body?.versions) ? history.body.versions : [];
    const last = versions[versions.length - 1];
    if (mine === S.seq && S.result?.from === code && last?.retired && last.seq) {
      S.result.seq = last.seq;
      render(done, 'ok');
    }
  }

  /** Reverts the last confirmed split: the grid comes back under its code, the two new ones go. */
  async function undo() {
    const r = S.result;
    if (!r?.seq || S.mode !== 'select') return;
    const mine = ++S.seq;
    S.mode = 'undo';
    render('撤销中… Undoing');
    const res = await request('POST', `../edits/${r.seq}/revert`, undefined);
    if (mine !== S.seq) return;
    S.mode = 'select';
    if (!res.ok) {
      S.violations = Array.isArray(res.body?.violations) ? res.body.violations : [];
      render(res.problem, 'error');
      return;
    }
    S.result = null;
    S.violations = [];
    refreshTiles();
    render(`已撤销：网格 ${r.from} 已恢复，${r.codes.join(' 和 ')} 已撤除。 Undone: grid ${r.from} is back.`, 'ok');
  }

  function confirm() {
    if (S.mode !== 'preview') return;
    return split(false);
  }

  /**
   * Reads the map's tiles again. A tile is cached by the browser (max-age, per visibility class):
   * from now on this page asks with cache mode no-cache, so each tile is revalidated by its ETag (a
   * 304 where nothing changed) and a changed boundary is never served from the browser's cache.
   */
  function refreshTiles() {
    map.setTransformRequest((url, kind) => {
      const r = transformRequest(url);
      return kind === 'Tile' ? { ...r, cache: 'no-cache' } : r;
    });
    map.refreshTiles('cq');
  }

  /** A request with the token: {ok, status, etag, headers, body, problem}; never rejects. */
  async function request(method, path, json) {
    const headers = authHeaders(json === undefined ? {} : { 'Content-Type': 'application/json' });
    let res;
    try {
      res = await fetch(new URL(path, location.href), {
        method, headers, body: json === undefined ? undefined : JSON.stringify(json), cache: 'no-store',
      });
    } catch (e) {
      return { ok: false, status: 0, etag: null, headers: new Headers(), body: null, problem: `无法连接服务器：${e.message}` };
    }
    let parsed = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) {
      try {
        parsed = await res.json();
      } catch {
        parsed = null;
      }
    }
    const problem = res.ok ? null
      : `${parsed?.title || res.statusText || 'HTTP error'}（${res.status}）${parsed?.detail ? `：${parsed.detail}` : ''}`;
    return { ok: res.ok, status: res.status, etag: res.headers.get('ETag'), headers: res.headers, body: parsed, problem };
  }

  // what tests and the console read
  return {
    open,
    close,
    select,
    mode: () => S.mode,
    selected: () => (S.grid ? { code: S.grid.code, etag: S.grid.etag, geometry: S.grid.feature.geometry } : null),
    line: () => S.line.map((c) => [...c]),
    preview: () => S.preview,
    violations: () => S.violations,
    result: () => S.result,
    capturesClicks: () => S.mode !== 'off',
  };
}
