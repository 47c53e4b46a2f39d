#!/usr/bin/env node
// FN-A's sampled cases: the string, format and regex functions with the
// reference implementation (jsonata@2.2.2) as the oracle. Writes
// tests/jsonata/fna/cases.jsonl, one case a line:
//   {"expr", "result": V | "undefined": true | "error": CODE}
// run by tests/jsonata/test_jn_fna.c without Node.
//
// What it holds (deterministic: a fixed seed):
//   - curated.txt: hand-picked edge cases (UTF-16 vs code points, Final_Sigma,
//     every $replace "$n" form, legacy octal escapes, picture quirks, ...);
//   - random regexes (JS syntax: classes, escapes, anchors with m,
//     lookarounds, back-references, quantifiers) x random subjects through
//     $match/$replace/$split/$contains; the generator keeps away from the
//     documented differences (captures in repeated groups, empty iterations,
//     astral characters, the case-folding outliers);
//   - random $formatNumber/$formatInteger/$formatBase/$parseInteger pictures
//     and values, toFixed ties;
//   - random strings (astral, combining, special casing) through every string
//     and encoding function.
// Cases the reference fails without a JSONata code (a JavaScript TypeError or
// RangeError) and results holding lone surrogates are left out.
//
// Usage: node tests/jsonata/fna/gen.mjs [--check]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'cases.jsonl');
const JSONATA = process.env.JSONATA_PATH || '/opt/jsonata/node_modules/jsonata';
const require = createRequire(import.meta.url);
let jsonata;
try {
  jsonata = require(JSONATA);
} catch (e) {
  console.error(`gen.mjs: cannot load ${JSONATA}: ${e.message}`);
  process.exit(2);
}

let seed = 20260425;
function mb() { seed |= 0; seed = seed + 0x6D2B79F5 | 0; let t = Math.imul(seed ^ seed >>> 15, 1 | seed); t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; }
const rnd = (n) => Math.floor(mb() * n);
const pick = (a) => a[rnd(a.length)];

const exprs = [];

// ---- curated ------------------------------------------------------------
for (const l of fs.readFileSync(path.join(HERE, 'curated.txt'), 'utf8').split('\n'))
  if (l.trim() && !l.startsWith('#')) exprs.push(l);

// ---- regexes ------------------------------------------------------------
// [source, can match empty, has a capture group]
const atoms = [
  ['a', 0, 0], ['b', 0, 0], ['é', 0, 0], ['\\w', 0, 0], ['\\W', 0, 0], ['\\d', 0, 0], ['\\D', 0, 0], ['\\s', 0, 0],
  ['\\S', 0, 0], ['.', 0, 0], ['[^a]', 0, 0], ['[a-c]', 0, 0], ['[^\\s]', 0, 0], ['[\\w\\-]', 0, 0], ['\\b', 1, 0],
  ['\\B', 1, 0], ['^', 1, 0], ['$', 1, 0], ['(a|b)', 0, 1], ['(?:ab|é)', 0, 0], ['x', 0, 0], ['\\.', 0, 0],
  ['[.]', 0, 0], ['\\u00e9', 0, 0], ['\\x61', 0, 0], ['\\t', 0, 0], ['\\n', 0, 0], ['(?=a)', 1, 0], ['(?!b)', 1, 0],
  ['(?<=a)', 1, 0], ['(?<!b)', 1, 0], ['\\1', 1, 0], ['[^]', 0, 0], ['[]', 0, 0], ['\\0', 0, 0], ['\\cJ', 0, 0],
  ['Σ', 0, 0], ['σ', 0, 0], ['\\k', 0, 0], ['\\p', 0, 0], ['{', 0, 0], ['}', 0, 0], ['\\]', 0, 0], [']', 0, 0],
  ['(b*)', 1, 1], ['(a)?', 1, 1], ['A', 0, 0], ['É', 0, 0], ['1', 0, 0], ['[0-9]', 0, 0], ['\\v', 0, 0],
  ['\\f', 0, 0], ['\\r', 0, 0], ['[\\s\\S]', 0, 0], ['\\12', 0, 0], ['\\101', 0, 0], ['\\8', 0, 0], ['[\\b]', 0, 0],
  ['[a-\\d]', 0, 0], ['\\u00E9', 0, 0], ['\\x{', 0, 0], ['[\\u00e0-\\u00ff]', 0, 0], ['\\/', 0, 0], ['\\-', 0, 0],
];
const quants = ['', '', '', '', '*', '+', '?', '{2}', '{1,2}', '*?', '+?', '??', '{0,}'];
const rxChars = ['a', 'b', 'A', 'é', 'É', '1', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', 'x', '.', '-', 'Σ', 'σ',
  'ς', '\u000b', '\f', '\u0000', '{', '}', ']', 'k', 'p', '8', '\u0041', '/', '\u00ff', '\u3000'];
