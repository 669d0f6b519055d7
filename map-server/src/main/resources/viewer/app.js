// The command-centre viewer: one MapLibre map over the server's style, with a layer switcher by
// admin level and by board, a click popup, a search box, a legend and the TileJSON link, and the
// incident screen (incidents.js: flashing alarms, the side list, the detail pane with the loop's
// actions, sign-in, the live stream), the track replay (tracks.js) and, for planners, editing grids
// (planner.js: select a grid, draw a split line, see the dry run, confirm). docs/viewer.md describes them.
//
// Everything it fetches is relative to /viewer/, so it works behind a proxy prefix too:
//   ../styles/{theme}.json   ../tiles/cq.json   ../health   legend.json   search?q=
//   ../collections/events/items   ../incidents/panel   ../live/tickets   ../live/ws
// Query parameters: ?theme=default|dark (dark is the command-centre look), ?closed=1 shows closed
// events too (by default only open and in-progress ones are drawn), ?pulse=0 keeps alarms steady
// instead of flashing (tests and screenshots want a map that goes idle; prefers-reduced-motion does
// the same), ?glyphs=server draws Chinese labels from the server's glyphs too (for screens without
// a CJK font). The position is kept in the URL hash (#zoom/lat/lon), so a view can be shared or
// bookmarked. ?pmtiles=URL draws the map's tiles from an offline package (`mapserver export-tiles`,
// docs/offline.md) through the pmtiles protocol, read by HTTP range requests; the style, glyphs
// and panels still come from this server.
import * as maplibregl from './vendor/maplibre-gl.mjs';
import { transformRequest } from './auth.js';
import { setUpIncidents, STATUS_LABELS, CATEGORY_LABELS, FORCE_ROLE_LABELS } from './incidents.js';
import { setUpTracks, mayTrack } from './tracks.js';
import { setUpPlanner } from './planner.js';

const params = new URLSearchParams(location.search);
const state = {
  theme: params.get('theme') === 'default' ? 'default' : 'dark',
  hiddenGroups: new Set(),
  hiddenBoards: new Set(),
  openOnly: params.get('closed') !== '1', // ?closed=1 shows closed events too
  selected: null, // a search result: {level, code, name, path, center, bbox}
  style: null,
};

const GROUPS = [
  ['districts', '区县', 'Districts'],
  ['streets', '镇街', 'Streets'],
  ['villages', '村 / 社区', 'Villages'],
  ['grids', '网格', 'Grids'],
  ['key_sites', '重点场所', 'Key sites'],
  ['forces', '网格力量', 'Forces'],
  ['events', '网格事件', 'Events'],
];
const LEVELS = {
  district: { layer: 'districts', label: '区县', minZoom: 7, maxZoom: 10 },
  street: { layer: 'streets', label: '镇街', minZoom: 9, maxZoom: 13 },
  village: { layer: 'villages', label: '村 / 社区', minZoom: 12, maxZoom: 15 },
  grid: { layer: 'grids', label: '网格', minZoom: 14, maxZoom: 16.5 },
};
const LAYER_LABELS = {
  districts: '区县', streets: '镇街', villages: '村 / 社区', grids: '网格',
  key_sites: '重点场所', forces: '网格力量', events: '网格事件',
};
const LEGEND_GROUPS = [
  ['boundaries', '边界'], ['boards', '事件板块'], ['alerts', '告警'],
  ['key_sites', '重点场所'], ['forces', '网格力量'], ['clusters', '聚合'],
];
const FIELD_LABELS = {
  code: '编码', population: '人口', households: '户数', kind: '类型', category: '类别',
  board: '板块', urgency: '紧急程度', status: '状态', role: '角色', on_duty: '在岗', count: '数量',
  pinned: '置顶', overdue: '超时',
};
const VALUE_LABELS = {
  kind: { community: '社区', village: '村', town: '镇', subdistrict: '街道' },
  urgency: { urgent: '紧急', normal: '一般', high: '较急', low: '低' },
  status: STATUS_LABELS,
  category: CATEGORY_LABELS,
  role: FORCE_ROLE_LABELS,
  on_duty: { true: '是', false: '否' },
  pinned: { true: '是', false: '否' },
  overdue: { true: '是', false: '否' },
};
const POINT_ORDER = ['events', 'forces', 'key_sites', 'grids', 'villages', 'streets', 'districts'];
const LABEL_LEVEL_LAYER = { district: 'districts', street: 'streets', village: 'villages', grid: 'grids' };

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('zh-CN');
const styleUrl = (theme) => new URL(`../styles/${theme}.json`, location.href).href;
const tileJsonUrl = new URL('../tiles/cq.json', location.href).href;
// ?pmtiles=URL: the package's address, absolute, or null when the tiles come from the server
// (declared before main() runs below)
const pmtilesUrl = params.get('pmtiles') ? new URL(params.get('pmtiles'), location.href).href : null;
let pmtilesLib = null; // vendor/pmtiles.js once loaded (loadPmtiles)

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

