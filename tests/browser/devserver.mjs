// tests/browser/devserver.mjs: a development server for the console.
// Serves console/web/ at /console/ (index.html for /console/, /console
// redirects there) with the CSP `tutti serve` uses, and proxies every other
// request to a running `tutti serve`:
//   node tests/browser/devserver.mjs --upstream http://127.0.0.1:PORT [--port 0]
// Prints "devserver: http://127.0.0.1:PORT/console/" on stdout when ready.
// Once `tutti serve` itself serves /console/, point the browser at it instead.
//   --graph-fallback: while the server has no /console/api/graph yet, answer
//   it here with Graphviz's `dot` (the same <g id="state:NAME" class="node
//   state type-TYPE"> convention, Start/End as __start/__end); development
//   only, the server's own graph is the one tested.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';

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
const graphFallback = args.includes('--graph-fallback');

// ---- the Graphviz fallback for /console/api/graph ----
const q = (s) => '"' + String(s).replace(/["\\]/g, '\\$&') + '"';
function dotOf(asl) {
  const out = ['digraph asl {', 'graph [rankdir=TB, fontname="sans-serif"];', 'node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="sans-serif"];',
    '"__start" [id="__start", shape=circle, label="Start"];', '"__end" [id="__end", shape=doublecircle, label="End"];'];
  let cluster = 0;
  const walk = (m, prefix, into, outOf) => {
    const states = m.States || {};
    out.push(`${q(into)} -> ${q(prefix + m.StartAt)};`);
    for (const [name, st] of Object.entries(states)) {
      const id = prefix + name;
      out.push(`${q(id)} [id=${q('state:' + name)}, class=${q('state type-' + st.Type)}, label=${q(name)}];`);
      const nexts = [st.Next, st.Default, ...(st.Choices || []).map((c) => c.Next), ...(st.Catch || []).map((c) => c.Next)].filter(Boolean);
      for (const n of nexts) out.push(`${q(id)} -> ${q(prefix + n)};`);
      if (st.End || st.Type === 'Succeed' || st.Type === 'Fail') out.push(`${q(id)} -> ${q(outOf)};`);
      const subs = st.Type === 'Parallel' ? st.Branches || [] : st.Type === 'Map' ? [st.ItemProcessor || st.Iterator].filter(Boolean) : [];
      for (const b of subs) {
        out.push(`subgraph cluster_${cluster++} {`);
        walk(b, `${id}/${cluster}/`, id, id);
        out.push('}');
      }
    }
  };
  walk(asl, '', '__start', '__end');
  out.push('}');
  return out.join('\n');
}
async function upstreamJson(target, body) {
  const r = await fetch(upstream.origin + '/', { method: 'POST', body: JSON.stringify(body),
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.0' } });
  const j = await r.json();
  if (!r.ok) throw Object.assign(new Error(j.message), { type: j.__type, status: r.status });
  return j;
}
async function graph(req, res, body) {
  const fail = (status, type, message) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ __type: type, message })); };
  let asl;
  try {
    const b = JSON.parse(body);
    const text = b.definition ?? (await upstreamJson('AWSStepFunctions.DescribeStateMachine', { stateMachineArn: b.stateMachineArn })).definition;
    asl = JSON.parse(text);
  } catch (e) {
    return fail(e.status || 400, e.type || 'InvalidDefinition', e.message);
  }
  const child = execFile('dot', ['-Tsvg'], { maxBuffer: 64 << 20 }, (err, svg) => {
    if (err) return fail(500, 'GraphvizError', err.message);
    res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
    res.end(svg);
  });
  child.stdin.end(dotOf(asl));
}

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
    if (graphFallback && req.method === 'POST' && req.url === '/console/api/graph')
      return graph(req, res, Buffer.concat(chunks).toString('utf8'));
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
