// HTTP contract of the tileserver: every endpoint, status code, header and limit.
//   node server_test.mjs PATH/TO/tileserver WORKDIR
// Starts the server on a free port against a synthetic 3x3-grid scenario made with ogr2ogr.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { assertCleanExit, makeScenario, startServer, stopServer, rawRequest, tileOf, tempDir } from './harness.mjs';

const require = createRequire(import.meta.url);
const { VectorTile } = require('@mapbox/vector-tile');
const Pbf = require('pbf');
const styleSpec = require('@maplibre/maplibre-gl-style-spec');

const binary = process.argv[2];
const work = process.argv[3] ? path.join(process.argv[3], 'http') : tempDir('ts-http-');
const TOKEN = 'test-token-3f9a';
const CENTER = [117.715, 39.015]; // inside grid 120116001001005
const CORNER = [117.701, 39.001]; // inside grid 120116001001007, far from the centre grid
let server;
let base;
let secondGpkg;

function decode(buf) {
  const tile = new VectorTile(new Pbf(new Uint8Array(buf)));
  const out = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) out[name].push(layer.feature(i));
  }
  return out;
}
const tileUrl = (layers, t, q = '') => `${base}/tiles/${layers}/${t.z}/${t.x}/${t.y}.mvt${q}`;
const post = (body, headers = {}) => fetch(`${base}/api/incidents`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/geo+json', Authorization: `Bearer ${TOKEN}`, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const incident = (lon, lat, category = 'road_damage', extra = {}) => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { category, ...extra },
});
/// A raw HTTP/1.1 answer (from rawRequest) split into status, lower-cased headers and body.
function parseRaw(data) {
  const end = data.indexOf('\r\n\r\n');
  const lines = data.slice(0, end).split('\r\n');
  const headers = new Map();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(lines[0].split(' ')[1]), headers, body: data.slice(end + 4) };
}
/// The headers every answer carries, the socket layer's own 400/413/431/503 included (`get`
/// looks up one lower-cased header: a fetch Headers' get or a parseRaw Map's).
function assertSecurityHeaders(get, what) {
  assert.equal(get('x-content-type-options'), 'nosniff', what);
  assert.equal(get('x-frame-options'), 'DENY', what);
  assert.equal(get('referrer-policy'), 'no-referrer', what);
  assert.equal(get('server'), 'tileserver', what);
}
/// A client error: the status, a JSON body that is exactly {"error": text}, the security headers.
async function assertError(res, status, text, what = text) {
  const body = await res.text();
  assert.equal(res.status, status, `${what}: ${body}`);
  assert.match(res.headers.get('content-type'), /^application\/json/, what);
  assert.deepEqual(JSON.parse(body), { error: text }, what);
  assertSecurityHeaders((h) => res.headers.get(h), what);
}
/// The same for a raw answer that the socket layer wrote before any routing.
function assertRawError(data, status, text, what = text) {
  const res = parseRaw(data);
  assert.equal(res.status, status, `${what}: ${data.slice(0, 300)}`);
  assert.match(res.headers.get('content-type'), /^application\/json/, what);
  assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(res.body, 'latin1'), `${what}: complete body`);
  assert.deepEqual(JSON.parse(res.body), { error: text }, what);
  assertSecurityHeaders((h) => res.headers.get(h), what);
  return res;
}
async function cacheCounters() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const num = (name) => Number((text.match(new RegExp(`^${name} (\\d+)`, 'm')) || [])[1]);
  return { hits: num('tileserver_tile_cache_hits_total'), misses: num('tileserver_tile_cache_misses_total') };
}

before(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  const gpkg = makeScenario(work);
  secondGpkg = makeScenario(work, 'second', [7.41, 43.72]);
  server = await startServer(binary, ['--token', TOKEN, '--threads', '2', '--max-body-bytes', '8192',
    '--max-connections', '6', '--header-timeout', '1', '--body-timeout', '1', gpkg, `harbour=${secondGpkg}`,
    '--label', 'harbour=Harbour district (synthetic)', '--attribution', 'harbour=© OpenStreetMap contributors']);
  base = server.base;
});

after(async () => { if (server) await stopServer(server, 'SIGKILL'); });

test('Health answers ok with JSON', async () => {
  const res = await fetch(`${base}/health`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'ok');
});

