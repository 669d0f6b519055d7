// The command centre's incident screen (docs/viewer.md): open urgent incidents flash on the map, a
// side list of pinned, overdue and urgent items, a detail pane with the history, the assignee and
// the responders drawn on the map, the actions of the closed loop, sign-in, and the live stream
// that keeps all of it current without a reload.
//
// Where the truth comes from, and why each source:
// - the alarms overlay (open urgent incidents) is loaded from OGC API items with a CQL2 filter,
//   which works for every role (the public sees the public ones, staff also the personal ones)
//   and is not cut at the panel's limit or scope; afterwards every change on the live stream
//   updates it. Each incident's `revision` (+1 per step) orders what the screen hears: a load or a
//   message never moves an incident back to an older revision, so the order in which an item
//   load, a transition's answer and a live message arrive does not matter;
// - the side list is the server's panel (its order: pinned, overdue, key people, urgent, oldest),
//   fetched again, debounced, when the stream reports a change to events;
// - "acknowledged by me" comes from the panel's `acknowledged` flag, from `acked_by` (staff see
//   it) compared with the signed-in subject, and from the user's own acknowledge: an incident
//   acknowledged here stops flashing on this screen only, as other users are other subjects.
import { api, who, token, store, claims, transformRequest } from './auth.js';

// One toggle every 500 ms: one flash (a bright and a dim phase) per second. WCAG 2.3.1 (three
// flashes or below threshold) allows at most three flashes in any one second.
export const FLASH_MS = 500;
const BRIGHT = 0.9;
const DIM = 0.12;

const OPEN = (s) => s !== 'closed' && s !== 'rejected';
const STATES = ['reported', 'dispatched', 'accepted', 'on_site', 'resolved', 'verified', 'closed', 'escalated', 'rejected'];
const OPEN_STATES = STATES.filter(OPEN);

export const STATUS_LABELS = {
  reported: '已上报', dispatched: '已派遣', accepted: '已受理', on_site: '已到场', resolved: '已办结',
  verified: '已核实', closed: '已关闭', escalated: '已上报部门', rejected: '已驳回',
};
const ACTION_LABELS = {
  dispatch: '派遣', accept: '受理', arrive: '到场', resolve: '办结', verify: '核实', close: '关闭',
  escalate: '上报部门', return: '退回', reject: '驳回', pin: '置顶', unpin: '取消置顶', acknowledge: '确认告警',
  report: '上报', overdue: '超时', generated: '历史导入',
};
export const CATEGORY_LABELS = {
  garbage_pileup: '垃圾堆积', road_damage: '道路破损', illegal_parking: '违章停车', noise_complaint: '噪音扰民',
  neighbour_dispute: '邻里纠纷', street_light_out: '路灯故障', manhole_cover: '井盖破损', water_leak: '漏水',
  elderly_care_request: '养老求助', unlicensed_vendor: '占道经营', fire_hazard: '消防隐患',
  illegal_construction: '违法建设', business_licence: '证照办理', wage_arrears: '欠薪',
  party_service_request: '党群服务', volunteer_activity: '志愿活动', wristband_alarm: '手环告警',
};
export const FORCE_ROLE_LABELS = {
  grid_worker: '专职网格员', part_timer: '兼职网格员', police: '民警', utility: '水电气', party_member: '党员',
  volunteer: '志愿者', clinic_doctor: '社区医生',
};
const DEPARTMENTS = [['police', '公安'], ['urban_management', '城管'], ['utilities', '水电气']];
const TOKEN_ROLES = {
  commander: '指挥员', admin: '管理员', grid_worker: '网格员', police: '公安', urban_management: '城管',
  utilities: '水电气', reporter: '上报系统', planner: '规划员', analyst: '分析员', public: '公众',
};

