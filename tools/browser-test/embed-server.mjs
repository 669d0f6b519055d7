// The second origin of the embedding test: a tiny static server on another loopback port that
// serves one page, the snippet from docs/embedding.md, so every request it makes to the map
// server is cross-origin and CORS is really exercised.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fenced code block that follows `<!-- snippet: NAME -->` in a Markdown document. */
export function extractSnippet(markdown, name) {
  const marker = `<!-- snippet: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/embedding.md has no "${marker}" marker`);
  const m = /```[a-z]*\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  if (!m) throw new Error(`no fenced code block after "${marker}"`);
  return m[1];
}

/**
 * Serves `files` ({path: {type, body}}) on a free loopback port, with every occurrence of the
 * docs' example server URL in a text body replaced by `base`.
 */
export function serveFiles(files, base, exampleBase = 'http://127.0.0.1:8080') {
  const served = {};
  for (const [path, f] of Object.entries(files)) {
    served[path] = { type: f.type, body: typeof f.body === 'string' ? f.body.split(exampleBase).join(base) : f.body };
  }
  const server = createServer((req, res) => {
    const f = served[req.url.split('?')[0]];
    if (f) {
      res.writeHead(200, { 'Content-Type': f.type, 'Cache-Control': 'no-store' });
      res.end(f.body);
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      // closeAllConnections: the browser keeps idle keep-alive sockets open, and close()
      // alone would wait for them (about 100 s here)
      const close = () => new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      resolve({ url, close });
    });
  });
}

/** Serves one HTML page at /. */
export function serveSnippet(html, base, exampleBase) {
  return serveFiles({ '/': { type: 'text/html; charset=utf-8', body: html } }, base, exampleBase);
}

/**
 * The OpenLayers snippet (ES modules importing ol and ol-mapbox-style, as an application
 * writes it) bundled with esbuild from this folder's node_modules, in a page of its own.
 */
export async function serveOpenLayersSnippet(js, base, exampleBase) {
  const esbuild = await import('esbuild');
  const here = dirname(fileURLToPath(import.meta.url));
  const out = await esbuild.build({
    stdin: { contents: js, resolveDir: here, loader: 'js', sourcefile: 'embedding-openlayers.js' },
    bundle: true, write: false, format: 'iife', target: 'es2020', logLevel: 'silent',
  });
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>OpenLayers with gridmap's layers</title>
<link rel="stylesheet" href="/ol.css"><style>html, body, #map { margin: 0; height: 100%; }</style></head>
<body><div id="map"></div><script src="/app.js"></script></body></html>`;
  return serveFiles({
    '/': { type: 'text/html; charset=utf-8', body: html },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: out.outputFiles[0].text },
    '/ol.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(here, 'node_modules/ol/ol.css'), 'utf8') },
  }, base, exampleBase);
}