let resolveReady;
const ready = new Promise((r) => { resolveReady = r; });
window.gridmap = { ready, state };

main().catch((e) => {
  console.error('viewer failed to start:', e);
  $('status').textContent = `加载失败：${e.message}`;
});

const IDEOGRAPH_SAMPLE = '重庆';

/**
 * Where the map's Chinese labels come from: true when the browser draws them, false for the
 * server's glyph PBFs. MapLibre draws an ideograph on a canvas with the label's text-font as CSS
 * family (viewer.css gives "Noto Sans SC Regular" and "Bold" a font: the machine's CJK font or the
 * server's file), which saves about 200 KB of glyphs per 256 ideographs. A family that draws
 * nothing real draws boxes (tofu) without an error, so the viewer loads both faces first (8 s at
 * most) and draws two ideographs with each: alike or blank, the server's glyphs draw them instead.
 */
async function chooseIdeographGlyphs(fontStacks) {
  const families = fontStacks.map((stack) => `${stack.split(',').map((f) => `"${f.trim()}"`).join(', ')}, sans-serif`);
  const loads = Promise.all(families.map((f) => document.fonts.load(`24px ${f}`, IDEOGRAPH_SAMPLE)));
  const late = new Promise((resolve) => setTimeout(() => resolve('late'), 8000));
  try {
    if (await Promise.race([loads, late]) === 'late') {
      console.warn('the fonts for Chinese labels took over 8 s; the server draws them');
      return false;
    }
  } catch (e) {
    console.warn('the fonts for Chinese labels did not load; the server draws them:', e);
    return false;
  }
  return families.every(drawsIdeographs);
}

/** Whether the family draws two different ideographs differently: tofu boxes are all alike. */
function drawsIdeographs(family) {
  const canvas = document.createElement('canvas');
  canvas.width = 32; canvas.height = 32;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.font = `24px ${family}`;
  ctx.textBaseline = 'top';
  const pixels = [...IDEOGRAPH_SAMPLE].map((ch) => {
    ctx.clearRect(0, 0, 32, 32);
    ctx.fillText(ch, 0, 0);
    return ctx.getImageData(0, 0, 32, 32).data;
  });
  const inked = pixels[0].some((v, i) => i % 4 === 3 && v > 0);
  return inked && pixels[0].some((v, i) => v !== pixels[1][i]);
}

/** The text-font stacks of the style's symbol layers. */
function textFonts(style) {
  const stacks = new Set();
  for (const layer of style.layers) {
    const font = layer.layout?.['text-font'];
    if (Array.isArray(font) && font.every((f) => typeof f === 'string')) stacks.add(font.join(','));
  }
  return [...stacks];
}

/** Loads vendor/pmtiles.js (the package's browser build, global `pmtiles`) once. */
function loadPmtiles() {
  pmtilesLib ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('vendor/pmtiles.js', location.href).href;
    script.onload = () => resolve(window.pmtiles);
    script.onerror = () => reject(new Error('vendor/pmtiles.js did not load'));
    document.head.appendChild(script);
  });
  return pmtilesLib;
}