// The loop's table (server: incidents/Lifecycle.STEPS), to offer only the buttons that apply; the
// server decides anyway and its 403/409 is shown when the screen was wrong or out of date.
const STEPS = [
  ['dispatch', ['reported'], ['command']],
  ['accept', ['dispatched'], ['assignee', 'command']],
  ['accept', ['escalated'], ['department']],
  ['arrive', ['accepted'], ['assignee', 'department', 'command']],
  ['resolve', ['accepted', 'on_site'], ['assignee', 'department', 'command']],
  ['verify', ['resolved'], ['command']],
  ['close', ['verified'], ['command']],
  ['escalate', ['reported', 'dispatched', 'accepted', 'on_site'], ['assignee', 'command']],
  ['return', ['dispatched'], ['assignee', 'command']],
  ['return', ['escalated'], ['department', 'command']],
  ['return', ['resolved'], ['command']],
  ['reject', ['reported', 'dispatched'], ['command']],
  ['pin', OPEN_STATES, ['command']],
  ['unpin', OPEN_STATES, ['command']],
  ['acknowledge', STATES, ['command', 'department']],
];

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};
const timeFmt = new Intl.DateTimeFormat('zh-CN', {
  month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const when = (iso) => (iso ? timeFmt.format(new Date(iso)) : '');
const itemUrl = (id) => `../collections/events/items/${id}`;

/** What the caller is to an incident (server: Lifecycle.standing). */
function standing(me, p) {
  const out = new Set();
  if (!me || !String(p.grid_code || '').startsWith(me.scope)) return out;
  if (me.role === 'commander' || me.role === 'admin') out.add('command');
  if (me.role === 'grid_worker' && p.assignee_id != null && String(p.assignee_id) === me.subject) out.add('assignee');
  if (p.department && p.department === me.role) out.add('department');
  return out;
}

/** The actions the caller may take on an incident now, in the table's order, each once. */
function actionsFor(me, p, ackedByMe) {
  const mine = standing(me, p);
  const out = [];
  for (const [action, from, whoMay] of STEPS) {
    if (!from.includes(p.status) || !whoMay.some((w) => mine.has(w)) || out.includes(action)) continue;
    if (action === 'pin' && p.pinned) continue;
    if (action === 'unpin' && !p.pinned) continue;
    if (action === 'acknowledge' && ackedByMe) continue;
    out.push(action);
  }
  return out;
}

/** `responders` of an incident ("force_id:metres ..."), nearest first as the server wrote them. */
function parseResponders(text) {
  return String(text || '').split(/\s+/).filter(Boolean).map((pair) => {
    const [id, metres] = pair.split(':');
    return { id: Number(id), metres: Number(metres) };
  }).filter((r) => Number.isSafeInteger(r.id));
}

/**
 * Starts the screen on a loaded map. `options.pulse` false keeps alarms steady (tests and
 * screenshots want a map that goes idle); prefers-reduced-motion does the same.
 */
export function setUpIncidents(map, { pulse = true } = {}) {
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  const S = {
    me: who(),
    rev: new Map(), // id -> newest revision heard of
    alarms: new Map(), // id -> {id, coordinates, category, status, grid_code, seq}
    acked: new Set(), // ids the signed-in caller acknowledged
    heard: new Map(), // id -> when (Date.now()) the stream first brought it as an alarm
    cred: 0, // +1 at each sign-in or sign-out: reads begun before are dropped
    seq: 0, // live changes applied so far (a load keeps alarms added after it started)
    panel: { open: 0, items: [], problem: null, loaded: false },
    selected: null,
    selectSeq: 0,
    draft: { note: '', department: 'police' },
    live: { socket: null, gen: 0, connected: false, delay: 1000, messages: 0, visibility: null, subscribed: 0 },
    flash: { on: true, timer: 0, toggles: 0, drawnAt: -Infinity, drawn: [], pending: false },
    loads: 0,
  };
  let resolveFirstLoad;
  const firstLoad = new Promise((r) => { resolveFirstLoad = r; });

  // ---- the overlay: alarms, the selected incident, its people ----------------------------------

  function addOverlay() {
    if (map.getSource('gm-alarms')) return;
    const urgent = map.getStyle()?.metadata?.['gridmap:urgent-colour'] || '#ff3d00';
    const empty = { type: 'FeatureCollection', features: [] };
    map.addSource('gm-alarms', { type: 'geojson', data: empty });
    map.addSource('gm-people', { type: 'geojson', data: empty });
    map.addSource('gm-selected', { type: 'geojson', data: empty });
    const byZoom = (...stops) => ['interpolate', ['linear'], ['zoom'], ...stops];
    map.addLayer({
      id: 'gm-people-lines', type: 'line', source: 'gm-people', filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#5cc8ff', 'line-width': 2, 'line-dasharray': [2, 1.5], 'line-opacity': 0.9 },
    });
    map.addLayer({
      id: 'gm-people-points', type: 'circle', source: 'gm-people', filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-color': ['match', ['get', 'kind'], 'assignee', '#ffd54f', '#5cc8ff'],
        'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'gm-people-labels', type: 'symbol', source: 'gm-people', filter: ['==', ['geometry-type'], 'Point'],
      layout: {
        'text-field': ['get', 'label'], 'text-font': ['Noto Sans SC Regular'], 'text-size': 12,
        'text-offset': [0, 1.3], 'text-anchor': 'top', 'text-allow-overlap': false,
      },
      paint: { 'text-color': '#ffffff', 'text-halo-color': '#07111c', 'text-halo-width': 1.5 },
    });
    // every open urgent incident: a steady ring (what an acknowledged one keeps)
    map.addLayer({
      id: 'gm-alarm-steady', type: 'circle', source: 'gm-alarms',
      paint: {
        'circle-color': urgent, 'circle-opacity': 0.25, 'circle-radius': byZoom(8, 8, 14, 13, 18, 18),
        'circle-stroke-color': urgent, 'circle-stroke-width': 2.5, 'circle-stroke-opacity': 1,
      },
    });
    // the flashing ones: opacity toggled by the timer below
    map.addLayer({
      id: 'gm-alarm-flash', type: 'circle', source: 'gm-alarms', filter: ['==', ['get', 'flash'], true],
      paint: {
        'circle-color': urgent, 'circle-opacity': BRIGHT, 'circle-radius': byZoom(8, 11, 14, 18, 18, 24),
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-stroke-opacity': BRIGHT,
        // a change is one frame, not a 300 ms fade (MapLibre's default): the map repaints once per
        // toggle and is idle in between
        'circle-opacity-transition': { duration: 0, delay: 0 },
        'circle-stroke-opacity-transition': { duration: 0, delay: 0 },
      },
    });
    map.addLayer({
      id: 'gm-selected-incident', type: 'circle', source: 'gm-selected',
      paint: {
        'circle-opacity': 0, 'circle-radius': byZoom(8, 14, 14, 22, 18, 28),
        'circle-stroke-color': '#00e5ff', 'circle-stroke-width': 3,
      },
    });
    S.flash.on = true; // the layer starts bright: a new style (theme switch) starts the phase again
    S.flash.pending = false;
    renderOverlay();
    drawSelected();
  }

  let overlayQueued = false;
  function scheduleOverlay() {
    if (overlayQueued) return;
    overlayQueued = true;
    // one setData per burst of changes; a timeout, not requestAnimationFrame, which a hidden tab
    // never runs (the overlay must be current when the tab is shown again)
    setTimeout(() => {
      overlayQueued = false;
      renderOverlay();
    }, 0);
  }

  function renderOverlay() {
    const src = map.getSource('gm-alarms');
    if (!src) return;
    const features = [];
    for (const a of S.alarms.values()) {
      features.push({
        type: 'Feature', id: a.id, geometry: { type: 'Point', coordinates: a.coordinates },
        properties: { id: a.id, flash: !S.acked.has(a.id), category: a.category, status: a.status },
      });
    }
    src.setData({ type: 'FeatureCollection', features });
    updateFlashing();
  }

  function steady() {
    return !pulse || reduced.matches;
  }

  /** Runs the timer only while something flashes and motion is wanted; else a steady highlight. */
  function updateFlashing() {
    let any = false;
    for (const id of S.alarms.keys()) {
      if (!S.acked.has(id)) {
        any = true;
        break;
      }
    }
    if (any && !steady()) {
      if (!S.flash.timer) S.flash.timer = setTimeout(toggle, FLASH_MS);
    } else if (S.flash.timer) {
      clearTimeout(S.flash.timer);
      S.flash.timer = 0;
      if (!S.flash.on) setFlashOpacity(true);
    }
  }

  function setFlashOpacity(on) {
    S.flash.on = on;
    if (!map.getLayer('gm-alarm-flash')) return;
    map.setPaintProperty('gm-alarm-flash', 'circle-opacity', on ? BRIGHT : DIM);
    map.setPaintProperty('gm-alarm-flash', 'circle-stroke-opacity', on ? BRIGHT : DIM);
    // when the change reached the screen: the next may come FLASH_MS after that, not before
    S.flash.pending = true;
    map.once('render', () => {
      S.flash.pending = false;
      S.flash.drawnAt = performance.now();
      S.flash.drawn.push(S.flash.drawnAt);
      if (S.flash.drawn.length > 64) S.flash.drawn.shift();
    });
  }

  /**
   * One phase change. Timed from when the previous change was drawn, never from when it was asked
   * for: a busy page that draws a change late must not draw the next one early, so the screen
   * shows at most one change per FLASH_MS however the timers and frames bunch up (a setInterval
   * fires a late tick and the next on schedule, 100 ms apart).
   */
  function toggle() {
    S.flash.timer = 0;
    const wait = S.flash.drawnAt + FLASH_MS - performance.now();
    if (document.hidden || S.flash.pending || wait > 0) {
      // hidden: nobody is looking (the browser throttles timers there anyway); pending: the last
      // change is not on the screen yet
      S.flash.timer = setTimeout(toggle, Math.max(wait, FLASH_MS / 5));
      return;
    }
    S.flash.toggles++;
    setFlashOpacity(!S.flash.on);
    S.flash.timer = setTimeout(toggle, FLASH_MS);
  }
  reduced.addEventListener('change', updateFlashing);

  function drawSelected() {
    const sel = S.selected;
    const f = sel?.feature;
    map.getSource('gm-selected')?.setData({
      type: 'FeatureCollection',
      features: f?.geometry ? [{ type: 'Feature', id: sel.id, geometry: f.geometry, properties: {} }] : [],
    });
    const people = [];
    if (f?.geometry) {
      const from = f.geometry.coordinates;
      const drawn = new Set();
      for (const p of [...(sel.responders || []), sel.assignee]) {
        if (!p?.coordinates || drawn.has(p.id)) continue;
        drawn.add(p.id);
        const label = `${p.name || FORCE_ROLE_LABELS[p.role] || p.role || ''}${p.metres != null ? ` ${Math.round(p.metres)} m` : ''}`;
        people.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [from, p.coordinates] }, properties: { kind: p.kind } });
        people.push({ type: 'Feature', id: p.id, geometry: { type: 'Point', coordinates: p.coordinates }, properties: { kind: p.kind, id: p.id, label } });
      }
    }
    map.getSource('gm-people')?.setData({ type: 'FeatureCollection', features: people });
  }

  // ---- what the screen hears: loads, answers and live messages ---------------------------------

  /**
   * Takes one incident as GeoJSON (an item, a transition's answer, a live message's feature).
   * Returns false when it is older than what the screen already knows.
   */
  function take(f, fromLive = false) {
    const id = Number(f.id);
    const p = f.properties || {};
    const r = Number(p.revision ?? 0);
    const known = S.rev.get(id);
    if (known != null && r < known) return false;
    S.rev.set(id, r);
    if (S.me && Object.prototype.hasOwnProperty.call(p, 'acked_by')) {
      const by = String(p.acked_by || '').split(' ');
      if (by.includes(S.me.subject)) S.acked.add(id);
      else S.acked.delete(id);
    }
    const alarm = f.in_area !== false && p.urgency === 'urgent' && OPEN(p.status) && f.geometry;
    const had = S.alarms.has(id);
    if (alarm) {
      S.alarms.set(id, {
        id, coordinates: f.geometry.coordinates, category: p.category, status: p.status,
        grid_code: p.grid_code, seq: had && !fromLive ? S.alarms.get(id).seq : S.seq,
      });
      if (!had && fromLive) S.heard.set(id, Date.now());
      if (!had && fromLive) announce(`新紧急告警：${CATEGORY_LABELS[p.category] || p.category}，网格 ${p.grid_code || ''}，${STATUS_LABELS[p.status] || p.status}`);
    } else {
      S.alarms.delete(id);
    }
    return true;
  }

  function announce(text) {
    const box = $('alarm-announce');
    if (!box) return;
    // a fresh text node each time, so that a screen reader announces a repeated message too
    box.replaceChildren(document.createTextNode(text));
  }

  /** Reads the open urgent incidents again (at start and after each (re)subscription). */
  async function loadAlarms() {
    const started = S.seq;
    const cred = S.cred;
    const filter = "urgency = 'urgent' AND status NOT IN ('closed','rejected')";
    let url = `../collections/events/items?limit=10000&filter=${encodeURIComponent(filter)}`;
    const seen = new Set();
    for (let page = 0; url && page < 20; page++) {
      const res = await api(url);
      if (cred !== S.cred) return; // signed in or out meanwhile: the new class reads its own
      if (!res.ok) {
        setLiveText(`告警读取失败：${res.problem}`);
        return;
      }
      for (const f of res.body.features || []) {
        seen.add(Number(f.id));
        take(f);
      }
      const next = (res.body.links || []).find((l) => l.rel === 'next');
      url = next ? next.href : null;
    }
    // gone from the list: closed, rejected or (signed out) personal; unless the stream added it
    // after this load started
    for (const [id, a] of S.alarms) {
      if (!seen.has(id) && a.seq <= started) S.alarms.delete(id);
    }
    S.loads++;
    scheduleOverlay();
  }

  async function loadPanel() {
    if (!S.me) {
      S.panel = { open: 0, items: [], problem: null, loaded: false };
      renderPanel();
      return;
    }
    const cred = S.cred;
    const res = await api('../incidents/panel?limit=200');
    if (cred !== S.cred) return;
    if (!res.ok) {
      S.panel.problem = res.problem;
      if (res.status === 401) signOut(`登录已失效：${res.problem}`);
      renderPanel();
      return;
    }
    for (const it of res.body.items) {
      if (it.acknowledged) S.acked.add(it.id);
    }
    S.panel = { open: res.body.open, unit: res.body.unit, items: res.body.items, problem: null, loaded: true };
    renderPanel();
    scheduleOverlay();
  }

  // The panel is read again after a change in the caller's scope: 300 ms after the first change
  // (a burst costs one read), and at most once per 2 s however busy the stream is (the server
  // walks every incident for each read).
  let panelTimer = 0;
  let panelReadAt = -Infinity;
  function schedulePanel() {
    if (!S.me || panelTimer) return;
    const wait = Math.max(300, panelReadAt + 2000 - performance.now());
    panelTimer = setTimeout(() => {
      panelTimer = 0;
      panelReadAt = performance.now();
      loadPanel();
    }, wait);
  }

  async function resync() {
    await Promise.all([loadAlarms(), loadPanel()]);
    if (S.selected) refreshSelected();
    resolveFirstLoad();
  }

  // ---- the live stream -------------------------------------------------------------------------

  function setLiveText(text, ok) {
    const box = $('live-state');
    if (!box) return;
    box.textContent = text;
    box.classList.toggle('gm-live-ok', Boolean(ok));
  }

  function connect() {
    const gen = ++S.live.gen;
    const old = S.live.socket;
    S.live.socket = null;
    S.live.connected = false;
    if (old) {
      old.onclose = null;
      old.close(1000, 'signed in or out');
    }
    const retry = () => {
      if (gen !== S.live.gen) return;
      setLiveText(`实时连接中断，${Math.round(S.live.delay / 1000)} 秒后重连`);
      setTimeout(() => { if (gen === S.live.gen) connect(); }, S.live.delay);
      S.live.delay = Math.min(S.live.delay * 2, 30_000);
    };
    (async () => {
      const url = new URL('../live/ws', location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('layers', 'events');
      if (token()) {
        // a browser cannot send Authorization on a WebSocket: a one-time ticket stands for it
        const t = await api('../live/tickets', { method: 'POST' });
        if (gen !== S.live.gen) return;
        if (!t.ok) {
          if (t.status === 401) signOut(`登录已失效：${t.problem}`);
          else retry();
          return;
        }
        url.searchParams.set('ticket', t.body.ticket);
      }
      const ws = new WebSocket(url);
      S.live.socket = ws;
      ws.onmessage = (m) => {
        if (gen !== S.live.gen) return;
        let msg;
        try {
          msg = JSON.parse(m.data);
        } catch {
          return;
        }
        onLive(msg);
      };
      ws.onclose = () => {
        if (gen !== S.live.gen) return;
        S.live.connected = false;
        retry();
      };
    })();
  }

  function onLive(msg) {
    if (msg.type === 'subscribed') {
      S.live.connected = true;
      S.live.visibility = msg.visibility;
      S.live.delay = 1000;
      S.live.subscribed++;
      setLiveText(msg.visibility === 'staff' ? '实时 · 工作人员' : '实时 · 公众', true);
      // what happened while not subscribed (or before the first subscription) is read again
      resync();
      return;
    }
    if (msg.type !== 'FeatureCollection') {
      resync(); // a message this screen does not know (e.g. "reload"): read everything again
      return;
    }
    if (msg.layer !== 'events') return;
    S.live.messages++;
    S.seq++;
    let selectedChanged = false;
    let inScope = false;
    for (const f of msg.features || []) {
      if (take(f, true) && S.selected && Number(f.id) === S.selected.id) selectedChanged = true;
      if (S.me && String(f.properties?.grid_code || '').startsWith(S.me.scope)) inScope = true;
    }
    scheduleOverlay();
    if (inScope) schedulePanel();
    if (selectedChanged) scheduleSelectedRefresh();
  }

  // ---- the side list ---------------------------------------------------------------------------

  function renderPanel() {
    const list = $('alarm-list');
    const hint = $('panel-hint');
    if (!list) return;
    const focused = document.activeElement?.closest?.('#alarm-list li')?.dataset.id;
    const frag = document.createDocumentFragment();
    const items = S.panel.items.filter((i) => i.pinned || i.overdue || i.urgency === 'urgent' || i.key_person);
    for (const it of items) {
      const li = el('li');
      li.dataset.id = String(it.id);
      const flashing = it.urgency === 'urgent' && !S.acked.has(it.id);
      li.classList.toggle('gm-overdue', Boolean(it.overdue));
      li.classList.toggle('gm-pinned', Boolean(it.pinned));
      li.classList.toggle('gm-urgent', it.urgency === 'urgent');
      li.classList.toggle('gm-flashing', flashing);
      li.classList.toggle('gm-acked', S.acked.has(it.id));
      li.classList.toggle('gm-current', S.selected?.id === it.id);
      const b = el('button', 'gm-alarm');
      b.type = 'button';
      if (S.selected?.id === it.id) b.setAttribute('aria-current', 'true');
      const top = el('span', 'gm-alarm-top');
      top.append(el('span', 'gm-dot'));
      if (it.overdue) top.append(el('span', 'gm-tag gm-tag-overdue', '超时'));
      if (it.pinned) top.append(el('span', 'gm-tag gm-tag-pinned', '置顶'));
      if (it.key_person) top.append(el('span', 'gm-tag gm-tag-key', '重点人员'));
      if (it.urgency === 'urgent') top.append(el('span', 'gm-tag gm-tag-urgent', '紧急'));
      top.append(el('b', null, CATEGORY_LABELS[it.category] || it.category));
      const sub = el('span', 'gm-alarm-sub',
        `${STATUS_LABELS[it.status] || it.status} · ${when(it.reported_at)} · ${it.grid_code}${S.acked.has(it.id) ? ' · 已确认' : ''}`);
      b.append(top, sub);
      b.addEventListener('click', () => select(it.id, { fly: true, focus: true }));
      li.append(b);
      frag.append(li);
    }
    list.replaceChildren(frag);
    $('alarm-count').textContent = S.panel.loaded ? `${items.length} / 未结 ${S.panel.open}` : '';
    if (!S.me) hint.textContent = '登录后显示本辖区的置顶、超时与紧急事件；地图上的紧急告警对所有人闪烁。';
    else if (S.panel.problem) hint.textContent = S.panel.problem;
    else if (S.panel.loaded && !items.length) hint.textContent = '本辖区没有置顶、超时或紧急的未结事件。';
    else hint.textContent = '';
    if (focused) list.querySelector(`li[data-id="${focused}"] button`)?.focus();
  }

  // ---- the detail pane -------------------------------------------------------------------------

  /**
   * Opens (or reads again) an incident's pane. `fly` moves the map to it and its people; `focus`
   * moves the keyboard focus to the pane's title (a user's choice, never a live refresh).
   */
  async function select(id, { fly = false, focus = false } = {}) {
    id = Number(id);
    const seq = ++S.selectSeq;
    // read again: the pane keeps showing what it has until the new version is in (no flicker)
    const prev = S.selected?.id === id && S.selected.feature ? S.selected : null;
    if (!prev) {
      S.draft.note = '';
      S.selected = { id, loading: true, message: null };
      renderDetail();
      renderPanel();
    }
    const [item, hist] = await Promise.all([api(itemUrl(id)), api(`${itemUrl(id)}/transitions`)]);
    if (seq !== S.selectSeq) return;
    if (!item.ok) {
      S.selected = { id, problem: item.problem };
      renderDetail();
      drawSelected();
      return;
    }
    take(item.body);
    scheduleOverlay();
    const sel = {
      id, etag: item.etag, feature: item.body, message: S.selected?.message ?? null,
      history: hist.ok ? hist.body.transitions : [], historyProblem: hist.ok ? null : hist.problem,
      assignee: prev?.assignee ?? null, responders: prev?.responders ?? [], peopleLoading: true,
      busy: prev?.busy ?? null,
    };
    S.selected = sel;
    renderDetail();
    drawSelected();
    if (focus) $('detail-title')?.focus();
    if (fly) flyTo(sel, false);
    await loadPeople(sel, seq);
    if (fly) flyTo(sel, true);
  }

  /** The assignee and the responders: their forces, for names, roles and where they are. */
  async function loadPeople(sel, seq) {
    const p = sel.feature.properties;
    const responders = parseResponders(p.responders);
    const ids = [...new Set([p.assignee_id, ...responders.map((r) => r.id)].filter((x) => x != null))];
    const forces = new Map();
    await Promise.all(ids.map(async (fid) => {
      const r = await api(`../collections/forces/items/${fid}`);
      if (r.ok) forces.set(Number(fid), r.body);
    }));
    if (seq !== S.selectSeq) return;
    const person = (fid, kind, metres) => {
      const f = forces.get(Number(fid));
      return {
        id: Number(fid), kind, metres, role: f?.properties.role, name: f?.properties.name,
        onDuty: f?.properties.on_duty, coordinates: f?.geometry?.coordinates,
      };
    };
    sel.assignee = p.assignee_id != null ? person(p.assignee_id, 'assignee', null) : null;
    // the grid's worker is often also the nearest responder: drawn once, as the assignee
    sel.responders = responders.map((r) => person(r.id, Number(r.id) === Number(p.assignee_id) ? 'assignee' : 'responder', r.metres));
    sel.peopleLoading = false;
    renderDetail();
    drawSelected();
  }

  function flyTo(sel, withPeople) {
    const c = sel.feature.geometry?.coordinates;
    if (!c) return;
    const points = [c, ...(withPeople ? [sel.assignee, ...sel.responders].filter((x) => x?.coordinates).map((x) => x.coordinates) : [])];
    if (points.length === 1) {
      map.easeTo({ center: c, zoom: Math.max(map.getZoom(), 14), duration: 600 });
      return;
    }
    const lons = points.map((x) => x[0]);
    const lats = points.map((x) => x[1]);
    map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
      { padding: 80, maxZoom: 16, duration: 600 });
  }

  let selectedTimer = 0;
  function scheduleSelectedRefresh() {
    clearTimeout(selectedTimer);
    selectedTimer = setTimeout(refreshSelected, 250);
  }

  function refreshSelected() {
    if (S.selected) select(S.selected.id);
  }

  function closeDetail() {
    S.selectSeq++;
    S.selected = null;
    renderDetail();
    renderPanel();
    drawSelected();
  }

  function renderDetail() {
    const box = $('incident-detail');
    if (!box) return;
    const sel = S.selected;
    box.hidden = !sel;
    if (!sel) {
      box.replaceChildren();
      return;
    }
    // the pane is rebuilt on every change; whoever had the focus in it gets it back (a note being
    // typed keeps its caret)
    const active = document.activeElement;
    const refocus = active && box.contains(active)
      ? (active.dataset.action ? `[data-action="${active.dataset.action}"]` : active.id ? `#${active.id}` : null)
      : null;
    const caret = active?.id === 'action-note' ? [active.selectionStart, active.selectionEnd] : null;
    const frag = document.createDocumentFragment();
    const head = el('div', 'gm-detail-head');
    const f = sel.feature;
    const p = f?.properties || {};
    const title = el('h2', null, f ? `${CATEGORY_LABELS[p.category] || p.category} #${sel.id}` : `事件 #${sel.id}`);
    title.id = 'detail-title';
    title.tabIndex = -1;
    const close = el('button', 'gm-close', '×');
    close.type = 'button';
    close.id = 'detail-close';
    close.setAttribute('aria-label', '关闭事件详情');
    close.addEventListener('click', closeDetail);
    head.append(title, close);
    frag.append(head);
    if (sel.loading && !f) frag.append(el('p', 'gm-hint', '读取中…'));
    if (sel.problem) frag.append(el('p', 'gm-msg gm-msg-error', sel.problem));
    if (f) {
      const flashing = S.alarms.has(sel.id) && !S.acked.has(sel.id);
      const state = el('p', 'gm-detail-state');
      const badge = el('span', `gm-state gm-state-${p.status}`, STATUS_LABELS[p.status] || p.status);
      badge.id = 'detail-status';
      badge.dataset.status = p.status;
      state.append(badge);
      if (p.urgency === 'urgent') state.append(el('span', 'gm-tag gm-tag-urgent', '紧急'));
      if (p.overdue) state.append(el('span', 'gm-tag gm-tag-overdue', '超时'));
      if (p.pinned) state.append(el('span', 'gm-tag gm-tag-pinned', '置顶'));
      if (S.acked.has(sel.id)) state.append(el('span', 'gm-tag', '已确认'));
      else if (flashing) state.append(el('span', 'gm-tag gm-tag-flash', '告警中'));
      frag.append(state);

      const dl = el('dl', 'gm-detail-fields');
      const row = (k, v) => {
        if (v == null || v === '') return;
        dl.append(el('dt', null, k), el('dd', null, String(v)));
      };
      row('上报时间', when(p.reported_at));
      row('处理时限', p.due_at ? when(p.due_at) : null);
      row('网格', p.grid_code);
      row('部门', DEPARTMENTS.find(([c]) => c === p.department)?.[1] || p.department);
      row('描述', p.description);
      row('上报人', p.reporter);
      row('来源', p.source);
      row('重复于', p.duplicate_of != null ? `#${p.duplicate_of}` : null);
      frag.append(dl);

      frag.append(el('h3', null, '处置人员'));
      const a = sel.assignee;
      const assignee = el('p', 'gm-person');
      assignee.id = 'detail-assignee';
      if (p.assignee_id == null) assignee.textContent = '未指派';
      else if (!a) assignee.textContent = `#${p.assignee_id}（读取中）`;
      else {
        assignee.dataset.id = String(a.id);
        assignee.textContent = `${a.name || ''} ${FORCE_ROLE_LABELS[a.role] || a.role || ''} #${a.id}${a.onDuty === false ? '（不在岗）' : ''}`.trim();
      }
      frag.append(assignee);

      const rs = sel.responders || [];
      const rcount = parseResponders(p.responders).length;
      if (rcount || rs.length) {
        frag.append(el('h3', null, `就近力量（${rcount}）`));
        const ol = el('ol', 'gm-responders');
        ol.id = 'detail-responders';
        for (const r of rs) {
          const li = el('li', null, `${r.name || ''} ${FORCE_ROLE_LABELS[r.role] || r.role || ''} · ${Math.round(r.metres)} m`.trim());
          li.dataset.id = String(r.id);
          ol.append(li);
        }
        frag.append(ol);
      }

      frag.append(actionsBlock(sel, p));

      frag.append(el('h3', null, '流转记录'));
      if (sel.historyProblem) frag.append(el('p', 'gm-msg gm-msg-error', sel.historyProblem));
      const hist = el('ol', 'gm-history');
      hist.id = 'detail-history';
      for (const h of sel.history || []) {
        const li = el('li');
        li.dataset.status = h.status;
        li.append(el('time', null, when(h.at)), el('b', null, STATUS_LABELS[h.status] || h.status));
        const act = h.action ? (ACTION_LABELS[h.action] || h.action) : '';
        const by = [act, h.actor].filter(Boolean).join(' · ');
        if (by) li.append(el('span', 'gm-history-by', by));
        if (h.note) li.append(el('span', 'gm-history-note', h.note));
        hist.append(li);
      }
      frag.append(hist);
      const link = el('a', 'gm-item-link', 'GeoJSON');
      link.href = new URL(itemUrl(sel.id), location.href).href;
      link.target = '_blank';
      link.rel = 'noopener';
      frag.append(link);
    }
    box.replaceChildren(frag);
    if (refocus) {
      const again = box.querySelector(refocus);
      again?.focus();
      if (caret && again?.setSelectionRange) again.setSelectionRange(caret[0], caret[1]);
    }
  }

  function actionsBlock(sel, p) {
    const wrap = el('div', 'gm-actions');
    const msg = el('p', 'gm-msg');
    msg.id = 'detail-message';
    msg.setAttribute('role', 'alert');
    if (sel.message) {
      msg.textContent = sel.message.text;
      msg.classList.add(sel.message.kind === 'error' ? 'gm-msg-error' : 'gm-msg-ok');
      if (sel.message.status) msg.dataset.status = String(sel.message.status);
    }
    const actions = actionsFor(S.me, p, S.acked.has(sel.id));
    if (!S.me) {
      wrap.append(el('p', 'gm-hint', '登录后可处置（派遣、上报部门、确认、关闭）。'), msg);
      return wrap;
    }
    if (!actions.length) {
      wrap.append(el('p', 'gm-hint', `${TOKEN_ROLES[S.me.role] || S.me.role}在此状态下没有可执行的操作。`), msg);
      return wrap;
    }
    wrap.append(el('h3', null, '处置'));
    const note = el('textarea');
    note.id = 'action-note';
    note.rows = 2;
    note.maxLength = 2000;
    note.placeholder = '说明（驳回时必填）';
    note.setAttribute('aria-label', '处置说明');
    note.value = S.draft.note;
    note.addEventListener('input', () => { S.draft.note = note.value; });
    wrap.append(note);
    if (actions.includes('escalate')) {
      const label = el('label', 'gm-dept', '上报至 ');
      const select = el('select');
      select.id = 'action-department';
      for (const [code, name] of DEPARTMENTS) {
        const o = el('option', null, name);
        o.value = code;
        select.append(o);
      }
      select.value = S.draft.department;
      select.addEventListener('change', () => { S.draft.department = select.value; });
      label.append(select);
      wrap.append(label);
    }
    const buttons = el('div', 'gm-action-buttons');
    for (const action of actions) {
      const b = el('button', `gm-action gm-action-${action}`, sel.busy === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]);
      b.type = 'button';
      b.dataset.action = action;
      b.disabled = Boolean(sel.busy) || !sel.etag;
      b.addEventListener('click', () => act(action));
      buttons.append(b);
    }
    wrap.append(buttons, msg);
    return wrap;
  }

  async function act(action) {
    const sel = S.selected;
    if (!sel?.feature || sel.busy) return;
    const body = { action };
    const note = S.draft.note.trim();
    if (note) body.note = note;
    if (action === 'escalate') body.department = S.draft.department;
    if (action === 'reject' && !note) {
      sel.message = { kind: 'error', text: '驳回须填写说明。' };
      renderDetail();
      $('action-note')?.focus();
      return;
    }
    sel.busy = action;
    sel.message = null;
    renderDetail();
    // If-Match: the ETag this screen last saw. When someone moved the incident first the server
    // answers 412 and nothing is written; the pane then shows their change.
    const res = await api(`${itemUrl(sel.id)}/transitions`, { method: 'POST', json: body, headers: { 'If-Match': sel.etag } });
    if (res.ok) {
      if (action === 'acknowledge') S.acked.add(sel.id);
      take(res.body);
      scheduleOverlay();
      schedulePanel();
      renderPanel(); // the acknowledged mark at once
    }
    // the pane may have been read again meanwhile (a live change): the answer goes to the pane
    // showing this incident now, or nowhere if the user moved on
    const cur = S.selected?.id === sel.id ? S.selected : null;
    sel.busy = null;
    if (!cur) return;
    cur.busy = null;
    if (res.ok) {
      if (Number(res.body.properties?.revision) >= Number(cur.feature?.properties?.revision ?? 0)) {
        cur.etag = res.etag || cur.etag;
        cur.feature = res.body;
      }
      S.draft.note = '';
      const status = res.body.properties?.status;
      cur.message = { kind: 'ok', text: `已${ACTION_LABELS[action]}：${STATUS_LABELS[status] || status}` };
      renderDetail();
      refreshSelected(); // the history gains the step
    } else {
      let text = res.problem;
      if (res.status === 412) text += '。此事件已被他人更新，未执行本次操作；已重新读取最新状态，请确认后再操作。';
      else if (res.status === 409) text += '。已重新读取最新状态。';
      cur.message = { kind: 'error', text, status: res.status };
      renderDetail();
      if (res.status === 412 || res.status === 409) refreshSelected();
    }
  }

  /** A click on the map: the incident under it, from the alarms overlay or the tiles. */
  function pick(features) {
    for (const f of features) {
      const single = f.source === 'gm-alarms' || (f.source === 'cq' && f.sourceLayer === 'events' && Number(f.properties?.count || 0) <= 1);
      if (single && Number.isSafeInteger(Number(f.id))) {
        select(Number(f.id), { focus: true });
        return true;
      }
    }
    return false;
  }

  // ---- signing in ------------------------------------------------------------------------------

  function renderAccount() {
    const me = S.me;
    $('signin-toggle').hidden = Boolean(me);
    $('signout').hidden = !me;
    const whoBox = $('who');
    whoBox.hidden = !me;
    whoBox.textContent = me ? `${TOKEN_ROLES[me.role] || me.role} · ${me.scope || '全市'} · ${me.subject}` : '';
    if (me) $('signin-form').hidden = true;
    $('signin-toggle').setAttribute('aria-expanded', String(!$('signin-form').hidden));
  }

  /** Everything the token changes: tiles of the staff class, the stream, the lists. */
  function applyCredentials() {
    S.cred++;
    S.me = who();
    // nothing read in the old class stays on the screen (signing out must not leave personal
    // alarms or a key person's pane behind); the new subscription reads it all again
    S.acked.clear();
    S.rev.clear();
    S.alarms.clear();
    S.panel = { open: 0, items: [], problem: null, loaded: false };
    scheduleOverlay();
    if (S.selected) closeDetail();
    map.setTransformRequest(transformRequest);
    map.refreshTiles('cq');
    renderAccount();
    renderPanel();
    S.live.delay = 1000;
    connect();
  }

  function signOut(message) {
    store('');
    applyCredentials();
    if (message) {
      $('signin-form').hidden = false;
      $('signin-msg').textContent = message;
      renderAccount();
    }
  }

  function setUpAccount() {
    const form = $('signin-form');
    const input = $('token-input');
    const msg = $('signin-msg');
    $('signin-toggle').addEventListener('click', () => {
      form.hidden = !form.hidden;
      renderAccount();
      if (!form.hidden) input.focus();
    });
    $('signout').addEventListener('click', () => signOut());
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        form.hidden = true;
        renderAccount();
        $('signin-toggle').focus();
      }
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const t = input.value.trim().replace(/^Bearer\s+/i, '');
      const c = claims(t);
      if (!c) {
        msg.textContent = '这不是本服务器签发的令牌（应为 ./mapserver token 输出的三段式 JWT）。';
        return;
      }
      if (c.expires && c.expires < new Date()) {
        msg.textContent = `令牌已于 ${c.expires.toLocaleString('zh-CN')} 过期。`;
        return;
      }
      // the server is the judge: one authenticated read before the token is kept
      const previous = token();
      store(t);
      const check = await api('../incidents/panel?limit=1');
      if (!check.ok && (check.status === 401 || check.status === 0)) {
        store(previous);
        msg.textContent = `登录失败：${check.problem}`;
        return;
      }
      msg.textContent = '';
      input.value = '';
      applyCredentials();
    });
    renderAccount();
  }

  // ---- start -----------------------------------------------------------------------------------

  addOverlay();
  map.on('style.load', addOverlay); // a theme switch replaces the style and with it our layers
  setUpAccount();
  renderPanel();
  setLiveText('实时连接中…');
  connect();
  // a stream that cannot subscribe (a proxy without WebSockets) still gets one load
  setTimeout(() => { if (!S.live.subscribed) resync(); }, 3000);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && S.selected && $('incident-detail').contains(document.activeElement)) closeDetail();
  });

  return {
    ready: firstLoad,
    pick,
    select,
    state: S,
    /** For tests and the console: what the screen shows for one incident. */
    alarm(id) {
      id = Number(id);
      const a = S.alarms.get(id);
      return a ? {
        id, status: a.status, flash: !S.acked.has(id), acked: S.acked.has(id), revision: S.rev.get(id), heard: S.heard.get(id) ?? null,
      } : null;
    },
    revision: (id) => S.rev.get(Number(id)) ?? null,
    flashing: () => [...S.alarms.keys()].filter((id) => !S.acked.has(id)),
    steady,
  };
}
