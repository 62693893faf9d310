// Command-centre page: one MapLibre map over every scenario the server holds.
// Everything comes from this server (no CDN, no basemap needed): the style from
// /styles/command-centre.json?scenario=…, tiles, and the JSON API. New incidents appear by
// polling /api/scenarios for the scenario's incident version and re-requesting tiles.
'use strict';

const POLL_MS = 2000;
const LAYER_GROUPS = [
  { id: 'grids', label: 'Grids (incident count)', layers: ['grids-fill', 'grids-line'] },
  { id: 'jurisdictions', label: 'Jurisdictions', layers: ['jurisdictions-fill', 'jurisdictions-line'] },
  { id: 'service_areas', label: 'Service circles', layers: ['service-areas-fill', 'service-areas-line'] },
  { id: 'coverage', label: 'Coverage gaps', layers: ['coverage-gaps'] },
  { id: 'facilities', label: 'Facilities', layers: ['facilities-circle'] },
  { id: 'shelters', label: 'Shelters (utilisation)', layers: ['shelters-circle'] },
  { id: 'incidents', label: 'Incidents (live)', layers: ['incidents-clusters', 'incidents-points'] },
];

const state = { scenarios: [], current: null, version: null, hidden: new Set(), basemap: '' };
// A server started with --read-token needs a token for tiles, styles and the API. It comes in the URL
// fragment (#token=… or #scenario=x&token=…): fragments are never sent to servers or in Referer.
const TOKEN = decodeURIComponent((location.hash.match(/(?:^#|&)token=([^&]+)/) || [])[1] || '');
const authHeaders = () => (TOKEN ? { Authorization: 'Bearer ' + TOKEN } : {});
const $ = (id) => document.getElementById(id);

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function prefix(name) { return '/scenarios/' + encodeURIComponent(name); }
function styleUrl(name) { return location.origin + '/styles/command-centre.json?scenario=' + encodeURIComponent(name); }

async function getJson(url) {
  const res = await fetch(url, { cache: 'no-store', headers: authHeaders() });
  if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
  return res.json();
}

function scenario() { return state.scenarios.find((s) => s.name === state.current); }

function fitScenario(map) {
  const s = scenario();
  if (!s || !s.bounds) return;
  const [w, so, e, n] = s.bounds;
  if (w <= -180 && e >= 180) return;
  map.fitBounds([[w, so], [e, n]], { padding: 30, duration: 0 });
}

function applyVisibility(map) {
  for (const g of LAYER_GROUPS) {
    for (const id of g.layers) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', state.hidden.has(g.id) ? 'none' : 'visible');
    }
  }
}

function applyServiceFilter(map) {
  if (!map.getLayer('service-areas-fill')) return;
  const cat = $('sa-category').value;
  const level = $('sa-level').value;
  // geogrid access writes one area per category and level and, unless --no-per-facility, one per
  // facility (field scope); they overlap, so one kind is shown at a time. Files without the field
  // hold category areas.
  const parts = ['all', ['==', ['to-string', ['coalesce', ['get', 'scope'], 'category']], $('sa-scope').value]];
  if (cat) parts.push(['==', ['to-string', ['coalesce', ['get', 'category'], ['get', 'facility'], '']], cat]);
  if (level) parts.push(['==', ['to-number', ['coalesce', ['get', 'minutes'], ['get', 'level'], 0]], Number(level)]);
  const filter = parts;
  map.setFilter('service-areas-fill', filter);
  map.setFilter('service-areas-line', filter);
}

function buildToggles(map) {
  const box = $('toggles');
  box.textContent = '';
  const s = scenario();
  for (const g of LAYER_GROUPS) {
    if (s && !s.layers.includes(g.id)) continue;
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = !state.hidden.has(g.id);
    input.dataset.group = g.id;
    input.addEventListener('change', () => {
      if (input.checked) state.hidden.delete(g.id); else state.hidden.add(g.id);
      applyVisibility(map);
    });
    label.append(input, ' ' + g.label);
    box.append(label);
  }
}

function addBasemap(map) {
  if (!state.basemap || map.getSource('basemap')) return;
  map.addSource('basemap', { type: 'raster', tiles: [state.basemap], tileSize: 256, attribution: '© OpenStreetMap contributors' });
  map.addLayer({ id: 'basemap', type: 'raster', source: 'basemap' }, 'jurisdictions-fill');
}

async function refreshLatest() {
  const s = scenario();
  const list = $('latest');
  if (!s || !s.incidents) { list.textContent = 'no incident store'; return; }
  try {
    const fc = await getJson(prefix(s.name) + '/api/incidents?limit=8');
    list.innerHTML = fc.features.map((f) => {
      const p = f.properties;
      return '<li>#' + esc(p.id) + ' ' + esc(p.category) + ' · ' + esc(p.status) + ' · grid ' + esc(p.grid_code ?? '—') +
        (p.synthetic ? ' <em>(synthetic)</em>' : '') + '</li>';
    }).join('');
  } catch (err) { list.textContent = String(err.message); }
}

function refreshLiveSources(map, version) {
  // Grid counts and incident points change together; re-request both sources' tiles.
  for (const id of ['incidents', 'scenario']) {
    const src = map.getSource(id);
    if (!src || !src.tiles || !src.tiles.length) continue;
    // Keep the URL's other parameters (a ?token= the server put there); only the version changes.
    const url = new URL(src.tiles[0]);
    url.searchParams.set('v', version);
    src.setTiles([url.toString().replace(/%7B/g, '{').replace(/%7D/g, '}')]);
  }
}

async function poll(map) {
  try {
    const data = await getJson('/api/scenarios');
    state.scenarios = data.scenarios;
    const s = scenario();
    const version = s && s.incidents ? s.incidents.version : null;
    updateStatus();
    if (version !== null && state.version !== null && version !== state.version) {
      refreshLiveSources(map, version);
      refreshLatest();
    }
    state.version = version;
  } catch (err) {
    $('status').textContent = 'server unreachable: ' + err.message;
  }
}

function updateStatus() {
  const s = scenario();
  if (!s) return;
  const n = s.incidents ? s.incidents.count : 0;
  $('status').textContent = s.layers.length + ' layers · ' + n + ' incidents';
  $('synthetic').hidden = !s.synthetic;
}

function popupHtml(rows) {
  return '<table>' + rows.map(([k, v]) => '<tr><td><b>' + esc(k) + '</b></td><td>' + esc(v) + '</td></tr>').join('') + '</table>';
}

function installPopups(map) {
  map.on('click', async (e) => {
    const hits = map.queryRenderedFeatures(e.point);
    if (!hits.length) return;
    const top = hits[0];
    const p = top.properties || {};
    const layer = top.sourceLayer;
    let rows = [['layer', layer]];
    if (layer === 'grids' && p.code) {
      rows.push(['grid code', p.code]);
      try {
        const g = await getJson(prefix(state.current) + '/api/grids/' + encodeURIComponent(p.code));
        rows.push(['incidents', g.incidents.total], ['open', g.incidents.open], ['last 7 days', g.incidents.last_7_days]);
        for (const [cat, n] of Object.entries(g.incidents.by_category)) rows.push(['· ' + cat, n]);
      } catch (err) { rows.push(['incidents', p.incident_count ?? '?']); }
    } else if (p.point_count !== undefined) {
      rows.push(['cluster of', p.point_count]);
    } else {
      for (const [k, v] of Object.entries(p)) if (k !== 'cluster') rows.push([k, v]);
    }
    new maplibregl.Popup({ maxWidth: '320px' }).setLngLat(e.lngLat).setHTML(popupHtml(rows)).addTo(map);
  });
  for (const id of ['grids-fill', 'incidents-points', 'shelters-circle', 'facilities-circle']) {
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }
}

function fillServiceCategories() {
  const sel = $('sa-category');
  sel.length = 1;
  const s = scenario();
  const values = (s && s.categories && s.categories.service_areas) || [];
  for (const v of values) {
    const opt = document.createElement('option');
    opt.value = v;
    opt.textContent = v;
    sel.append(opt);
  }
  sel.disabled = values.length === 0;
}

function switchScenario(map, name) {
  state.current = name;
  // The version the scenario list was read at: tiles load after it, so a change seen by the next
  // poll refreshes them (with null, an incident posted before the first poll was never shown).
  const s = scenario();
  state.version = s && s.incidents ? s.incidents.version : null;
  location.hash = 'scenario=' + encodeURIComponent(name) + (TOKEN ? '&token=' + encodeURIComponent(TOKEN) : '');
  $('scenario').value = name;
  window.mapReady = false;
  // diff:false: a diffed style update emits no style.load, and the view must fit the new scenario.
  map.setStyle(styleUrl(name), { diff: false });
  map.once('style.load', () => {
    addBasemap(map);
    applyVisibility(map);
    applyServiceFilter(map);
    fitScenario(map);
    map.once('idle', () => { window.mapReady = true; });
  });
  buildToggles(map);
  updateStatus();
  refreshLatest();
  fillServiceCategories();
}

async function main() {
  const data = await getJson('/api/scenarios');
  state.scenarios = data.scenarios;
  state.basemap = data.basemap_url || '';
  const sel = $('scenario');
  for (const s of state.scenarios) {
    const opt = document.createElement('option');
    opt.value = s.name;
    opt.textContent = s.label + (s.synthetic && !/synthetic/i.test(s.label) ? ' (synthetic)' : '');
    sel.append(opt);
  }
  const fromHash = decodeURIComponent((location.hash.match(/scenario=([^&]+)/) || [])[1] || '');
  const first = state.scenarios.some((s) => s.name === fromHash) ? fromHash : state.scenarios[0].name;

  const map = new maplibregl.Map({
    container: 'map',
    style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } }] },
    center: [0, 0],
    zoom: 1,
    attributionControl: { compact: false, customAttribution: 'tileserver · libgeo' },
    // The token goes only to this server (style, TileJSON, tiles), never to a basemap host.
    transformRequest: (url) => (TOKEN && url.startsWith(location.origin) ? { url, headers: authHeaders() } : undefined),
  });
  window.map = map; // for the end-to-end test and for operators' console use
  map.addControl(new maplibregl.NavigationControl(), 'top-left');
  map.addControl(new maplibregl.ScaleControl(), 'bottom-left');
  installPopups(map);
  sel.addEventListener('change', () => switchScenario(map, sel.value));
  $('sa-category').addEventListener('change', () => applyServiceFilter(map));
  $('sa-level').addEventListener('change', () => applyServiceFilter(map));
  $('sa-scope').addEventListener('change', () => applyServiceFilter(map));
  map.on('load', () => switchScenario(map, first));
  setInterval(() => poll(map), POLL_MS);
}

main().catch((err) => { $('status').textContent = 'failed to start: ' + err.message; });
