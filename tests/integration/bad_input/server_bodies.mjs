// The bad-input corpus against the server: files of tests/data/bad POSTed as they are to
// /api/incidents. Each case names the status and the exact {"error": …} text expected; every
// answer is also checked for internals (file paths, stack traces, exception type names, SQL) and
// for the security headers, and a refused request must store nothing.
//   node server_bodies.mjs PATH/TO/tileserver WORKDIR
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertCleanExit, makeScenario, startServer, stopServer, tempDir } from '../tileserver/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, '..', '..', 'data', 'bad');
const binary = process.argv[2];
const work = process.argv[3] ? path.join(process.argv[3], 'server-bodies') : tempDir('ts-bad-');
const TOKEN = 'bad-input-token';
const JSON_TYPE = 'application/geo+json';
const outOfRange = (feature, why = '') => `coordinates out of range (feature ${feature})${why}`;

// file: a file of tests/data/bad; type: the Content-Type sent; status and error: the answer.
const cases = [
  { file: 'incident_nan_coordinates.geojson', status: 400, error: 'malformed JSON' },
  { file: 'incident_overflow_coordinates.geojson', status: 400, error: 'malformed JSON: a number is out of range' },
  { file: 'incident_truncated.geojson', status: 400, error: 'malformed JSON' },
  { file: 'nan_coordinates.csv', status: 400, error: 'malformed JSON' },
  { file: 'nan_coordinates.csv', type: 'text/csv', status: 415, error: 'send application/json or application/geo+json' },
  { file: 'incident_huge_coordinates.geojson', status: 400, error: outOfRange(0, ': beyond any coordinate reference system') },
  { file: 'incident_metres.geojson', status: 400,
    error: outOfRange(0, ': they look like metres of a projected CRS (send WGS 84 longitude and latitude)') },
  { file: 'incident_swapped_latlon.geojson', status: 400,
    error: outOfRange(0, ': latitude and longitude look swapped (GeoJSON is [lon, lat])') },
  // Unlike `geogrid incidents import`, which skips the bad row, a request is refused whole.
  { file: 'incidents_one_out_of_range.geojson', status: 400, error: outOfRange(1) },
  { file: 'huge_coordinates.geojson', status: 400, error: 'geometry must be a Point with [lon, lat] (feature 0)' },
  { file: 'swapped_latlon.geojson', status: 400, error: 'geometry must be a Point with [lon, lat] (feature 0)' },
  { file: 'empty_geometry.geojson', status: 400, error: 'geometry must be a Point with [lon, lat] (feature 0)' },
  { file: 'incident_coordinates_strings.geojson', status: 400, error: 'geometry must be a Point with [lon, lat] (feature 0)' },
  { file: 'incident_category_number.geojson', status: 400, error: "property 'category' must be a string" },
  { file: 'incident_type_number.geojson', status: 400, error: 'expected a GeoJSON Feature (feature 0)' },
  { file: 'incident_synthetic_string.geojson', status: 400, error: "'synthetic' must be true or false (feature 0)" },
  { file: 'truncated.gpkg', status: 400, error: 'malformed JSON' },
];

// What an answer must never show: where the server's files are, how it is built, what failed inside.
const internals = [
  /\/(?:tmp|home|work|usr|var|etc|root)\//, // absolute paths
  /\.(?:cpp|hpp|h|gpkg|sqlite|so)\b/i, // source and data file names
  /\bat line \d+|line \d+, column \d+/i, // parser positions (nlohmann's what() texts)
  /json\.exception|parse_error|type_error|out_of_range|invalid_iterator|std::|nlohmann|geo::|tileserver::/,
  /terminate|what\(\)|Aborted|AddressSanitizer|runtime error|#\d+ 0x[0-9a-f]+/, // crashes, traces
  /\bsqlite|SELECT |INSERT |UPDATE |constraint failed/i, // SQL
  new RegExp(TOKEN),
];

let server;

before(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  const gpkg = makeScenario(work, 'badcity');
  server = await startServer(binary, ['--token', TOKEN, '--threads', '2', gpkg]);
});

after(async () => {
  if (server) await stopServer(server, 'SIGKILL');
});

const post = (body, type = JSON_TYPE) => fetch(`${server.base}/api/incidents`, {
  method: 'POST', headers: { 'Content-Type': type, Authorization: `Bearer ${TOKEN}` }, body,
});
const stored = async () => (await (await fetch(`${server.base}/api/stats?window=all`)).json()).total;

function assertNoInternals(text, what) {
  for (const pattern of internals) assert.doesNotMatch(text, pattern, `${what}: the answer shows internals`);
  assert.ok(!text.includes(work) && !text.includes(corpus), `${what}: the answer names a folder`);
}

function assertCommonHeaders(res, what) {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
}

for (const c of cases) {
  const what = `${c.file} as ${c.type || JSON_TYPE}`;
  test(`POST ${what}: ${c.status} {"error": "${c.error}"}`, async () => {
    const before = await stored();
    const res = await post(fs.readFileSync(path.join(corpus, c.file)), c.type);
    const text = await res.text();
    assert.equal(res.status, c.status, `${what}: ${text}`);
    assert.match(res.headers.get('content-type'), /^application\/json/, what);
    assertCommonHeaders(res, what);
    assert.deepEqual(JSON.parse(text), { error: c.error }, what);
    assertNoInternals(text, what);
    assert.equal(await stored(), before, `${what}: a refused request stored something`);
  });
}

test('POST duplicate_incident_ids.geojson: the repeated external_id is stored once, and again never', async () => {
  const body = fs.readFileSync(path.join(corpus, 'duplicate_incident_ids.geojson'));
  const before = await stored();
  const first = await post(body);
  const text = await first.text();
  assert.equal(first.status, 201, text);
  assertCommonHeaders(first, 'duplicate ids');
  assertNoInternals(text, 'duplicate ids');
  const answer = JSON.parse(text);
  assert.equal(answer.created, 2, text);
  assert.deepEqual(answer.incidents.map((i) => [i.external_id, i.created]),
    [['12345-0001', true], ['12345-0001', false], ['12345-0002', true]], text);
  assert.equal(answer.incidents[1].id, answer.incidents[0].id, 'the repeat answers with the first one');
  assert.equal(answer.incidents[2].outside, true, 'the third lies outside every grid and is kept');
  assert.equal(await stored(), before + 2);
  // The whole file again: nothing new, 200 instead of 201.
  const again = await post(body);
  assert.equal(again.status, 200);
  assert.equal((await again.json()).created, 0);
  assert.equal(await stored(), before + 2);
});

test('The server exits cleanly after the corpus (SIGTERM, exit code 0)', async () => {
  const exit = await stopServer(server, 'SIGTERM');
  const stopped = server;
  server = null;
  assertCleanExit(stopped, exit);
  assert.doesNotMatch(stopped.stderr(), /internal error/, 'no request of the corpus failed inside the server');
});
