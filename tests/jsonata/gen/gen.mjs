#!/usr/bin/env node
// The JSONata golden generator: runs every case of cases/*.mjs through the
// reference implementation (the npm package jsonata@2.2.2) and writes what it
// gives into tests/data/jsonata/<group>/<file>.json, one JSON array of cases
// per file, one case per line:
//   {"id", "expr", "data"?, "bindings"?,
//    "result": V | "undefined": true | "error": {"code","position"?,"token"?,"message"},
//    "check"?: "type"|"shape"|"pattern"|"permutation", "pattern"?}
// "data" absent means an undefined input (not null). Numbers that jansson
// cannot hold as integers (|n| >= 2^53) are written in exponent form, -0 in
// input data as -0.0. See README.md.
//
// Usage: node tests/jsonata/gen/gen.mjs [--only GROUP[,GROUP...]] [--check]
//   --check: compare with the files on disk instead of writing; exit 1 on a
//            difference (the committed goldens are what the reference gives).
process.env.TZ = 'UTC';

import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasets } from './datasets.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOP = path.resolve(HERE, '../../..');
const OUT = path.join(TOP, 'tests/data/jsonata');
const JSONATA = process.env.JSONATA_PATH || '/opt/jsonata/node_modules/jsonata';
const require = createRequire(import.meta.url);
let jsonata;
try {
  jsonata = require(JSONATA);
} catch (e) {
  console.error(`gen.mjs: cannot load ${JSONATA} (npm install --prefix /opt/jsonata jsonata@2.2.2): ${e.message}`);
  process.exit(2);
}
const version = JSON.parse(fs.readFileSync(path.join(JSONATA, 'package.json'), 'utf8')).version;
if (version !== '2.2.2' && !process.env.JSONATA_ANY_VERSION) {
  console.error(`gen.mjs: the reference is jsonata 2.2.2, found ${version} (JSONATA_ANY_VERSION=1 to go on)`);
  process.exit(2);
}

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const checkOnly = args.includes('--check');

// $random and $shuffle draw from Math.random: seeded, so that regenerating
// writes the same sample values (their cases are checked by type anyway)
{
  let seed = 0x2545f491;
  Math.random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
}

const NONDET = /\$(now|millis|random|shuffle)\s*\(/;
const MAX_FILES = 256;
const CASE_MAX = 64 * 1024; // a case's JSON text

// ---- JSON writing -------------------------------------------------------

function hasLoneSurrogate(s) {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

// JSON text jansson reads back to the same values: integers beyond 2^53 in
// exponent form (jansson's integers are 64-bit and overflow is an error),
// -0 as -0.0 when `negzero` (input data; results print -0 as 0 like JS).
function ser(v, negzero) {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      if (!isFinite(v)) throw new Error(`non-finite number ${v}`);
      if (Object.is(v, -0)) return negzero ? '-0.0' : '0';
      if (Number.isInteger(v) && Math.abs(v) >= 2 ** 53) return v.toExponential();
      return JSON.stringify(v);
    case 'string':
      if (hasLoneSurrogate(v)) throw new Error('lone surrogate in a string');
      // tests/golden.h loads without JSON_ALLOW_NUL
      if (v.includes('\u0000')) throw new Error('a NUL character in a string');
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(v)) return '[' + v.map((x) => (x === undefined || typeof x === 'function' ? 'null' : ser(x, negzero))).join(',') + ']';
      if (v._jsonata_lambda || v._jsonata_function) throw new Error('a function in the value');
      const parts = [];
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (x === undefined || typeof x === 'function') continue;
        if (hasLoneSurrogate(k)) throw new Error('lone surrogate in a key');
        if (k.includes('\u0000')) throw new Error('a NUL character in a key');
        parts.push(JSON.stringify(k) + ':' + ser(x, negzero));
      }
      return '{' + parts.join(',') + '}';
    }
    case 'function':
      throw new Error('a function in the value');
    default:
      throw new Error(`cannot write ${typeof v}`);
  }
}

function caseText(c) {
  const parts = [];
  for (const k of Object.keys(c)) {
    if (c[k] === undefined) continue;
    parts.push(JSON.stringify(k) + ':' + ser(c[k], k === 'data' || k === 'bindings'));
  }
  return '{' + parts.join(',') + '}';
}

// ---- evaluation ---------------------------------------------------------

function clone(v) {
  // structuredClone keeps -0 and the document's shape; each evaluation gets
  // its own copy (transform and $clone must not see an earlier case's edits).
  return v === undefined ? undefined : structuredClone(v);
}

async function reference(expr, data, bindings) {
  let compiled;
  try {
    compiled = jsonata(expr);
  } catch (e) {
    return { err: e };
  }
  try {
    return { value: await compiled.evaluate(clone(data), clone(bindings)) };
  } catch (e) {
    return { err: e, atEval: true };
  }
}

