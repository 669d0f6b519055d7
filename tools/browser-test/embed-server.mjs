// The second origin of the embedding test: a tiny static server on another loopback port that
// serves one page, the snippet from docs/embedding.md, so every request it makes to the map
// server is cross-origin and CORS is really exercised.
import { createServer } from 'node:http';

/** The fenced code block that follows `<!-- snippet: NAME -->` in a Markdown document. */
export function extractSnippet(markdown, name) {
  const marker = `<!-- snippet: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/embedding.md has no "${marker}" marker`);
  const m = /```[a-z]*\n([\s\S]*?)\n```/.exec(markdown.slice(at));
  if (!m) throw new Error(`no fenced code block after "${marker}"`);
  return m[1];
}

/** Serves `html` (with the docs' example server URL replaced by `base`) at / on a free port. */
export function serveSnippet(html, base, exampleBase = 'http://127.0.0.1:8080') {
  const page = html.split(exampleBase).join(base);
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(page);
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
