// A force's track, replayed (轨迹回放; docs/viewer.md, "Tracks"). For a signed-in caller of the staff
// class, a force's popup offers 轨迹 (track): the viewer fetches the last TRACK_HOURS hours
// (GET ../collections/forces/items/{id}/track), draws the line and a marker, and a time slider
// (input type=range, one step per fix) moves the marker along the fixes, showing each fix's time.
// The server decides who may see a track (staff in scope); a refusal is shown as its problem text.
import { api, who } from './auth.js';

const TRACK_HOURS = 8;
/** Roles of the staff class (security/Role): only they can be given a track. */
const STAFF_ROLES = new Set(['grid_worker', 'commander', 'admin', 'police', 'urban_management', 'utilities', 'reporter']);

const LINE = 'gm-track-line';
const MARKER = 'gm-track-marker';
const EMPTY = { type: 'FeatureCollection', features: [] };

/** Whether the signed-in caller may be offered tracks at all. */
export function mayTrack() {
  return STAFF_ROLES.has(who()?.role);
}

export function setUpTracks(map) {
  let current = null; // {id, coordinates, times, index}
  const panel = document.createElement('section');
  panel.className = 'gm-track';
  panel.id = 'track-panel';
  panel.hidden = true;
  panel.setAttribute('aria-label', '轨迹回放 Track replay');
  panel.innerHTML = `
    <div class="gm-detail-head"><h2>轨迹回放 <small>Track</small> <span id="track-title"></span></h2>
      <button type="button" class="gm-close" id="track-close" aria-label="关闭轨迹">×</button></div>
    <input id="track-slider" type="range" min="0" max="0" step="1" value="0" aria-label="时间 Time">
    <p class="gm-track-time"><output id="track-time" for="track-slider"></output></p>
    <p id="track-msg" class="gm-hint" role="status"></p>`;
  document.getElementById('incidents').append(panel);
  const slider = panel.querySelector('#track-slider');
  const timeOut = panel.querySelector('#track-time');
  const msg = panel.querySelector('#track-msg');
  panel.querySelector('#track-close').addEventListener('click', () => clear());
  slider.addEventListener('input', () => moveTo(Number(slider.value)));

  function addLayers() {
    if (!map.getSource(LINE)) {
      map.addSource(LINE, { type: 'geojson', data: lineData() });
      map.addLayer({ id: LINE, type: 'line', source: LINE,
        paint: { 'line-color': '#ffb020', 'line-width': 3, 'line-opacity': 0.9 } });
    }
    if (!map.getSource(MARKER)) {
      map.addSource(MARKER, { type: 'geojson', data: markerData() });
      map.addLayer({ id: MARKER, type: 'circle', source: MARKER,
        paint: { 'circle-radius': 7, 'circle-color': '#ffb020', 'circle-stroke-width': 2, 'circle-stroke-color': '#ffffff' } });
    }
  }
  // a theme switch loads a new style, without our layers
  map.on('style.load', () => current && addLayers());

  function lineData() {
    if (!current || current.coordinates.length < 2) return EMPTY;
    return { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: current.coordinates } };
  }
  function markerData() {
    if (!current || !current.coordinates.length) return EMPTY;
    return { type: 'Feature', properties: { time: current.times[current.index] },
      geometry: { type: 'Point', coordinates: current.coordinates[current.index] } };
  }

  function moveTo(i) {
    if (!current || !current.coordinates.length) return;
    current.index = Math.max(0, Math.min(current.coordinates.length - 1, i));
    slider.value = String(current.index);
    timeOut.textContent = new Date(current.times[current.index]).toLocaleString('zh-CN', { hour12: false });
    map.getSource(MARKER)?.setData(markerData());
  }

  function clear() {
    current = null;
    panel.hidden = true;
    map.getSource(LINE)?.setData(EMPTY);
    map.getSource(MARKER)?.setData(EMPTY);
  }

  /** Fetches and draws force `id`'s last TRACK_HOURS hours; resolves to the number of fixes. */
  async function show(id) {
    const end = new Date();
    const start = new Date(end.getTime() - TRACK_HOURS * 3600_000);
    const res = await api(`../collections/forces/items/${id}/track?datetime=${start.toISOString()}/${end.toISOString()}`);
    panel.hidden = false;
    panel.querySelector('#track-title').textContent = `#${id}`;
    if (!res.ok) {
      clear();
      panel.hidden = false;
      msg.textContent = res.problem;
      return 0;
    }
    const g = res.body.geometry;
    const coordinates = !g ? [] : g.type === 'Point' ? [g.coordinates] : g.coordinates;
    current = { id, coordinates, times: res.body.properties.times, index: 0 };
    addLayers();
    map.getSource(LINE).setData(lineData());
    slider.max = String(Math.max(0, coordinates.length - 1));
    slider.disabled = coordinates.length < 2;
    msg.textContent = coordinates.length
      ? `最近 ${TRACK_HOURS} 小时 ${coordinates.length} 个定位点`
      : `最近 ${TRACK_HOURS} 小时无定位`;
    timeOut.textContent = '';
    if (coordinates.length) {
      moveTo(0);
      const lons = coordinates.map((c) => c[0]);
      const lats = coordinates.map((c) => c[1]);
      map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
        { padding: 80, maxZoom: 17, animate: false });
    }
    return coordinates.length;
  }

  /** Where the marker is: [lon, lat] of the fix the slider points at, or null (tests read it). */
  function marker() {
    return current && current.coordinates.length ? current.coordinates[current.index] : null;
  }

  return { show, clear, marker };
}