// A JavaScript value leaking into a result ("aundefinedc" from
// $replace("abc", "b", missing), a function's source text from $replace with
// a string pattern and a function): a reference bug, not JSONata.
function leaksJavaScript(expr, value) {
  let text;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    return false;
  }
  return (/undefined|NaN/.test(text) && !/undefined|NaN/.test(expr)) || /function\s*\(|=>/.test(text);
}

function errorRecord(e) {
  if (!e || typeof e.code !== 'string') return null; // a JavaScript exception, not a JSONata error
  const r = { code: e.code };
  if (typeof e.position === 'number') r.position = e.position;
  if (e.token !== undefined && e.token !== null) r.token = String(e.token);
  let msg = typeof e.message === 'string' ? e.message : '';
  if (hasLoneSurrogate(msg)) msg = msg.replace(/[\ud800-\udfff]/g, '\ufffd');
  // a message that prints the reference's own objects (a function's
  // internals: {"_jsonata_function":true,...}) is not JSONata's text to keep
  if (!/_jsonata_|\[object |function\s*\(/.test(msg)) r.message = msg;
  return r;
}

function finite(v, nf) {
  if (typeof v === 'number' && !isFinite(v)) {
    nf.found = true;
    return null;
  }
  if (Array.isArray(v)) return v.map((x) => finite(x, nf));
  if (v && typeof v === 'object' && !v._jsonata_lambda && !v._jsonata_function) {
    const o = {};
    for (const k of Object.keys(v)) o[k] = finite(v[k], nf);
    return o;
  }
  return v;
}

function hasLoneSurrogateDeep(v) {
  if (typeof v === 'string') return hasLoneSurrogate(v);
  if (isFunction(v)) return false;
  if (Array.isArray(v)) return v.some(hasLoneSurrogateDeep);
  if (v && typeof v === 'object') return Object.keys(v).some((k) => hasLoneSurrogate(k) || hasLoneSurrogateDeep(v[k]));
  return false;
}

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function replaceLoneDeep(v) {
  if (typeof v === 'string') return v.replace(LONE, '\ufffd');
  if (isFunction(v)) return v;
  if (Array.isArray(v)) return v.map(replaceLoneDeep);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[k.replace(LONE, '\ufffd')] = replaceLoneDeep(v[k]);
    return o;
  }
  return v;
}

function serializable(v) {
  try {
    ser(replaceLoneDeep(finite(v, { found: false })), false);
    return true;
  } catch {
    return false;
  }
}

function isFunction(v) {
  return typeof v === 'function' || (v && typeof v === 'object' && (v._jsonata_lambda || v._jsonata_function));
}

function sameOutcome(a, b) {
  if (a.err || b.err) return !!a.err && !!b.err && a.err.code === b.err.code;
  if (a.value === undefined || b.value === undefined) return a.value === b.value;
  if (isFunction(a.value) && isFunction(b.value)) return true;
  const nf = { found: false };
  try {
    return ser(replaceLoneDeep(finite(a.value, nf)), false) === ser(replaceLoneDeep(finite(b.value, nf)), false);
  } catch {
    return false;
  }
}

// ---- cases --------------------------------------------------------------

function caseId(group, file, expr, dsName, data, bindings) {
  const h = createHash('sha1').update(JSON.stringify([expr, dsName ?? null, dsName ? null : data ?? null, bindings ?? null])).digest('hex');
  return `${group}.${file}.${h.slice(0, 6)}`;
}

async function loadSpecs() {
  const dir = path.join(HERE, 'cases');
  const specs = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort()) {
    const mod = await import(path.join(dir, f));
    for (const s of mod.default) specs.push({ ...s, module: f });
  }
  return specs;
}

const stats = { cases: 0, dropped: [], groups: {} };