/**
 * In ?pmtiles= mode, registers the pmtiles:// protocol with MapLibre and returns what the map needs
 * from the package's header in place of the TileJSON: bounds and centre. Null otherwise.
 */
async function openPackage() {
  if (!pmtilesUrl) return null;
  const lib = await loadPmtiles();
  const protocol = new lib.Protocol();
  maplibregl.addProtocol('pmtiles', protocol.tile);
  const archive = new lib.PMTiles(pmtilesUrl);
  protocol.add(archive);
  const h = await archive.getHeader();
  window.gridmap.pmtiles = { url: pmtilesUrl, header: h };
  return {
    bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
    center: [h.centerLon, h.centerLat, h.centerZoom],
  };
}

/** The style with its tile source pointed at the package in ?pmtiles= mode; as it is otherwise. */
function withTileSource(style) {
  if (pmtilesUrl && style.sources?.cq) {
    style.sources.cq = { type: 'vector', url: `pmtiles://${pmtilesUrl}` };
  }
  return style;
}

async function main() {
  const pack = await openPackage();
  const [style, tileJson] = await Promise.all([
    getJson(styleUrl(state.theme)).then(withTileSource),
    pack ?? getJson(tileJsonUrl),
  ]);
  state.style = style;
  applyThemeClass();
  $('tilejson-url').textContent = pmtilesUrl ?? tileJsonUrl;

  const hasHash = /^#\d/.test(location.hash);
  const browserIdeographs = params.get('glyphs') !== 'server' && await chooseIdeographGlyphs(textFonts(style));
  window.gridmap.ideographs = browserIdeographs ? 'browser' : 'server';
  const map = new maplibregl.Map({
    container: 'map',
    style,
    hash: true,
    center: tileJson.center ? [tileJson.center[0], tileJson.center[1]] : [106.55, 29.56],
    zoom: tileJson.center ? tileJson.center[2] : 8,
    maxZoom: 18,
    // CJK ideographs drawn by the browser (chooseIdeographGlyphs); every other range (digits,
    // Latin, punctuation) comes from the server's glyph PBFs. ?glyphs=server, or fonts that did
    // not load, draw ideographs from the server's glyphs too. MapLibre uses this family only for
    // labels without a text-font; ours name theirs, which viewer.css gives a font.
    localIdeographFontFamily: browserIdeographs
      ? style.metadata?.['gridmap:local-ideograph-font-family'] || 'sans-serif'
      : false,
    attributionControl: { compact: true },
    // signed in: the token on this server's requests, so tiles are the staff class's (homes of
    // people living alone, device alarms); read on every request, so signing in or out needs no
    // new map
    transformRequest,
  });
  window.gridmap.map = map;
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  if (!hasHash && Array.isArray(tileJson.bounds)) {
    const [w, s, e, n] = tileJson.bounds;
    map.fitBounds([[w, s], [e, n]], { padding: 40, animate: false });
  }

  buildGroupToggles(map);
  buildBoardToggles(map);
  loadLegend();
  loadStats();
  setUpSearch(map);
  setUpPopup(map);
  setUpThemeToggle(map);
  map.on('style.load', () => applyState(map));
  map.on('moveend', () => updateStatus(map));
  map.on('zoom', () => updateZoomHints(map));

  map.once('load', () => {
    applyState(map);
    updateStatus(map);
    updateZoomHints(map);
    window.gridmap.incidents = setUpIncidents(map, { pulse: params.get('pulse') !== '0' });
    window.gridmap.tracks = setUpTracks(map);
    window.gridmap.planner = setUpPlanner(map);
    resolveReady(map);
  });
}

function applyThemeClass() {
  document.body.classList.toggle('theme-dark', state.theme === 'dark');
  document.body.classList.toggle('theme-light', state.theme !== 'dark');
  $('theme-toggle').textContent = state.theme === 'dark' ? '浅色' : '指挥中心';
  $('style-link').href = styleUrl(state.theme);
}

