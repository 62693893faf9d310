// Decode every test tile with @mapbox/vector-tile + pbf (the decoder
// MapLibre's ancestors use) and compare with what our decoder read: layers,
// extents, feature ids, types, properties (values and types), and geometry
// vertex for vertex. Shapes at z14 must also lie within one tile unit of
// their source vertices (the round trip).
//
// usage: node decode_with_vector_tile.mjs <tile directory>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const { VectorTile } = await import(require.resolve('@mapbox/vector-tile'));
const Protobuf = (await import(require.resolve('pbf'))).default;

const dir = process.argv[2];
const tiles = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const errors = [];
let features = 0;
let roundTripped = 0;

function sameValue(expected, got) {
  if (typeof expected === 'number') return Math.abs(expected - got) <= Math.abs(expected) * 1e-6;
  return expected === got;
}

for (const name of tiles) {
  const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  const tile = new VectorTile(new Protobuf(readFileSync(join(dir, `${name}.mvt`))));
  const names = Object.keys(tile.layers).sort();
  const want = Object.keys(expected.layers).sort();
  if (names.join() !== want.join()) errors.push(`${name}: layers ${names} instead of ${want}`);
  for (const layerName of want) {
    const layer = tile.layers[layerName];
    const content = expected.layers[layerName];
    if (!layer) continue;
    if (layer.extent !== content.extent) errors.push(`${name} ${layerName}: extent ${layer.extent}`);
    if (layer.length !== content.features.length) {
      errors.push(`${name} ${layerName}: ${layer.length} features, expected ${content.features.length}`);
      continue;
    }
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const e = content.features[i];
      features++;
      if (f.id !== e.id) errors.push(`${name} ${layerName}[${i}]: id ${f.id}, expected ${e.id}`);
      if (f.type !== e.type) errors.push(`${name} ${layerName}[${i}]: type ${f.type}, expected ${e.type}`);
      for (const [k, v] of Object.entries(e.properties)) {
        if (!sameValue(v, f.properties[k])) {
          errors.push(`${name} ${layerName}[${i}]: ${k} = ${f.properties[k]}, expected ${v}`);
        }
      }
      if (Object.keys(f.properties).length !== Object.keys(e.properties).length) {
        errors.push(`${name} ${layerName}[${i}]: ${Object.keys(f.properties).length} properties`);
      }
      // loadGeometry(): points as one list per point, lines and rings as lists.
      let got = f.loadGeometry().map((part) => part.map((p) => [p.x, p.y]));
      if (f.type === 1) got = [got.flat()];
      // vector-tile repeats the first point of a ring at its end (ClosePath); ours are open.
      if (f.type === 3) got = got.map((r) => (r.length > 1 && r[0].join() === r[r.length - 1].join() ? r.slice(0, -1) : r));
      if (JSON.stringify(got) !== JSON.stringify(e.geometry)) {
        errors.push(`${name} ${layerName}[${i}] (id ${e.id}): geometry differs`);
      }
      if (f.type === 3) {
        // Winding as MapLibre sees it: each polygon's first ring is exterior.
        for (const ring of f.loadGeometry()) {
          if (ring.length < 3) errors.push(`${name} ${layerName}[${i}]: ring with ${ring.length} points`);
        }
      }
      const source = expected.source?.[layerName];
      if (source && source.length) {
        for (const part of got) {
          for (const [x, y] of part) {
            // Vertices on the clip line (tile + 64-unit buffer) are new, not source vertices.
            if (x <= -64 || y <= -64 || x >= layer.extent + 64 || y >= layer.extent + 64) continue;
            const ok = source.some(([sx, sy]) => Math.abs(sx - x) <= 1 && Math.abs(sy - y) <= 1);
            if (!ok) errors.push(`${name} ${layerName}[${i}]: vertex ${x},${y} is not within 1 unit of the source`);
            roundTripped++;
          }
        }
      }
    }
  }
}

for (const e of errors.slice(0, 50)) console.log('FAIL', e);
console.log(`@mapbox/vector-tile: ${tiles.length} tiles, ${features} features, ` +
            `${roundTripped} vertices round-tripped, ${errors.length} problems`);
process.exit(errors.length === 0 && tiles.length > 0 && roundTripped > 0 ? 0 : 1);
