#!/usr/bin/env node
// Decodes a Mapbox Vector Tile with @mapbox/vector-tile (an independent decoder for gridmap's
// tests) and prints JSON:
//   {"<layer>": {"extent": 4096, "version": 2,
//                "features": [{"id", "type", "properties", "geometry"}]}}
// where geometry is loadGeometry()'s rings/lines/points as [[[x, y], ...], ...] in tile units.
// Usage: node decode.js tile.mvt   (gzipped or not; "-" reads standard input)
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node decode.js <tile.mvt | ->\n');
  process.exit(2);
}
let bytes = readFileSync(file === '-' ? 0 : file);
if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
  bytes = gunzipSync(bytes);
}
const tile = new VectorTile(new PbfReader(bytes));
const out = {};
for (const [name, layer] of Object.entries(tile.layers)) {
  const features = [];
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    features.push({
      id: f.id ?? null,
      type: f.type,
      properties: f.properties,
      geometry: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y])),
    });
  }
  out[name] = { extent: layer.extent, version: layer.version, features };
}
process.stdout.write(JSON.stringify(out));
process.stdout.write('\n');