test('TileJSON 3.0.0 names tiles URL, zooms, bounds, center and vector_layers with fields', async () => {
  const res = await fetch(`${base}/tiles/grids.json`);
  assert.equal(res.status, 200);
  const tj = await res.json();
  assert.equal(tj.tilejson, '3.0.0');
  assert.deepEqual(tj.tiles, [`${base}/tiles/grids/{z}/{x}/{y}.mvt`]);
  assert.ok(tj.minzoom <= tj.maxzoom);
  assert.ok(Math.abs(tj.bounds[0] - 117.70) < 1e-6 && Math.abs(tj.bounds[3] - 39.03) < 1e-6, JSON.stringify(tj.bounds));
  assert.equal(tj.center.length, 3);
  assert.equal(tj.vector_layers[0].id, 'grids');
  assert.equal(tj.vector_layers[0].fields.code, 'String');
  assert.equal(tj.vector_layers[0].fields.incident_count, 'Number');
  const composite = await (await fetch(`${base}/tiles/grids,incidents.json`)).json();
  assert.deepEqual(composite.vector_layers.map((l) => l.id), ['grids', 'incidents']);
});

test('A grid tile decodes with @mapbox/vector-tile and carries codes and stable ids', async () => {
  const res = await fetch(tileUrl('grids', tileOf(...CENTER, 12)));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.mapbox-vector-tile');
  const layers = decode(await res.arrayBuffer());
  assert.equal(layers.grids.length, 9);
  const codes = layers.grids.map((f) => f.properties.code).sort();
  assert.equal(codes[0], '120116001001001');
  for (const f of layers.grids) {
    assert.ok(Number.isInteger(f.id) && f.id >= 0);
    assert.equal(f.type, 3);
  }
});

test('A composite tile holds each requested layer once', async () => {
  const res = await fetch(tileUrl('jurisdictions,grids,facilities,shelters,service_areas,grids', tileOf(...CENTER, 12)));
  assert.equal(res.status, 200);
  const layers = decode(await res.arrayBuffer());
  assert.deepEqual(Object.keys(layers).sort(), ['facilities', 'grids', 'jurisdictions', 'service_areas', 'shelters']);
});

test('An empty tile is 204 without a body', async () => {
  const res = await fetch(tileUrl('grids', tileOf(10, 50, 10)));
  assert.equal(res.status, 204);
  assert.equal((await res.arrayBuffer()).byteLength, 0);
});