function regex() {
  let p = '';
  const n = 1 + rnd(4);
  for (let i = 0; i < n; i++) {
    let [a, canEmpty, hasGroup] = pick(atoms);
    let q = pick(quants);
    if (!hasGroup && !canEmpty && rnd(5) === 0) { a = '(' + a + ')'; hasGroup = 1; }
    if (hasGroup && (canEmpty || /^[*?]|^\{0/.test(q))) q = canEmpty ? '' : q.replace(/^[*?]\??$/, '').replace(/^\{0,\}$/, '');
    if (canEmpty && q) q = '';
    p += a + q;
    if (rnd(8) === 0) p += '|';
  }
  return p;
}
const subject = () => { let s = ''; const n = rnd(9); for (let i = 0; i < n; i++) s += pick(rxChars); return s; };
for (let i = 0; i < 3500; i++) {
  const p = regex();
  const f = pick(['', '', 'i', 'm', 'im']);
  try { new RegExp(p, f + 'g'); } catch (e) { continue; }
  const s = JSON.stringify(subject());
  const fn = pick(['$match', '$match', '$replace', '$replace', '$split', '$contains']);
  if (fn === '$replace') exprs.push(`$replace(${s}, /${p}/${f}, ${JSON.stringify(pick(['<$0|$1>', '[$2$$]', '$10', '', 'x', '$ 1', '$01']))})`);
  else if (fn === '$match' && rnd(4) === 0) exprs.push(`$match(${s}, /${p}/${f}, ${rnd(3)})`);
  else exprs.push(`${fn}(${s}, /${p}/${f})`);
}

// ---- formatting ----------------------------------------------------------
function num() {
  switch (rnd(8)) {
    case 0: return rnd(1000);
    case 1: return -rnd(100000);
    case 2: return +(mb() * 10000).toFixed(rnd(6));
    case 3: return +(mb() / 1000).toPrecision(1 + rnd(5));
    case 4: return pick([0, 0.5, 1.5, 2.5, -0.5, 1.005, 1.015, 0.125, 1e21, 1e-7, 123456789012, 9.995, 99.95, 0.045]);
    case 5: return Math.floor(mb() * 1e9);
    case 6: return -(mb() * 100);
    default: return rnd(30);
  }
}
const npics = ['#', '0', '#,##0', '#,##0.00', '0.0', '00.000', '#.###', '0.00e0', '#.#e00', '00.0e0', '#%', '0.0%', '#‰',
  '#,###.##', '000,000', '#,##,###', '0.0##', '#0.#,##', '$#,##0.00;($#,##0.00)', '#.00;-#.00', '.00', '#.', '0e0',
  '#,#00.0#', '#,###,##0.###,#', '[#]', '##0.0##e0', 'abc#', '#xyz', '9,999.99', '000.000,000', '#0.0e0%', '#,,0',
  '#.#.#', '#;#;#'];
function npic() {
  if (rnd(3)) return pick(npics);
  const ch = ['#', '0', '9', ',', '.', 'e', '%', '‰', ';', '-', 'x', ' ', '5'];
  let s = ''; const n = 1 + rnd(7); for (let i = 0; i < n; i++) s += pick(ch); return s;
}
const ipics = ['0', '00', '000', '#,##0', '0,000', '#,##,##0', 'w', 'W', 'Ww', 'w;o', 'W;o', 'Ww;o', 'I', 'i', 'A', 'a',
  '0;o', '#0;o', '١', '٠٠', '०,००', '0 000', '#', 'x', '', "0'000", '#;o', 'A;o', 'i;o', '00,000;o'];
const options = [{ 'decimal-separator': ',', 'grouping-separator': '.' }, { 'zero-digit': '٠' }, { percent: 'pc' },
  { 'minus-sign': '~' }, { 'exponent-separator': 'E' }, { digit: '@' }, { 'pattern-separator': '|' }];
for (let i = 0; i < 2500; i++) {
  const k = rnd(6);
  if (k <= 1) {
    const opt = rnd(6) === 0 ? `, ${JSON.stringify(pick(options))}` : '';
    exprs.push(`$formatNumber(${num()}, ${JSON.stringify(npic())}${opt})`);
  } else if (k === 2) {
    const v = num();
    const p = pick(ipics);
    if (/^[Ii]/.test(p) && Math.abs(v) >= 9e6) continue; // the reference overflows its stack
    exprs.push(`$formatInteger(${v}, ${JSON.stringify(p)})`);
  } else if (k === 3) {
    exprs.push(`$formatBase(${num()}${pick(['', ', 2', ', 16', ', 36', ', 7', ', 8.6'])})`);
  } else if (k === 4) {
    const n = Math.floor(Math.abs(num())) % 5000000;
    const p = JSON.stringify(pick(ipics));
    exprs.push(`$parseInteger($formatInteger(${n}, ${p}), ${p})`);
  } else {
    exprs.push(`$parseInteger(${JSON.stringify(pick(['12', '1,234', '12th', 'twenty-one', 'XIV', 'mmxx', 'ab', '', '  7', '-5', '1e3', 'one thousand, two hundred and three', '٣٤']))}, ${JSON.stringify(pick(ipics))})`);
  }
}
for (let i = 0; i < 1500; i++) {
  const d = rnd(5);
  let v = rnd(100000) / Math.pow(10, d + rnd(3));
  if (rnd(4) === 0) v += 0.5 / Math.pow(10, d);
  if (rnd(3) === 0) v = -v;
  if (rnd(10) === 0) v = rnd(1e9) * Math.pow(10, rnd(15)) + 0.5;
  const pic = rnd(3) ? '0.' + '0'.repeat(d) : '#,##0.' + '#'.repeat(d) + (rnd(2) ? 'e0' : '');
  exprs.push(`$formatNumber(${v}, "${pic}")`);
}

// ---- strings -------------------------------------------------------------
const schars = ['a', 'B', 'é', 'É', 'ß', '😀', '𐐨', 'Σ', 'σ', 'ς', 'İ', 'ı', 'ﬃ', 'ŉ', ' ', '  ', '\t', '\n', '\r',
  '\u00a0', '%', '+', '/', '=', '-', '_', '~', '.', '!', '*', '(', '#', '?', '&', 'ǅ', 'ΐ', 'x', '1', '\u0301',
  '\u2028', 'ſ', 'K', 'Å', '€', '\u0000', '\u00ff', '\u0100', '\uffff', '\ufeff', "'", 'Ⅻ', 'ⓐ', 'ᾳ'];
const str = () => { let s = ''; const n = rnd(8); for (let i = 0; i < n; i++) s += pick(schars); return s; };
const snum = () => pick([0, 1, 2, 3, -1, -2, -5, 1.5, -1.5, 2.7, 100, -100, 0.4, -0.4, 7]);
const sfns = [
  (s, t) => `$substring(${s}, ${snum()})`, (s, t) => `$substring(${s}, ${snum()}, ${snum()})`,
  (s, t) => `$substringBefore(${s}, ${t})`, (s, t) => `$substringAfter(${s}, ${t})`,
  (s) => `$uppercase(${s})`, (s) => `$lowercase(${s})`, (s) => `$trim(${s})`,
  (s, t) => `$pad(${s}, ${snum() * 2}, ${t})`, (s) => `$pad(${s}, ${snum() * 2})`,
  (s, t) => `$contains(${s}, ${t})`,
  (s) => `$split(${s}, ${JSON.stringify(pick(['', ' ', 'a', 'é', '😀', 'xx']))}, ${pick(['1', '2', '100', '0.5', '3.9'])})`,
  (s) => `$split(${s}, ${JSON.stringify(pick(['', ' ', 'a', 'é', '😀']))})`,
  (s, t) => `$join([${s}, ${t}], ${JSON.stringify(pick(['', ',', 'é']))})`,
  (s, t) => `$replace(${s}, ${JSON.stringify(pick(['a', 'é', '😀', ' ', 'σ']))}, ${t})`,
  (s, t) => `$replace(${s}, ${JSON.stringify(pick(['a', 'é', '😀', ' ', 'σ']))}, ${t}, ${rnd(3)})`,
  (s) => `$base64encode(${s})`, (s) => `$base64decode(${s})`, (s) => `$base64decode($base64encode(${s}))`,
  (s) => `$encodeUrlComponent(${s})`, (s) => `$encodeUrl(${s})`, (s) => `$decodeUrlComponent(${s})`,
  (s) => `$decodeUrl(${s})`, (s) => `$decodeUrlComponent($encodeUrlComponent(${s}))`,
  () => `$decodeUrl(${JSON.stringify(pick(['%', '%2', '%zz', '%41', '%C3%A9', '%E2%82', '%F0%9F%98%80', '%2F%3B', '%23', '%ED%BF%BF', '%c3', '%C3%28']) + pick(['', 'x', '%41']))})`,
  () => `$decodeUrlComponent(${JSON.stringify(pick(['%', '%2', '%zz', '%41', '%C3%A9', '%E2%82', '%F0%9F%98%80', '%2F%3B', '%23', '%ED%BF%BF', '%c3', '%C0%80', '%F4%90%80%80']) + pick(['', 'x', '%41']))})`,
];
for (let i = 0; i < 3500; i++) exprs.push(pick(sfns)(JSON.stringify(str()), JSON.stringify(str())));

// ---- run them through the reference ----------------------------------------
function hasLoneSurrogate(s) {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
function loneIn(v) {
  if (typeof v === 'string') return hasLoneSurrogate(v);
  if (Array.isArray(v)) return v.some(loneIn);
  if (v && typeof v === 'object') return Object.keys(v).some((k) => hasLoneSurrogate(k) || loneIn(v[k]));
  return false;
}
const lines = [];
const seen = new Set();
let dropped = 0;
for (const expr of exprs) {
  if (seen.has(expr)) continue;
  seen.add(expr);
  let c;
  try {
    const r = await jsonata(expr).evaluate(undefined);
    c = r === undefined ? { expr, undefined: true } : { expr, result: r };
  } catch (e) {
    if (!e.code) { dropped++; continue; }
    c = { expr, error: e.code };
  }
  const text = JSON.stringify(c);
  if (loneIn(c.result) || hasLoneSurrogate(expr)) { dropped++; continue; }
  lines.push(text);
}
const out = lines.join('\n') + '\n';
if (process.argv.includes('--check')) {
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (old !== out) { console.error('gen.mjs: cases.jsonl differs from what the reference gives'); process.exit(1); }
  console.log(`cases.jsonl up to date (${lines.length} cases)`);
} else {
  fs.writeFileSync(OUT, out);
  console.log(`wrote ${OUT}: ${lines.length} cases (${dropped} left out: no JSONata code or lone surrogates)`);
}
