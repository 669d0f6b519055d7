#!/usr/bin/env node
// Decodes a glyph PBF with the pbf package and glyphs.proto, checks it the way MapLibre would
// (bitmap of (width + 6) * (height + 6) bytes for every glyph with ink), and prints a JSON
// summary on stdout. Exit code 1 with a message on stderr when the PBF is not what MapLibre
// expects.
//
//   node decode-glyphs.mjs file.pbf
import {readFileSync} from 'node:fs';
import {PbfReader as Pbf} from 'pbf';
import {compile} from 'pbf/compile';
import schema from 'protocol-buffers-schema';

const file = process.argv[2];
if (!file) {
  console.error('usage: node decode-glyphs.mjs file.pbf');
  process.exit(2);
}
const proto = schema.parse(readFileSync(new URL('./glyphs.proto', import.meta.url)));
const {readglyphs} = compile(proto);
const message = readglyphs(new Pbf(readFileSync(file)));

const problems = [];
const stacks = message.stacks.map((stack) => {
  const [start, end] = stack.range.split('-').map(Number);
  if (!(end - start === 255 && start % 256 === 0)) problems.push(`range ${stack.range} is not a 256-code-point range`);
  const glyphs = stack.glyphs.map((g) => {
    const bitmap = g.bitmap ?? new Uint8Array(0);
    const expected = g.width > 0 && g.height > 0 ? (g.width + 6) * (g.height + 6) : 0;
    if (bitmap.length !== expected) problems.push(`glyph ${g.id}: bitmap of ${bitmap.length} bytes, expected ${expected}`);
    if (g.id < start || g.id > end) problems.push(`glyph ${g.id} outside range ${stack.range}`);
    let min = 255;
    let max = 0;
    for (const v of bitmap) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return {id: g.id, width: g.width, height: g.height, left: g.left, top: g.top, advance: g.advance,
      bitmapLength: bitmap.length, min: bitmap.length ? min : null, max: bitmap.length ? max : null};
  });
  return {name: stack.name, range: stack.range, glyphs};
});

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
process.stdout.write(JSON.stringify({stacks}));