/** Layer ids of a toggle group, from the style's metadata (styles/README.md). */
function groupLayers(group) {
  return state.style.metadata?.['gridmap:groups']?.[group] || [];
}

function groupMinZoom(group) {
  const ids = new Set(groupLayers(group));
  const zooms = state.style.layers.filter((l) => ids.has(l.id)).map((l) => l.minzoom || 0);
  return zooms.length ? Math.min(...zooms) : 0;
}

function boards() {
  return Object.entries(state.style.metadata?.['gridmap:boards'] || {});
}

// ---- layer switcher ---------------------------------------------------------------------------

function toggle(container, key, text, colour, checked, onChange, extra) {
  const label = document.createElement('label');
  label.className = 'gm-toggle';
  label.dataset.key = key;
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = checked;
  box.name = key;
  box.addEventListener('change', () => onChange(box.checked));
  label.append(box);
  if (colour) {
    const sw = document.createElement('span');
    sw.className = 'gm-swatch gm-swatch-dot';
    sw.style.background = colour;
    label.append(sw);
  }
  const span = document.createElement('span');
  span.className = 'gm-toggle-text';
  span.textContent = text;
  label.append(span);
  if (extra) {
    const small = document.createElement('small');
    small.textContent = extra;
    label.append(small);
  }
  container.append(label);
  return label;
}

function buildGroupToggles(map) {
  const box = $('groups');
  for (const [group, zh, en] of GROUPS) {
    if (!groupLayers(group).length) continue;
    const z = groupMinZoom(group);
    const label = toggle(box, group, `${zh} ${en}`, null, true, (on) => {
      on ? state.hiddenGroups.delete(group) : state.hiddenGroups.add(group);
      applyState(map);
    }, z > 0 ? `z${z}+` : '');
    label.dataset.minzoom = z;
  }
}

function buildBoardToggles(map) {
  const box = $('boards');
  for (const [code, b] of boards()) {
    toggle(box, code, b.label, b.colour, true, (on) => {
      on ? state.hiddenBoards.delete(code) : state.hiddenBoards.add(code);
      applyState(map);
    });
  }
  // A year of events is mostly closed work orders (about 90 % of them, and of the urgent ones):
  // the command centre watches the open ones. Clusters still count every event.
  const open = toggle(box, 'open-only', '仅显示未结事件', null, state.openOnly, (on) => {
    state.openOnly = on;
    applyState(map);
  });
  open.classList.add('gm-toggle-open');
}

/** Visibility by group and board, the urgent layers filtered to the boards shown, the selection. */
function applyState(map) {
  if (!map.isStyleLoaded() && !map.getStyle()) return;
  for (const [group] of GROUPS) {
    for (const id of groupLayers(group)) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', state.hiddenGroups.has(group) ? 'none' : 'visible');
    }
  }
  for (const [code, b] of boards()) {
    if (map.getLayer(b.layer) && !state.hiddenGroups.has('events')) {
      map.setLayoutProperty(b.layer, 'visibility', state.hiddenBoards.has(code) ? 'none' : 'visible');
    }
  }
  // Cluster counts: the style lets them overlap everything (a count is never hidden); on the
  // full city below z12 that is a wall of digits. Here they collide with each other and give way
  // to the admin labels: moved just under the first label layer (MapLibre places the symbols of
  // higher layers first), so names are placed before counts and a count that would cover one,
  // or another count, is left out. The cluster's circle is still drawn.
  const firstLabel = state.style.layers.find((l) => l.id.startsWith('labels-'));
  for (const layer of state.style.layers) {
    if (layer.id.endsWith('-cluster-count') && map.getLayer(layer.id)) {
      if (firstLabel && map.getLayer(firstLabel.id)) map.moveLayer(layer.id, firstLabel.id);
      map.setLayoutProperty(layer.id, 'text-allow-overlap', false);
      map.setLayoutProperty(layer.id, 'text-ignore-placement', false);
    }
  }
  // Single events (clusters carry no status or board): closed ones out when "open only" is on,
  // and the urgent layers (drawn for every board) limited to the boards shown.
  const shown = boards().map(([code]) => code).filter((c) => !state.hiddenBoards.has(c));
  for (const layer of state.style.layers) {
    if (layer['source-layer'] !== 'events' || layer.id.includes('cluster') || !map.getLayer(layer.id)) continue;
    const parts = [layer.filter].filter(Boolean);
    if (state.openOnly) parts.push(['!', ['in', ['get', 'status'], ['literal', ['closed', 'rejected']]]]);
    if (layer.id.startsWith('events-urgent') && state.hiddenBoards.size) parts.push(['in', ['get', 'board'], ['literal', shown]]);
    map.setFilter(layer.id, parts.length > 1 ? ['all', ...parts] : layer.filter);
  }
  drawSelection(map);
}

