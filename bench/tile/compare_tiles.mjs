// Compares libgeo's tiles with PostGIS's for the same tile list: speed per
// zoom and decoded contents (feature ids per layer, via @mapbox/vector-tile).
// usage: node compare_tiles.mjs <our tile dir> <postgis tiles.tsv> <our timing tsv> <postgis timing tsv>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { VectorTile } = await import(require.resolve('@mapbox/vector-tile'));
const Protobuf = (await import(require.resolve('pbf'))).default;

const [ourDir, pgTiles, ourTiming, pgTiming] = process.argv.slice(2);
const layers = ['jurisdictions', 'grids', 'service_areas', 'incidents'];
const ids = (buf) => {
  const t = new VectorTile(new Protobuf(buf));
  const out = {};
  for (const name of layers) {
    const l = t.layers[name];
    out[name] = new Set();
    if (!l) continue;
    for (let i = 0; i < l.length; i++) out[name].add(l.feature(i).id);
  }
  return out;
};

// Content: per zoom and layer, ids in both / only ours / only PostGIS.
const content = {};
for (const line of readFileSync(pgTiles, 'utf8').trim().split('\n')) {
  const [z, x, y, b64] = line.split('\t');
  const theirs = ids(Buffer.from(b64 ?? '', 'base64'));
  const ours = ids(readFileSync(join(ourDir, z, x, `${y}.mvt`)));
  content[z] ??= Object.fromEntries(layers.map((l) => [l, { both: 0, ours: 0, postgis: 0 }]));
  for (const l of layers) {
    for (const id of ours[l]) content[z][l][theirs[l].has(id) ? 'both' : 'ours']++;
    for (const id of theirs[l]) if (!ours[l].has(id)) content[z][l].postgis++;
  }
}

const table = (file) =>
  Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').filter((l) => /^\d/.test(l))
    .map((l) => l.split('\t')).map(([z, ...r]) => [z, r.map(Number)]));
const ours = table(ourTiming); // z -> [tiles, ms, bytes]
const pg = table(pgTiming);    // z -> [ms, bytes]

console.log('| z | tiles | libgeo ms/tile | PostGIS ms/tile | speed-up | libgeo bytes/tile | PostGIS bytes/tile |');
console.log('|---|---|---|---|---|---|---|');
let sumOurs = 0, sumPg = 0;
for (const z of Object.keys(ours).sort((a, b) => a - b)) {
  const [n, ms, bytes] = ours[z];
  const [pms, pbytes] = pg[z] ?? [NaN, NaN];
  sumOurs += ms * n; sumPg += pms * n;
  console.log(`| ${z} | ${n} | ${ms.toFixed(3)} | ${pms.toFixed(3)} | ${(pms / ms).toFixed(1)}x | ${bytes} | ${Math.round(pbytes)} |`);
}
console.log(`\nall tiles: libgeo ${sumOurs.toFixed(0)} ms, PostGIS ${sumPg.toFixed(0)} ms, speed-up ${(sumPg / sumOurs).toFixed(1)}x\n`);
console.log('Decoded contents (feature ids per layer, summed over the zoom\'s tiles): both / only libgeo / only PostGIS');
console.log('| z | ' + layers.join(' | ') + ' |');
console.log('|---|' + layers.map(() => '---').join('|') + '|');
for (const z of Object.keys(content).sort((a, b) => a - b)) {
  console.log(`| ${z} | ` + layers.map((l) => { const c = content[z][l]; return `${c.both} / ${c.ours} / ${c.postgis}`; }).join(' | ') + ' |');
}
