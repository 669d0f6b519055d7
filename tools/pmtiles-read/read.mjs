// Reads a PMTiles archive with the `pmtiles` npm package and prints JSON: the header, the
// metadata, and for each z/x/y asked for the tile's bytes as the package returns them
// (decompressed per the header's tile compression), base64, or null when the archive has no tile.
//
//   node read.mjs FILE [z/x/y ...]
//
// An independent reader for map-server's ExportTilesTest: our writer is checked by code we did
// not write. The package reads through a Source; this one reads the local file by byte ranges,
// as FetchSource reads a URL with HTTP Range requests.
import { open } from 'node:fs/promises';
import { PMTiles } from 'pmtiles';

class FileRangeSource {
  constructor(path, handle) {
    this.path = path;
    this.handle = handle;
  }

  getKey() {
    return this.path;
  }

  async getBytes(offset, length) {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buf, 0, length, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) };
  }
}

const [file, ...tiles] = process.argv.slice(2);
if (!file) {
  console.error('usage: node read.mjs FILE [z/x/y ...]');
  process.exit(2);
}
const handle = await open(file, 'r');
try {
  const archive = new PMTiles(new FileRangeSource(file, handle));
  const header = await archive.getHeader();
  const metadata = await archive.getMetadata();
  const out = { header, metadata, tiles: {} };
  for (const zxy of tiles) {
    const [z, x, y] = zxy.split('/').map(Number);
    const tile = await archive.getZxy(z, x, y);
    out.tiles[zxy] = tile ? Buffer.from(tile.data).toString('base64') : null;
  }
  console.log(JSON.stringify(out));
} finally {
  await handle.close();
}