function updateZoomHints(map) {
  const z = map.getZoom();
  for (const label of document.querySelectorAll('#groups .gm-toggle')) {
    label.classList.toggle('gm-out-of-zoom', z < Number(label.dataset.minzoom || 0));
  }
}

// ---- legend and figures -----------------------------------------------------------------------

async function loadLegend() {
  const legend = await getJson(`legend.json?theme=${state.theme}`);
  const box = $('legend');
  box.replaceChildren();
  for (const [group, title] of LEGEND_GROUPS) {
    const entries = legend.entries.filter((e) => e.group === group);
    if (!entries.length) continue;
    const h = document.createElement('h3');
    h.textContent = title;
    const ul = document.createElement('ul');
    ul.dataset.group = group;
    for (const e of entries) {
      const li = document.createElement('li');
      li.dataset.key = e.key;
      li.dataset.layer = e.layer;
      const sw = document.createElement('span');
      sw.className = group === 'boundaries' ? 'gm-swatch gm-swatch-line' : 'gm-swatch gm-swatch-dot';
      sw.style.background = e.colour;
      if (group === 'alerts') sw.classList.add('gm-swatch-urgent');
      li.append(sw, document.createTextNode(e.label));
      ul.append(li);
    }
    box.append(h, ul);
  }
}

async function loadStats() {
  const health = await getJson('../health');
  const counts = health.dataset?.counts || {};
  const box = $('stats');
  box.replaceChildren();
  for (const [layer, label] of Object.entries(LAYER_LABELS)) {
    if (counts[layer] == null) continue;
    const div = document.createElement('div');
    div.className = 'gm-stat';
    div.dataset.layer = layer;
    const b = document.createElement('b');
    b.textContent = fmt.format(counts[layer]);
    const span = document.createElement('span');
    span.textContent = label;
    div.append(b, span);
    box.append(div);
  }
}

function updateStatus(map) {
  const c = map.getCenter();
  const z = map.getZoom();
  const visible = GROUPS.filter(([g]) => !state.hiddenGroups.has(g) && z >= groupMinZoom(g)).map(([, zh]) => zh);
  $('status').textContent = `z ${z.toFixed(1)} · ${c.lat.toFixed(4)}°N ${c.lng.toFixed(4)}°E · 本级显示：${visible.join('、')}`;
}

// ---- click popup ------------------------------------------------------------------------------

function setUpPopup(map) {
  const popup = new maplibregl.Popup({ maxWidth: '340px', className: 'gm-popup' });
  map.on('click', (e) => {
    // while a planner edits grids (planner.js), a click selects a grid or adds a point to the line
    if (window.gridmap.planner?.capturesClicks()) {
      popup.remove();
      return;
    }
    const r = 4;
    const box = [[e.point.x - r, e.point.y - r], [e.point.x + r, e.point.y + r]];
    const all = map.queryRenderedFeatures(box);
    // an incident under the click opens the detail pane (history, people, actions) beside the popup
    window.gridmap.incidents?.pick(all);
    const features = all.filter((f) => f.source === 'cq');
    if (!features.length) {
      popup.remove();
      return;
    }
    popup.setLngLat(e.lngLat).setDOMContent(describe(features)).addTo(map);
  });
}

