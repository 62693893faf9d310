#!/usr/bin/env node
// Build a small, fully synthetic scenario GeoPackage for the tileserver tests with ogr2ogr:
// one jurisdiction (a community) split into a 3x3 block of grids, plus facilities, shelters and
// service areas. Deterministic (no randomness): the same file every run.
//   node make_scenario.js OUT.gpkg [lon0 lat0 [N [STEP]]]
// N grids per side (default 3) of STEP degrees (default 0.01); the benchmark uses N=80.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const out = process.argv[2];
if (!out) { console.error('usage: make_scenario.js OUT.gpkg [lon0 lat0]'); process.exit(2); }
const lon0 = Number(process.argv[3] ?? 117.70);
const lat0 = Number(process.argv[4] ?? 39.00);
const n = Number(process.argv[5] ?? 3);
const step = Number(process.argv[6] ?? 0.01); // degrees: 0.01 = grids of about 850 m x 1.1 km
const community = '120116001001';

function box(x0, y0, x1, y1) {
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}
function fc(features) { return { type: 'FeatureCollection', features }; }

const grids = [];
let seq = 1;
const width = n * n > 999 ? String(n * n).length : 3;
for (let row = 0; row < n; row++) {          // north → south
  for (let col = 0; col < n; col++) {        // west → east
    const x0 = lon0 + col * step;
    const y1 = lat0 + n * step - row * step;
    grids.push({ type: 'Feature', properties: { code: community + String(seq++).padStart(width, '0'), parent_code: community,
      households: 300 + 10 * seq, synthetic: 1 }, geometry: box(x0, y1 - step, x0 + step, y1) });
  }
}
const layers = {
  jurisdictions: fc([{ type: 'Feature', properties: { code: community, name: 'Test community (synthetic)', level: 'community',
    parent: '120116001', synthetic: 1 }, geometry: box(lon0, lat0, lon0 + n * step, lat0 + n * step) }]),
  grids: fc(grids),
  facilities: fc([
    { type: 'Feature', properties: { name: 'Clinic A', category: 'clinic' }, geometry: { type: 'Point', coordinates: [lon0 + 0.005, lat0 + 0.005] } },
    { type: 'Feature', properties: { name: 'School B', category: 'school' }, geometry: { type: 'Point', coordinates: [lon0 + 0.025, lat0 + 0.015] } },
  ]),
  shelters: fc([
    { type: 'Feature', properties: { name: 'Park shelter', class: 'fixed', capacity: 4000, utilisation: 0.7 }, geometry: { type: 'Point', coordinates: [lon0 + 0.015, lat0 + 0.025] } },
  ]),
  service_areas: fc([
    { type: 'Feature', properties: { facility: 'Clinic A', category: 'clinic', minutes: 15 }, geometry: box(lon0, lat0, lon0 + 0.012, lat0 + 0.012) },
    { type: 'Feature', properties: { facility: 'Clinic A', category: 'clinic', minutes: 5 }, geometry: box(lon0 + 0.003, lat0 + 0.003, lon0 + 0.007, lat0 + 0.007) },
    // A per-facility area as geogrid access writes it (scope), hidden until the page asks for them.
    { type: 'Feature', properties: { scope: 'facility', facility: 'Clinic A', category: 'clinic', minutes: 10 }, geometry: box(lon0 + 0.002, lat0 + 0.002, lon0 + 0.009, lat0 + 0.009) },
  ]),
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-scenario-'));
fs.rmSync(out, { force: true });
let first = true;
for (const [name, data] of Object.entries(layers)) {
  const file = path.join(tmp, name + '.geojson');
  fs.writeFileSync(file, JSON.stringify(data));
  const args = ['-f', 'GPKG', '-nln', name, '-a_srs', 'EPSG:4326'];
  if (!first) args.push('-update');
  args.push(out, file);
  execFileSync('ogr2ogr', args, { stdio: 'inherit' });
  first = false;
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(out);
