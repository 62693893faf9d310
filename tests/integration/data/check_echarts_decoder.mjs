// Specification of data/tianjin/echarts_decode.mjs (run by ctest as data.echarts_decoder_*):
//   1. it decodes every Tianjin district to the same vertex set as echarts' own parser;
//   2. every ring it returns is closed, has no repeated consecutive vertex, and winds per RFC 7946;
//   3. malformed input (odd length, code unit below 64, collapsed ring, missing offsets) is an error.
// Usage: node check_echarts_decoder.mjs REPO_ROOT
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = process.argv[2];
const require = createRequire(join(repo, 'package.json'));
const { DecodeError, decode_feature_collection, decode_ring, signed_area } = await import(
  pathToFileURL(join(repo, 'data/tianjin/echarts_decode.mjs')).href);

let failures = 0;
function check(condition, message) {
  if (!condition) {
    failures += 1;
    console.error(`FAIL: ${message}`);
  }
}
function throws(fn, pattern, message) {
  try {
    fn();
  } catch (error) {
    check(error instanceof DecodeError && pattern.test(error.message), `${message}: got '${error.message}'`);
    return;
  }
  check(false, `${message}: no error`);
}

const file = join(repo, 'node_modules/echarts/map/json/province/tianjin.json');
const ours = decode_feature_collection(JSON.parse(readFileSync(file, 'utf8')), file);
const parse = require('echarts/lib/coord/geo/parseGeoJson');
const theirs = JSON.parse(readFileSync(file, 'utf8'));
parse(theirs); // decodes in place
check(ours.length === 16, `16 districts decoded, got ${ours.length}`);
const key = (p) => `${p[0]},${p[1]}`;
for (const feature of theirs.features) {
  const mine = ours.find((f) => f.id === feature.id);
  check(mine, `district ${feature.id} decoded`);
  if (!mine) continue;
  const a = new Set(feature.geometry.coordinates[0].map(key));
  const b = new Set(mine.geometry.coordinates[0].map(key));
  check(a.size === b.size && [...a].every((k) => b.has(k)), `district ${feature.id}: same vertices as echarts`);
  const ring = mine.geometry.coordinates[0];
  check(key(ring[0]) === key(ring[ring.length - 1]), `district ${feature.id}: ring closed`);
  check(ring.every((p, i) => i === 0 || key(p) !== key(ring[i - 1])), `district ${feature.id}: no repeated vertex`);
  check(signed_area(ring) > 0, `district ${feature.id}: exterior counter-clockwise`);
}

// 'A' - 64 = 1 -> zig-zag -1; '@' = 0; 'B' = 2 -> +1. Offsets are in 1/1024 degree.
const square = decode_ring('@@B@@BA@', [1024, 2048], 1024, 'square');
check(JSON.stringify(square) === JSON.stringify([[1, 2], [1 + 1 / 1024, 2], [1 + 1 / 1024, 2 + 1 / 1024],
  [1, 2 + 1 / 1024], [1, 2]]), `hand-made ring decodes and closes: ${JSON.stringify(square)}`);
throws(() => decode_ring('@@B', [0, 0], 1024, 'odd'), /odd number/, 'odd-length ring is rejected');
throws(() => decode_ring('@@!!B@', [0, 0], 1024, 'low'), /below 64/, 'code unit below 64 is rejected');
throws(() => decode_ring('@@B@@@', [0, 0], 1024, 'flat'), /fewer than 3/, 'collapsed ring is rejected');
throws(() => decode_ring('@@B@@B', undefined, 1024, 'nooffset'), /encodeOffsets/, 'missing offsets are rejected');
throws(() => decode_feature_collection({ type: 'FeatureCollection', features: [] }, 'plain'),
  /UTF8Encoding/, 'uncompressed file is rejected');

if (failures > 0) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('echarts decoder: all checks passed');