/** One entry per feature (a label and its polygon are one unit), points first, then grid to district. */
function describe(features) {
  const seen = new Map();
  for (const f of features) {
    let layer = f.sourceLayer;
    const p = f.properties || {};
    if (layer === 'labels') layer = LABEL_LEVEL_LAYER[p.level] || layer;
    const key = `${layer}:${p.code ?? f.id}`;
    const prev = seen.get(key);
    seen.set(key, { layer, properties: { ...(prev?.properties || {}), ...p }, id: f.id });
  }
  const list = [...seen.values()].sort((a, b) => POINT_ORDER.indexOf(a.layer) - POINT_ORDER.indexOf(b.layer));
  const root = document.createElement('div');
  root.className = 'gm-features';
  for (const item of list.slice(0, 8)) {
    const p = item.properties;
    const div = document.createElement('div');
    div.className = 'gm-feature';
    div.dataset.layer = item.layer;
    if (p.code) div.dataset.code = p.code;
    const title = document.createElement('div');
    title.className = 'gm-feature-title';
    const badge = document.createElement('span');
    badge.className = 'gm-badge';
    badge.textContent = LAYER_LABELS[item.layer] || item.layer;
    const count = Number(p.count || 0);
    title.append(badge, document.createTextNode(
      count > 1 ? `聚合 ${fmt.format(count)} 个` : (p.name || p.category || p.role || `#${item.id ?? ''}`)));
    div.append(title);
    const dl = document.createElement('dl');
    for (const [k, v] of Object.entries(p)) {
      if (k === 'name' || k === 'level' || v === null || v === undefined || v === '') continue;
      const dt = document.createElement('dt');
      dt.textContent = FIELD_LABELS[k] || k;
      const dd = document.createElement('dd');
      dd.textContent = displayValue(k, v);
      if (k === 'code') dd.className = 'gm-code';
      dl.append(dt, dd);
    }
    div.append(dl);
    // A unit or a single point (not a cluster): its tile id is its OGC API id, below 2^52 and so
    // exact as a JavaScript number (the server keeps ids that small for this reason).
    if (count <= 1 && Number.isSafeInteger(item.id) && LAYER_LABELS[item.layer]) {
      div.dataset.id = String(item.id);
      const link = document.createElement('a');
      link.className = 'gm-item-link';
      link.href = new URL(`../collections/${item.layer}/items/${item.id}`, location.href).href;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = 'GeoJSON';
      div.append(link);
      // a force's track, for the staff class (the server checks the role and the scope again)
      if (item.layer === 'forces' && mayTrack()) {
        const replay = document.createElement('button');
        replay.type = 'button';
        replay.className = 'gm-track-button';
        replay.textContent = '轨迹';
        replay.title = 'Track: replay the last hours with a time slider';
        replay.addEventListener('click', () => window.gridmap.tracks?.show(item.id));
        div.append(replay);
      }
    }
    root.append(div);
  }
  return root;
}

function displayValue(key, value) {
  if (key === 'board') {
    const b = state.style.metadata?.['gridmap:boards']?.[value];
    if (b) return b.label;
  }
  const labels = VALUE_LABELS[key];
  if (labels && labels[String(value)]) return labels[String(value)];
  if (typeof value === 'number' && key !== 'code') return fmt.format(value);
  return String(value);
}

// ---- search -----------------------------------------------------------------------------------

