// tests/browser/devserver.mjs: a development server for the console.
// Serves console/web/ at /console/ (index.html for /console/, /console
// redirects there) with the CSP `tutti serve` uses, and proxies every other
// request to a running `tutti serve`:
//   node tests/browser/devserver.mjs --upstream http://127.0.0.1:PORT [--port 0]
// Prints "devserver: http://127.0.0.1:PORT/console/" on stdout when ready.
// Once `tutti serve` itself serves /console/, point the browser at it instead.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const upstream = new URL(opt('--upstream', process.env.TUTTI_ENDPOINT || 'http://127.0.0.1:4566'));
const port = Number(opt('--port', '0'));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/web');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon' };
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const MAX_BODY = 8 << 20;   // requests bigger than this are refused

function serveStatic(req, res, rel) {
  const file = path.resolve(root, rel === '' ? 'index.html' : rel);
  if (!file.startsWith(root + path.sep) || !types[path.extname(file)]) return notFound(res);
  fs.readFile(file, (err, data) => {
    if (err) return notFound(res);
    res.writeHead(200, { 'Content-Type': types[path.extname(file)], 'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store' });
    res.end(data);
  });
}
function notFound(res) { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found\n'); }

function proxy(req, res) {
  const chunks = []; let size = 0;
  req.on('data', (c) => { size += c.length; if (size > MAX_BODY) { req.destroy(); } else chunks.push(c); });
  req.on('end', () => {
    // The server's browser guard wants a same-origin Origin: the page's origin is ours.
    const headers = { ...req.headers, host: upstream.host };
    if (headers.origin) headers.origin = upstream.origin;
    if (headers.referer) headers.referer = upstream.origin + '/console/';
    const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (ur) => { res.writeHead(ur.statusCode, ur.headers); ur.pipe(res); });
    up.on('error', (e) => {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ __type: 'DevServerProxyError', message: String(e.message) }));
    });
    up.end(Buffer.concat(chunks));
  });
}

const server = http.createServer((req, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  if (p === '/console') { res.writeHead(301, { Location: '/console/' }); return res.end(); }
  if (p.startsWith('/console/') && !p.startsWith('/console/api/'))
    return serveStatic(req, res, decodeURIComponent(p.slice('/console/'.length)));
  proxy(req, res);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`devserver: http://127.0.0.1:${server.address().port}/console/`);
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => process.exit(0));
