#!/usr/bin/env node
// Decoder for echarts 4 map files (`map/json/**.json`), written from the format description and
// checked against echarts' own decoder (lib/coord/geo/parseGeoJson.js) vertex for vertex.
//
// Format: a FeatureCollection with top-level `UTF8Encoding: true` (and optional `UTF8Scale`,
// default 1024). Each ring is a string; each vertex is two UTF-16 code units (x then y). A unit
// minus 64 is a zig-zag coded integer delta, (v >> 1) ^ -(v & 1); deltas accumulate from the
// ring's `encodeOffsets` pair (the first vertex is offset + first delta); integers are 1/scale
// degrees. Rings are not closed.
//
// Library use: import { decode_feature_collection } from './echarts_decode.mjs'
// Command use: node data/tianjin/echarts_decode.mjs IN.json OUT.geojson   (keeps `name`, adds
//              `code` from the feature id, drops rings that quantisation collapsed and says how
//              many; used by check_gcj02_evidence.py for other provinces)

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export class DecodeError extends Error {}

function unzigzag(n, where) {
  if (n < 0) throw new DecodeError(`${where}: code unit below 64 is not valid in echarts' encoding`);
  return (n >> 1) ^ -(n & 1);
}

function same_point(a, b) {
  return a[0] === b[0] && a[1] === b[1];
}

// Returns a closed ring without repeated consecutive vertices.
export function decode_ring(encoded, offset, scale, where) {
  if (typeof encoded !== 'string') throw new DecodeError(`${where}: ring is not an encoded string`);
  if (encoded.length % 2 !== 0) throw new DecodeError(`${where}: encoded ring has an odd number of code units`);
  if (!Array.isArray(offset) || offset.length !== 2) throw new DecodeError(`${where}: missing encodeOffsets pair`);
  const ring = [];
  let x = offset[0];
  let y = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    x += unzigzag(encoded.charCodeAt(i) - 64, where);
    y += unzigzag(encoded.charCodeAt(i + 1) - 64, where);
    const vertex = [x / scale, y / scale];
    // Quantisation can repeat a vertex; repeated points are invalid in many consumers (MVT).
    if (ring.length === 0 || !same_point(ring[ring.length - 1], vertex)) ring.push(vertex);
  }
  while (ring.length > 1 && same_point(ring[0], ring[ring.length - 1])) ring.pop();
  if (ring.length < 3) throw new DecodeError(`${where}: ring has fewer than 3 distinct vertices`);
  ring.push([ring[0][0], ring[0][1]]); // echarts rings are open; GeoJSON rings end on their start
  return ring;
}

// Shoelace area in squared degrees; > 0 means counter-clockwise.
export function signed_area(ring) {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; ++i) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

// RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
function orient_polygon(rings) {
  return rings.map((ring, index) => ((signed_area(ring) > 0) === (index === 0) ? ring : ring.slice().reverse()));
}

// options.dropDegenerate: drop rings that quantisation collapsed to < 3 distinct vertices (tiny
// islands at 1/1024 degree) instead of failing; options.dropped counts them.
export function decode_geometry(geometry, scale, where, options = {}) {
  if (!geometry || !Array.isArray(geometry.coordinates)) throw new DecodeError(`${where}: feature has no geometry`);
  const offsets = geometry.encodeOffsets;
  if (!Array.isArray(offsets)) throw new DecodeError(`${where}: geometry has no encodeOffsets`);
  const ring_or_null = (ring, offset, label) => {
    try {
      return decode_ring(ring, offset, scale, label);
    } catch (error) {
      if (!(error instanceof DecodeError) || !options.dropDegenerate || !/fewer than 3/.test(error.message)) throw error;
      options.dropped = (options.dropped ?? 0) + 1;
      return null;
    }
  };
  const polygon = (rings, ring_offsets, label) => {
    if (!Array.isArray(ring_offsets) || ring_offsets.length !== rings.length) {
      throw new DecodeError(`${label}: encodeOffsets do not match the rings`);
    }
    const decoded = rings.map((ring, r) => ring_or_null(ring, ring_offsets[r], `${label} ring ${r}`));
    if (decoded[0] === null) return null; // the exterior collapsed: the whole part goes
    return orient_polygon(decoded.filter((ring) => ring !== null));
  };
  if (geometry.type === 'Polygon') {
    const rings = polygon(geometry.coordinates, offsets, where);
    if (rings === null) throw new DecodeError(`${where}: polygon collapsed to nothing`);
    return { type: 'Polygon', coordinates: rings };
  }
  if (geometry.type === 'MultiPolygon') {
    const parts = geometry.coordinates
      .map((rings, p) => polygon(rings, offsets[p], `${where} part ${p}`))
      .filter((part) => part !== null);
    if (parts.length === 0) throw new DecodeError(`${where}: multipolygon collapsed to nothing`);
    return { type: 'MultiPolygon', coordinates: parts };
  }
  throw new DecodeError(`${where}: unsupported geometry type ${geometry.type}`);
}

// Decodes a whole echarts map object; features without geometry are dropped (as echarts does).
export function decode_feature_collection(source, where, options = {}) {
  if (!source || source.type !== 'FeatureCollection' || !Array.isArray(source.features)) {
    throw new DecodeError(`${where}: not a GeoJSON FeatureCollection`);
  }
  if (!source.UTF8Encoding) throw new DecodeError(`${where}: expected echarts' compressed encoding (UTF8Encoding: true)`);
  const scale = source.UTF8Scale ?? 1024;
  return source.features
    .filter((f) => f.geometry && f.geometry.coordinates && f.geometry.coordinates.length > 0)
    .map((f) => ({
      type: 'Feature',
      id: f.id,
      properties: f.properties ?? {},
      geometry: decode_geometry(f.geometry, scale, `${where} feature ${f.id ?? '(no id)'}`, options),
    }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: node echarts_decode.mjs IN.json OUT.geojson\n');
    process.exit(2);
  }
  try {
    const options = { dropDegenerate: true, dropped: 0 };
    const features = decode_feature_collection(JSON.parse(readFileSync(input, 'utf8')), input, options).map((f) => ({
      type: 'Feature',
      properties: { code: String(f.id ?? ''), name: f.properties.name ?? '' },
      geometry: f.geometry,
    }));
    writeFileSync(output, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
    if (options.dropped > 0) {
      process.stderr.write(`echarts_decode: dropped ${options.dropped} ring(s) collapsed by quantisation\n`);
    }
  } catch (error) {
    process.stderr.write(`echarts_decode: ${error.message}\n`);
    process.exit(1);
  }
}