async function buildFile(spec) {
  const out = [];
  const seen = new Set();
  for (const raw of spec.cases) {
    const c = typeof raw === 'string' ? { expr: raw } : raw;
    let dsName = c.ds ?? (('data' in c) || c.nodata ? undefined : spec.ds);
    let data;
    if (dsName) {
      if (!(dsName in datasets)) throw new Error(`${spec.module}: unknown dataset ${dsName}`);
      data = datasets[dsName];
    } else if ('data' in c) data = c.data;
    else if (!c.nodata && 'data' in spec) data = spec.data;
    const bindings = c.bindings ?? spec.bindings;
    const id = c.id ? `${spec.group}.${spec.file}.${c.id}` : caseId(spec.group, spec.file, c.expr, dsName, data, bindings);
    if (seen.has(id)) continue; // the same case twice in a list
    seen.add(id);
    if (process.env.GEN_TRACE) console.error(`trace: ${id}: ${c.expr}`);
    const r1 = await reference(c.expr, data, bindings);
    const rec = { id, expr: c.expr };
    if (data !== undefined) rec.data = data;
    if (bindings !== undefined) rec.bindings = bindings;
    let check = c.check;
    if (!check && !c.det && NONDET.test(c.expr)) check = 'type';
    if (!check && !r1.err && !serializable(r1.value)) check = undefined; // dropped below: no rerun
    else if (!check) {
      const r2 = await reference(c.expr, data, bindings);
      if (!sameOutcome(r1, r2)) {
        console.warn(`gen.mjs: ${id}: two runs differ: marked "check": "type" (${c.expr})`);
        check = 'type';
      }
    }
    if (r1.err && r1.atEval && /^S0/.test(r1.err.code || '')) {
      // a syntax error while evaluating: the reference parsing text of its
      // own ($string(?) builds a lambda from the signature's text)
      stats.dropped.push(`${id}: the reference raised ${r1.err.code} while evaluating: ${r1.err.message} (${c.expr})`);
      continue;
    }
    if (!r1.err && leaksJavaScript(c.expr, r1.value)) {
      stats.dropped.push(`${id}: a JavaScript value leaks into the reference's result ${JSON.stringify(r1.value).slice(0, 80)} (${c.expr})`);
      continue;
    }
    if (r1.err) {
      const er = errorRecord(r1.err);
      if (!er) {
        stats.dropped.push(`${id}: the reference threw ${r1.err && r1.err.name}: ${r1.err && r1.err.message} (${c.expr})`);
        continue;
      }
      rec.error = er;
    } else if (r1.value === undefined) {
      rec.undefined = true;
    } else {
      const nf = { found: false };
      rec.result = finite(r1.value, nf);
      // Infinity and NaN have no JSON form: JSON.stringify (and so the
      // reference's users) see null; the case says so
      if (nf.found) rec.nonfinite = true;
      // A lone UTF-16 surrogate has no UTF-8 form: the result holds U+FFFD
      // in its place (what jansson values get), "text" what JSON.stringify
      // prints ("\ud83d"), which jsonata_eval_text must print.
      if (!isFunction(r1.value) && hasLoneSurrogateDeep(rec.result)) {
        rec.text = JSON.stringify(rec.result);
        rec.result = replaceLoneDeep(rec.result);
      }
    }
    if (check) rec.check = check;
    if (c.pattern) rec.pattern = c.pattern;
    if (c.note) rec.note = c.note;
    let text;
    try {
      text = caseText(rec);
    } catch (e) {
      stats.dropped.push(`${id}: ${e.message} (${c.expr})`);
      continue;
    }
    if (text.length > CASE_MAX) {
      stats.dropped.push(`${id}: ${text.length} bytes of case (at most ${CASE_MAX}) (${c.expr})`);
      continue;
    }
    out.push(text);
  }
  return out;
}

async function main() {
  const specs = await loadSpecs();
  const files = new Map(); // "group/file" -> lines
  for (const spec of specs) {
    if (only && !only.includes(spec.group)) continue;
    const key = `${spec.group}/${spec.file}`;
    const lines = await buildFile(spec);
    files.set(key, (files.get(key) || []).concat(lines));
  }
  const byGroup = {};
  for (const [key, lines] of files) {
    const [g] = key.split('/');
    (byGroup[g] ||= []).push([key, lines]);
  }
  let differ = 0;
  for (const [g, list] of Object.entries(byGroup)) {
    if (list.length > MAX_FILES) throw new Error(`group ${g}: ${list.length} files (at most ${MAX_FILES})`);
    const dir = path.join(OUT, g);
    const want = new Map(list.map(([key, lines]) => [path.basename(key) + '.json', '[\n' + lines.join(',\n') + '\n]\n']));
    if (checkOnly) {
      // a case with a "check" has a sample result that may differ run to run
      const norm = (t) => JSON.stringify(JSON.parse(t).map((c) => (c.check ? { ...c, result: undefined } : c)));
      for (const [name, text] of want) {
        const p = path.join(dir, name);
        const have = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
        if (have === null || norm(have) !== norm(text)) {
          console.log(`differs: ${path.relative(TOP, p)}`);
          differ++;
        }
      }
    } else {
      fs.mkdirSync(dir, { recursive: true });
      for (const name of fs.readdirSync(dir)) if (name.endsWith('.json') && !want.has(name)) fs.unlinkSync(path.join(dir, name));
      for (const [name, text] of want) fs.writeFileSync(path.join(dir, name), text);
    }
    const n = list.reduce((a, [, l]) => a + l.length, 0);
    stats.groups[g] = n;
    stats.cases += n;
  }
  if (!only && !checkOnly) {
    // a group no longer generated leaves no stale folder behind
    for (const d of fs.existsSync(OUT) ? fs.readdirSync(OUT) : []) {
      const p = path.join(OUT, d);
      if (fs.statSync(p).isDirectory() && !(d in byGroup)) fs.rmSync(p, { recursive: true });
    }
  }
  for (const d of stats.dropped) console.warn(`dropped: ${d}`);
  for (const [g, n] of Object.entries(stats.groups).sort()) console.log(`${g}: ${n}`);
  console.log(`total: ${stats.cases} cases in ${files.size} files (jsonata ${version}), ${stats.dropped.length} dropped`);
  if (checkOnly && differ) process.exit(1);
}

main().catch((e) => {
  console.error(`gen.mjs: ${e.stack || e}`);
  process.exit(2);
});