function setUpSearch(map) {
  const input = $('search');
  const list = $('search-results');
  let timer = 0;
  let seq = 0;
  let results = [];
  let active = -1;

  const render = () => {
    list.replaceChildren();
    results.forEach((r, i) => {
      const li = document.createElement('li');
      li.role = 'option';
      li.dataset.code = r.code;
      li.dataset.level = r.level;
      li.classList.toggle('gm-active', i === active);
      const name = document.createElement('b');
      name.textContent = r.name;
      const level = document.createElement('span');
      level.className = 'gm-badge';
      level.textContent = LEVELS[r.level]?.label || r.level;
      const small = document.createElement('small');
      small.textContent = [r.path, r.code].filter(Boolean).join(' · ');
      li.append(level, name, small);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        choose(i);
      });
      list.append(li);
    });
    list.hidden = results.length === 0 && !list.dataset.empty;
  };

  const run = async (q) => {
    const mine = ++seq;
    if (!q.trim()) {
      results = [];
      delete list.dataset.empty;
      render();
      return;
    }
    const res = await fetch(`search?q=${encodeURIComponent(q.trim())}&limit=12`);
    if (mine !== seq) return; // a newer keystroke won
    if (!res.ok) {
      results = [];
      render();
      return;
    }
    const body = await res.json();
    results = body.results;
    active = results.length ? 0 : -1;
    list.dataset.empty = results.length ? '' : 'yes';
    render();
    if (!results.length) {
      const li = document.createElement('li');
      li.className = 'gm-none';
      li.textContent = `没有找到“${q.trim()}”`;
      list.append(li);
      list.hidden = false;
    }
  };

  const choose = (i) => {
    const r = results[i];
    if (!r) return;
    list.hidden = true;
    input.value = r.name;
    flyToUnit(map, r);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 200);
  });
  input.addEventListener('keydown', async (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!results.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length;
      render();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      if (!results.length || list.hidden) await run(input.value);
      choose(Math.max(active, 0));
    } else if (e.key === 'Escape') {
      list.hidden = true;
    }
  });
  input.addEventListener('blur', () => setTimeout(() => { list.hidden = true; }, 150));
  input.addEventListener('focus', () => { if (results.length) list.hidden = false; });
}

/** Flies to a search result: its bbox, zoomed in at least far enough to see its level drawn. */
function flyToUnit(map, r) {
  const lv = LEVELS[r.level] || LEVELS.district;
  const [w, s, e, n] = r.bbox;
  const cam = map.cameraForBounds([[w, s], [e, n]], { padding: 60 });
  const zoom = Math.min(lv.maxZoom, Math.max(lv.minZoom, cam?.zoom ?? lv.minZoom));
  state.selected = r;
  drawSelection(map);
  map.flyTo({ center: r.center, zoom, duration: 1200, essential: true });
  map.once('moveend', () => {
    window.gridmap.lastFlight = { code: r.code, level: r.level, center: map.getCenter().toArray(), zoom: map.getZoom() };
  });
}

function drawSelection(map) {
  for (const id of ['gm-selected-fill', 'gm-selected-line']) {
    if (map.getLayer(id)) map.removeLayer(id);
  }
  const r = state.selected;
  if (!r) return;
  const sourceLayer = LEVELS[r.level]?.layer;
  const filter = ['==', ['get', 'code'], r.code];
  const before = map.getLayer('labels-grid') ? 'labels-grid' : undefined;
  map.addLayer({
    id: 'gm-selected-fill', type: 'fill', source: 'cq', 'source-layer': sourceLayer, filter,
    paint: { 'fill-color': '#00e5ff', 'fill-opacity': 0.12 },
  }, before);
  map.addLayer({
    id: 'gm-selected-line', type: 'line', source: 'cq', 'source-layer': sourceLayer, filter,
    paint: { 'line-color': '#00e5ff', 'line-width': 3.5, 'line-blur': 0.5 },
  }, before);
}

// ---- theme and alerts -------------------------------------------------------------------------

function setUpThemeToggle(map) {
  $('theme-toggle').addEventListener('click', async () => {
    state.theme = state.theme === 'dark' ? 'default' : 'dark';
    const style = withTileSource(await getJson(styleUrl(state.theme)));
    state.style = style;
    applyThemeClass();
    map.setStyle(style, { diff: false });
    loadLegend();
    const url = new URL(location.href);
    url.searchParams.set('theme', state.theme);
    history.replaceState(null, '', url);
  });
}