test('ETag with If-None-Match gives 304, for both encodings', async () => {
  const url = tileUrl('grids', tileOf(...CENTER, 13));
  const first = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  const again = await fetch(url, { headers: { 'If-None-Match': etag, 'Accept-Encoding': 'identity' } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('etag'), etag);
  const gz = await rawRequest(server.port, `GET ${new URL(url).pathname} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`);
  const gzEtag = gz.data.match(/ETag: (".*?")/i)[1];
  assert.notEqual(gzEtag, etag);
  const gz304 = await rawRequest(server.port, `GET ${new URL(url).pathname} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nIf-None-Match: ${gzEtag}\r\nConnection: close\r\n\r\n`);
  assert.match(gz304.data, /^HTTP\/1\.1 304/);
  const stale = await fetch(url, { headers: { 'If-None-Match': '"0000000000000000"' } });
  assert.equal(stale.status, 200);
});

test('gzip is sent only when accepted, with Content-Encoding and Vary', async () => {
  const pathname = new URL(tileUrl('jurisdictions,grids', tileOf(...CENTER, 12))).pathname;
  const gz = await rawRequest(server.port, `GET ${pathname} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n`);
  assert.match(gz.data, /^Content-Encoding: gzip/im);
  assert.match(gz.data, /Vary: Accept-Encoding/i);
  const body = Buffer.from(gz.data.slice(gz.data.indexOf('\r\n\r\n') + 4), 'latin1');
  const plain = await fetch(`${base}${pathname}`, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.deepEqual(zlib.gunzipSync(body), Buffer.from(await plain.arrayBuffer()));
  const refused = await rawRequest(server.port, `GET ${pathname} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0\r\nConnection: close\r\n\r\n`);
  assert.doesNotMatch(refused.data, /^Content-Encoding:/im);
});

test('Bad z/x/y are 400, unknown layers and scenarios 404, traversal 400', async () => {
  for (const p of ['/tiles/grids/25/0/0.mvt', '/tiles/grids/3/8/0.mvt', '/tiles/grids/3/0/-1.mvt', '/tiles/grids/a/b/c.mvt',
    '/tiles/grids/1/0/99999999999.mvt']) {
    const res = await fetch(base + p);
    assert.equal(res.status, 400, p);
    assert.ok((await res.json()).error);
  }
  assert.equal((await fetch(`${base}/tiles/roads/1/0/0.mvt`)).status, 404);
  assert.equal((await fetch(`${base}/tiles/grids,roads/1/0/0.mvt`)).status, 404);
  assert.equal((await fetch(`${base}/tiles/roads.json`)).status, 404);
  assert.equal((await fetch(`${base}/scenarios/nope/tiles/grids/1/0/0.mvt`)).status, 404);
  assert.equal((await fetch(`${base}/no/such/page`)).status, 404);
  for (const p of ['/../../etc/passwd', '/vendor/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/styles/..%2F..%2Fetc%2Fpasswd.json']) {
    const raw = await rawRequest(server.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.match(raw.data, /^HTTP\/1\.1 40[04]/, p);
    assert.doesNotMatch(raw.data, /root:|"dependencies"/);
  }
});

test('Writes need the bearer token: missing or wrong is 401', async () => {
  const body = JSON.stringify(incident(...CENTER));
  const none = await fetch(`${base}/api/incidents`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(none.status, 401);
  const wrong = await post(body, { Authorization: `Bearer ${TOKEN}x` });
  assert.equal(wrong.status, 401);
  const shorter = await post(body, { Authorization: 'Bearer test' });
  assert.equal(shorter.status, 401);
  const patch = await fetch(`${base}/api/incidents/1`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"status":"dispatched"}' });
  assert.equal(patch.status, 401);
});

test('Malformed JSON and invalid features are 400, wrong media type 415, oversize bodies 413', async () => {
  const bad = await post('{"type": "Feature", ');
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: 'malformed JSON' });
  // Status, exact error text and headers of each refusal (the file-based cases of tests/data/bad
  // are in tests/integration/bad_input/server_bodies.mjs).
  const refusals = [
    [{ type: 'Feature', geometry: { type: 'Point', coordinates: [500, 0] }, properties: { category: 'x' } }, 400,
      'coordinates out of range (feature 0)'],
    [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, properties: { category: 'x' } }, 400,
      'geometry must be a Point with [lon, lat] (feature 0)'],
    [incident(...CENTER, ''), 400, "property 'category' must have 1-64 bytes"],
    [incident(...CENTER, 'x', { reported_at: 'yesterday' }), 400, "'reported_at' must be an ISO-8601 time (feature 0)"],
    [{ type: 'FeatureCollection', features: [] }, 400, "a FeatureCollection needs a non-empty 'features' array"],
    ['[]', 400, 'expected a GeoJSON Feature (feature 0)'],
    [{ type: 'Feature', geometry: { type: 'Point', coordinates: [1e300, 0] }, properties: { category: 'x' } }, 400,
      'coordinates out of range (feature 0): beyond any coordinate reference system'],
    ['{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,0]},"properties":{"category":"x"}}', 400,
      'malformed JSON: a number is out of range'],
  ];
  for (const [body, status, text] of refusals) await assertError(await post(body), status, text);
  await assertError(await post(JSON.stringify(incident(...CENTER)), { 'Content-Type': 'text/plain' }), 415,
    'send application/json or application/geo+json');
  const big = JSON.stringify(incident(...CENTER, 'x', { description: 'y'.repeat(20000) }));
  const tooBig = await post(big);
  assert.equal(tooBig.status, 413);
  await assertError(tooBig, 413, 'request body too large', 'Content-Length over the limit');
  // Chunked upload without Content-Length: the limit applies while reading.
  const chunk = 'z'.repeat(9000);
  const raw = await rawRequest(server.port, `POST /api/incidents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
  assert.match(raw.data, /^HTTP\/1\.1 413/);
  assertRawError(raw.data, 413, 'request body too large', 'chunked body over the limit');
});

test('A POSTed incident is stored with its grid code and invalidates exactly the tiles that show it', async () => {
  const pointTile = tileOf(...CENTER, 16);
  const otherTile = tileOf(...CORNER, 16);
  // Warm the cache: incidents and grids tiles at the incident and far from it.
  assert.equal((await fetch(tileUrl('incidents', pointTile))).status, 204);
  assert.equal((await fetch(tileUrl('incidents', otherTile))).status, 204);
  await fetch(tileUrl('grids', otherTile));
  const gridsBefore = decode(await (await fetch(tileUrl('grids', tileOf(...CENTER, 12)))).arrayBuffer());
  assert.equal(gridsBefore.grids.find((f) => f.properties.code === '120116001001005').properties.incident_count, 0);

  const res = await post(incident(...CENTER, 'road_damage', { description: 'pothole', external_id: 'ext-1' }));
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.equal(body.created, 1);
  assert.equal(body.incidents[0].grid_code, '120116001001005');
  assert.equal(body.incidents[0].jurisdiction_code, '120116001001');
  assert.equal(body.incidents[0].status, 'reported');
  assert.match(res.headers.get('location'), /^\/api\/incidents\/\d+$/);

  const before = await cacheCounters();
  const shown = await fetch(tileUrl('incidents', pointTile));
  assert.equal(shown.status, 200);
  const feats = decode(await shown.arrayBuffer()).incidents;
  assert.equal(feats.length, 1);
  assert.equal(feats[0].properties.category, 'road_damage');
  assert.equal(feats[0].id, body.incidents[0].id);
  assert.equal((await fetch(tileUrl('incidents', otherTile))).status, 204);
  await fetch(tileUrl('grids', otherTile));
  const afterCounters = await cacheCounters();
  assert.equal(afterCounters.misses - before.misses, 1, 'only the tile containing the incident was re-encoded');
  assert.equal(afterCounters.hits - before.hits, 2, 'tiles elsewhere stayed cached');

  const gridsAfter = decode(await (await fetch(tileUrl('grids', tileOf(...CENTER, 12)))).arrayBuffer());
  assert.equal(gridsAfter.grids.find((f) => f.properties.code === '120116001001005').properties.incident_count, 1);

  // Posting the same external_id again stores nothing new.
  const again = await post(incident(...CENTER, 'road_damage', { external_id: 'ext-1' }));
  assert.equal(again.status, 200);
  assert.equal((await again.json()).created, 0);
});

test('A FeatureCollection stores every feature; points outside all grids are kept without a code', async () => {
  const res = await post({ type: 'FeatureCollection', features: [
    incident(117.705, 39.025, 'noise', { reported_at: '2020-01-01T00:00:00Z' }),
    incident(117.725, 39.005, 'garbage', { synthetic: true }),
    incident(118.5, 39.5, 'garbage'),
  ] });
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.equal(body.created, 3);
  assert.equal(body.incidents[0].grid_code, '120116001001001');
  assert.equal(body.incidents[1].grid_code, '120116001001009');
  assert.equal(body.incidents[2].grid_code, null);
  assert.equal(body.incidents[2].outside, true);
});

test('Incident tiles filter by category and time window', async () => {
  const t = tileOf(...CENTER, 12);
  const all = decode(await (await fetch(tileUrl('incidents', t))).arrayBuffer()).incidents;
  assert.equal(all.length, 3);
  const noise = decode(await (await fetch(tileUrl('incidents', t, '?category=noise'))).arrayBuffer()).incidents;
  assert.deepEqual(noise.map((f) => f.properties.category), ['noise']);
  const two = decode(await (await fetch(tileUrl('incidents', t, '?category=noise,garbage'))).arrayBuffer()).incidents;
  assert.equal(two.length, 2);
  const old = decode(await (await fetch(tileUrl('incidents', t, '?until=2021-01-01'))).arrayBuffer()).incidents;
  assert.deepEqual(old.map((f) => f.properties.category), ['noise']);
  assert.equal((await fetch(tileUrl('incidents', t, '?since=2999-01-01T00:00:00Z'))).status, 204);
  assert.equal((await fetch(tileUrl('incidents', t, '?since=not-a-time'))).status, 400);
});

test('PATCH moves an incident through the status loop; a forbidden move is 409, an unknown id 404', async () => {
  const created = await (await post(incident(...CENTER, 'lighting'))).json();
  const id = created.incidents[0].id;
  const patch = (body, target = id) => fetch(`${base}/api/incidents/${target}`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body),
  });
  const ok = await patch({ status: 'dispatched', note: 'to grid worker' });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).status, 'dispatched');
  const shown = decode(await (await fetch(tileUrl('incidents', tileOf(...CENTER, 16), '?category=lighting'))).arrayBuffer());
  assert.equal(shown.incidents[0].properties.status, 'dispatched');
  assert.equal((await patch({ status: 'evaluated' })).status, 409);
  assert.equal((await patch({ status: 'flying' })).status, 400);
  assert.equal((await patch({ status: 'dispatched' }, 999999)).status, 404);
  assert.equal((await (await fetch(`${base}/api/incidents/${id}`)).json()).status, 'dispatched');
});

test('Grid and stats API return counts; bad parameters are 400', async () => {
  const grid = await fetch(`${base}/api/grids/120116001001005`);
  assert.equal(grid.status, 200);
  const g = await grid.json();
  assert.equal(g.properties.parent_code, '120116001001');
  assert.equal(g.incidents.total, 2);
  assert.equal(g.incidents.by_category.road_damage, 1);
  assert.equal((await fetch(`${base}/api/grids/000`)).status, 404);
  const stats = await (await fetch(`${base}/api/stats?by=grid&window=week`)).json();
  assert.equal(stats.counts[0].key, '120116001001005');
  assert.equal(stats.counts[0].count, 2);
  const allTime = await (await fetch(`${base}/api/stats?by=category&window=all`)).json();
  assert.equal(allTime.total, 5);
  assert.equal((await fetch(`${base}/api/stats?by=grid&window=fortnight`)).status, 400);
  assert.equal((await fetch(`${base}/api/stats?by=colour`)).status, 400);
  const latest = await (await fetch(`${base}/api/incidents?limit=2`)).json();
  assert.equal(latest.type, 'FeatureCollection');
  assert.equal(latest.features.length, 2);
});

test('Styles are served with absolute source URLs and pass the MapLibre style-spec validator', async () => {
  const res = await fetch(`${base}/styles/command-centre.json`);
  assert.equal(res.status, 200);
  const style = await res.json();
  assert.deepEqual(styleSpec.validateStyleMin(style).map((e) => e.message), []);
  assert.ok(style.sources.scenario.url.startsWith(`${base}/tiles/`));
  const scoped = await (await fetch(`${base}/styles/command-centre.json?scenario=testcity`)).json();
  assert.ok(scoped.sources.incidents.url.startsWith(`${base}/scenarios/testcity/tiles/`));
  assert.equal((await fetch(`${base}/scenarios/testcity/tiles/incidents.json`)).status, 200);
  assert.equal((await fetch(`${base}/styles/nope.json`)).status, 404);
});

test('Every style file in styles/ is valid per @maplibre/maplibre-gl-style-spec', () => {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'styles');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const errors = styleSpec.validateStyleMin(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    assert.deepEqual(errors.map((e) => e.message), [], f);
  }
});

test('The page, its script and MapLibre come from this server with security headers', async () => {
  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  const html = await page.text();
  assert.match(html, /\/vendor\/maplibre-gl\.js/);
  assert.doesNotMatch(html, /https?:\/\//, 'no CDN');
  const js = await fetch(`${base}/vendor/maplibre-gl.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control'), /max-age/);
  assert.equal((await fetch(`${base}/app.js`)).status, 200);
});

test('CORS: tiles allow any origin and preflight is answered', async () => {
  const res = await fetch(tileUrl('grids', tileOf(...CENTER, 12)), { headers: { Origin: 'http://example.org' } });
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  const pre = await fetch(`${base}/api/incidents`, { method: 'OPTIONS', headers: { Origin: 'http://example.org', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get('access-control-allow-headers'), /Authorization/);
  assert.equal((await fetch(`${base}/health`, { method: 'DELETE' })).status, 405);
});

test('Metrics expose requests by route and status, latency, cache and incident counters', async () => {
  const text = await (await fetch(`${base}/metrics`)).text();
  for (const name of ['tileserver_requests_total{route="tile",status="200"}', 'tileserver_requests_total{route="tile",status="400"}',
    'tileserver_request_duration_seconds_bucket{route="tile",le="+Inf"}', 'tileserver_tile_cache_hits_total',
    'tileserver_tile_cache_misses_total', 'tileserver_tiles_encoded_total', 'tileserver_incidents_created_total',
    'tileserver_incidents{scenario="testcity"} 5']) {
    assert.ok(text.includes(name), name);
  }
});

test('One server holds several scenarios, each under /scenarios/{name}/', async () => {
  const list = await (await fetch(`${base}/api/scenarios`)).json();
  assert.deepEqual(list.scenarios.map((s) => s.name), ['testcity', 'harbour']);
  assert.ok(list.scenarios.every((s) => s.synthetic));
  assert.equal(list.scenarios[1].label, 'Harbour district (synthetic)');
  assert.deepEqual(list.scenarios[0].categories.service_areas, ['clinic']);
  assert.deepEqual(list.scenarios[0].categories.facilities, ['clinic', 'school']);
  assert.equal(list.scenarios[0].attribution, '');
  const style = await (await fetch(`${base}/styles/command-centre.json?scenario=harbour`)).json();
  assert.equal(style.sources.scenario.attribution, '© OpenStreetMap contributors');
  const tj = await (await fetch(`${base}/scenarios/harbour/tiles/grids.json`)).json();
  assert.equal(tj.attribution, '© OpenStreetMap contributors');
  assert.ok(Math.abs(tj.bounds[0] - 7.41) < 1e-6);
  assert.equal(tj.tiles[0], `${base}/scenarios/harbour/tiles/grids/{z}/{x}/{y}.mvt`);
  const res = await fetch(`${base}/scenarios/harbour/api/incidents`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(incident(7.425, 43.735, 'flooding')),
  });
  assert.equal(res.status, 201);
  assert.equal((await res.json()).incidents[0].grid_code, '120116001001005');
  const harbour = await (await fetch(`${base}/scenarios/harbour/api/stats?window=all`)).json();
  assert.equal(harbour.total, 1);
  const t = tileOf(7.425, 43.735, 14);
  assert.equal((await fetch(`${base}/scenarios/harbour/tiles/incidents/${t.z}/${t.x}/${t.y}.mvt`)).status, 200);
  assert.equal((await fetch(`${base}/tiles/incidents/${t.z}/${t.x}/${t.y}.mvt`)).status, 204, 'other scenario unaffected');
});

test('A JSON config file sets token and limits; a broken one stops the server with exit code 2', async () => {
  const cfg = path.join(work, 'config.json');
  fs.writeFileSync(cfg, JSON.stringify({ token: 'from-config', threads: 1, limits: { max_body_bytes: 300 } }));
  const other = await startServer(binary, ['--config', cfg, secondGpkg]);
  let otherExit;
  try {
    const send = (body, token) => fetch(`${other.base}/api/incidents`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body,
    });
    assert.equal((await send(JSON.stringify(incident(7.415, 43.725)), 'from-config')).status, 201);
    assert.equal((await send(JSON.stringify(incident(7.415, 43.725)), TOKEN)).status, 401);
    assert.equal((await send(JSON.stringify(incident(7.415, 43.725, 'x', { description: 'd'.repeat(400) })), 'from-config')).status, 413);
  } finally {
    otherExit = await stopServer(other);
  }
  assertCleanExit(other, otherExit, 'the server with a config file');
  fs.writeFileSync(cfg, '{"port": "eighty"}');
  const bad = spawnSync(binary, ['--config', cfg, secondGpkg], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /config key 'port'/);
  const missing = spawnSync(binary, ['--port', '0', path.join(work, 'missing.gpkg')], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /does not exist/);
});

test('Keep-alive serves several requests on one connection', async () => {
  const req = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n';
  const raw = await rawRequest(server.port, req + req + 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(raw.data.match(/HTTP\/1\.1 200/g).length, 3);
});

test('Oversize request heads are 431 and garbage is 400', async () => {
  const raw = await rawRequest(server.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`);
  assert.match(raw.data, /^HTTP\/1\.1 431/);
  assertRawError(raw.data, 431, 'request header too large');
  const junk = await rawRequest(server.port, 'HELLO\r\n\r\n');
  assert.match(junk.data, /^HTTP\/1\.1 400/);
  assertRawError(junk.data, 400, 'malformed request');
});

test('A slow client that never finishes its request head is disconnected after the header timeout', async () => {
  const start = Date.now();
  const raw = await rawRequest(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n', 5000);
  assert.ok(raw.closedByServer, 'server closed the connection');
  assert.ok(Date.now() - start < 4000);
  const slowBody = await rawRequest(server.port, `POST /api/incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n{"type"`, 5000);
  assert.ok(slowBody.closedByServer);
});

test('Connections beyond the limit get 503 and the server keeps serving', async () => {
  const net = await import('node:net');
  const idle = [];
  for (let i = 0; i < 6; i++) {
    idle.push(await new Promise((resolve) => { const s = net.connect(server.port, '127.0.0.1', () => resolve(s)); s.on('error', () => {}); }));
  }
  await new Promise((r) => setTimeout(r, 100));
  const extra = await rawRequest(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
  assert.match(extra.data, /^HTTP\/1\.1 503/);
  const busy = assertRawError(extra.data, 503, 'too many connections');
  assert.equal(busy.headers.get('retry-after'), '1');
  assert.equal(busy.headers.get('connection'), 'close');
  for (const s of idle) s.destroy();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await fetch(`${base}/health`)).status, 200);
});

test('With --read-token, data routes need a token (header or ?token=); the page and /health stay open', async () => {
  const READ = 'read-token-7c1e';
  const ro = await startServer(binary, ['--read-token', READ, '--token', TOKEN, '--threads', '1', secondGpkg]);
  try {
    const t = tileOf(7.415, 43.725, 14);
    const dataUrls = [`/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`, '/tiles/grids.json', '/styles/command-centre.json',
      '/api/scenarios', '/api/stats?window=all', '/metrics', '/scenarios/nope/api/scenarios'];
    for (const u of dataUrls) {
      const res = await fetch(ro.base + u);
      assert.equal(res.status, 401, `${u} without a token`);
      assert.match(res.headers.get('www-authenticate') || '', /^Bearer/);
      const body = await res.text();
      assert.ok(!body.includes(READ) && !body.includes(TOKEN), 'errors never echo a token');
      assert.equal((await fetch(ro.base + u, { headers: { Authorization: 'Bearer wrong' } })).status, 401, u);
      assert.equal((await fetch(ro.base + u + (u.includes('?') ? '&' : '?') + 'token=wrong')).status, 401, u);
    }
    for (const u of dataUrls.slice(0, -1)) {
      assert.equal((await fetch(ro.base + u, { headers: { Authorization: `Bearer ${READ}` } })).status, 200, `${u} with the read token`);
      assert.equal((await fetch(ro.base + u, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200, `${u} with the write token`);
      assert.equal((await fetch(ro.base + u + (u.includes('?') ? '&' : '?') + `token=${READ}`)).status, 200, `${u} with ?token=`);
    }
    for (const u of ['/', '/app.js', '/app.css', '/health', '/vendor/maplibre-gl.js']) {
      assert.equal((await fetch(ro.base + u)).status, 200, `${u} stays open`);
    }
    // URLs the server hands out carry the token when the client authenticated by query…
    const tj = await (await fetch(`${ro.base}/tiles/grids.json?token=${READ}`)).json();
    assert.deepEqual(tj.tiles, [`${ro.base}/tiles/grids/{z}/{x}/{y}.mvt?token=${READ}`]);
    const style = await (await fetch(`${ro.base}/styles/command-centre.json?token=${READ}`)).json();
    for (const src of Object.values(style.sources)) assert.ok(src.url.endsWith(`.json?token=${READ}`), src.url);
    assert.equal((await fetch(tj.tiles[0].replace('{z}/{x}/{y}', `${t.z}/${t.x}/${t.y}`))).status, 200);
    // …and not when it used the header.
    const tjh = await (await fetch(`${ro.base}/tiles/grids.json`, { headers: { Authorization: `Bearer ${READ}` } })).json();
    assert.ok(!tjh.tiles[0].includes('token='));
    const grid = await fetch(`${ro.base}/tiles/facilities/${t.z}/${t.x}/${t.y}.mvt`, { headers: { Authorization: `Bearer ${READ}` } });
    assert.match(grid.headers.get('cache-control') || '', /private/, 'shared caches must not keep protected tiles');
    // Writes still need the write token: the read token is not enough.
    const postWith = (tok) => fetch(`${ro.base}/api/incidents`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tok}` },
      body: JSON.stringify(incident(7.415, 43.725)),
    });
    assert.equal((await postWith(READ)).status, 401);
    assert.equal((await postWith(TOKEN)).status, 201);
  } finally {
    const { code } = await stopServer(ro);
    assert.equal(code, 0);
    assert.ok(!ro.stderr().includes(READ) && !ro.stderr().includes(TOKEN), 'tokens never reach the log');
  }
});

test('SIGTERM drains and exits cleanly', async () => {
  const result = await stopServer(server, 'SIGTERM');
  assert.equal(result.code, 0);
  assertCleanExit(server, result);
  server = null;
});
