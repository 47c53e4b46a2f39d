#!/usr/bin/env node
// FN-B's sampled cases: the numeric, date/time, array, object and
// higher-order functions over many generated arguments, with the reference
// implementation (jsonata@2.2.2) as the oracle. Writes
// tests/jsonata/fnb/cases.jsonl, one case a line:
//   {"expr", "bindings"?, "result": V | "undefined": true | "error": CODE}
// run by tests/jsonata/test_jn_fnb.c without Node.
//
// What it samples (deterministic: a fixed LCG, fixed "now"):
//   - $round(x, p) and $power(x, y) over thousands of arguments: V8 computes
//     Math.pow with its own fdlibm variant, and $round works on the decimal
//     string; a last-digit difference shows here;
//   - $fromMillis over instants from year -271821 to 275760 x ~170 pictures
//     x time zones; $toMillis over every shape the reference's ISO 8601
//     regular expression accepts (V8's Date.parse decides the result) and
//     over formatted/parsed picture pairs;
//   - $sort/$distinct/$reverse/$zip/$spread/$merge/$each/$sift/$map/$filter/
//     $single/$reduce over generated arrays and objects.
// Cases whose result depends on the clock (a picture leaving out the year)
// are dropped: each case runs under two different "now" values and is kept
// only when both agree.
//
// Usage: node tests/jsonata/fnb/gen.mjs [--check]
process.env.TZ = 'UTC';

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'cases.jsonl');
const JSONATA = process.env.JSONATA_PATH || '/opt/jsonata/node_modules/jsonata';
const require = createRequire(import.meta.url);

const RealDate = Date;
let NOW = 1796605472000;
global.Date = class extends RealDate {
  constructor(...a) { if (a.length === 0) super(NOW); else super(...a); }
  static now() { return NOW; }
};
let jsonata;
try {
  jsonata = require(JSONATA);
} catch (e) {
  console.error(`gen.mjs: cannot load ${JSONATA}: ${e.message}`);
  process.exit(2);
}

let seed = 20261207;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];

async function run(expr, bindings) {
  try {
    const r = await jsonata(expr).evaluate(undefined, bindings);
    if (r === undefined) return { undefined: true };
    if (typeof r === 'number' && !Number.isFinite(r)) return { result: null }; // NaN prints null
    return { result: JSON.parse(JSON.stringify(r)) };
  } catch (e) {
    if (!e.code) return null; // a JavaScript TypeError/RangeError: no JSONata code to compare
    return { error: e.code };
  }
}

const cases = [];
async function add(expr, bindings) {
  NOW = 1796605472000;
  const a = await run(expr, bindings);
  NOW = 1262304000000 + 3 * 86400000 + 5 * 3600000 + 7 * 60000 + 11000 + 13;
  const b = await run(expr, bindings);
  if (!a || JSON.stringify(a) !== JSON.stringify(b)) return;
  // most non-matching picture parses and most NaN powers say little: keep a third
  if ((a.undefined || a.error === 'D3061') && rnd() < 0.66) return;
  const c = { expr };
  if (bindings) c.bindings = bindings;
  Object.assign(c, a);
  cases.push(c);
}

// ---- numeric -------------------------------------------------------------
for (let i = 0; i < 1500; i++) {
  const mag = Math.floor(rnd() * 30) - 15;
  let v = (rnd() * 2 - 1) * Math.pow(10, mag);
  if (i % 4 === 0) v = Math.round(v * 1000) / 1000 + 0.0005 * (rnd() < 0.5 ? 1 : -1);
  if (i % 7 === 0) v = Math.floor(rnd() * 1000) / 8;
  await add('$round($x, $p)', { x: v, p: Math.floor(rnd() * 12) - 4 });
}
for (const v of [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1.005, 2.675, 1.0049999, 1e21, 1.23e-10, 5e-324, 1e300, -1e300, 123456789.125, 0.125, 0.375])
  for (const p of [-2, -1, 0, 1, 2, 3, 10, 300, -300, 1.5]) await add('$round($x, $p)', { x: v, p });
for (let i = 0; i < 1200; i++) {
  const a = (rnd() * 2 - 1) * Math.pow(10, Math.floor(rnd() * 6) - 2);
  const b = (rnd() * 2 - 1) * Math.pow(10, Math.floor(rnd() * 4) - 1);
  await add('$power($x, $y)', { x: a, y: b });
  await add('$power($x, $y)', { x: Math.floor(a), y: Math.floor(b * 3) });
}
for (let i = 0; i < 300; i++) await add('$sqrt($x)', { x: rnd() * Math.pow(10, Math.floor(rnd() * 20) - 10) });
for (let i = 0; i < 300; i++) {
  const n = Math.floor(rnd() * 12);
  const arr = Array.from({ length: n }, () => Math.round((rnd() * 2 - 1) * 1e6) / Math.pow(10, Math.floor(rnd() * 7)));
  await add(pick(['$sum($a)', '$average($a)', '$max($a)', '$min($a)']), { a: arr });
}

// ---- date/time -----------------------------------------------------------
const ms = [0, 1510067557121, -1, 1.5, -62198755200000, -62135596800001, 951782400000, 1104537600000, 1230681600000,
  1293753600000, 1609459199999, 1451606400000, 8.64e15, -8.64e15, 8.64e15 + 1, 253402300799999, 1483228800000,
  1514678400000, 1514764800000, 1545955200000, 1577750400000, 1700000000000, 43200000, 46800000, 1135987200000,
  -2208988800000, -61000000000000];
const pics = ['[Y0001]-[M01]-[D01]', '[H01]:[m01]', '[FNn], [D1o] [MNn] [Y]', '[h]:[m01][P] [z]', '[Y,2]', '[MNn,3-3]',
  '[W] [w] [X] [x] [d] [F] [C] [E]', '[Q]', '[Y', '[Z]', '[Z0000]', '[Z00000]', '[YI] [Dw] [Mwo]', '[Q1]', '[]', '[Z0]', '[Zt]',
  '[z]', '[Y9,999,*]', '[D#1,2]', '[MNn,-3]', '[MN,2-3]', '[Y,2-x]', '[Da] [DA] [Mi] [Yw] [YWw] [YW]', '[Y1,2]', '[D01o]',
  '[Dx]', '[YNn]', '[f]', '[f001]', '[H#]', '[[[Y]]]', ']]x]', '[ Y 0001 ]', '[Y٠٠٠١]', '[PN]', '[F01]', '[Y0,0]', '[m#,#]',
  '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]', '[D1o] [MNn,3-3]', '[dwo]', '[d001]', '[FN,2]', '[Fn,3-3]', '[Mn]',
  '[MN]', '[xNn]', '[M1o]', '[D1c]', '[Da]', '[Wwo]', '[Xi]', '[xi]', '[H01]:[m01]:[s01] [P]', '[h01] [PN]', '[Pn]', '[z0000]',
  '[Z01]', '[Z1]', '[Z001]', '[Z#0]', '[Z01:01]', '[Z0101t]', '[z01:01t]', '[ZN]', '[Zi]', '[Y0001] [Y001] [Y01] [Y1] [Y#1] [Y##1]',
  '[Y,4]', '[Y,3-4]', '[Y,*-2]', '[Y1,*]', '[D,2]', '[D01,1]', '[M,2-2]', '[s,2]', '[f,3-3]', '[f01]', '[f0001]', '[D#,##0]',
  '[Y0,000]', '[Y0;000]', '[Y0 0 0 0]', '[Y#,##0]', '[Y#,#,#0]', '[Y0,00,0]', "[Y0'000]", '[D1;o]', '[Dwo]', '[DWwo]', '[DWo]',
  '[DIo]', '[DAo]', 'Day [D] of [MNn] in [Y]', '[MNn] [D1o], [Y] [h]:[m01] [PN]', 'Q[Yw]', '[Y]-[M]-[D]', '[D]/[M]/[Y]',
  'week [W] of [X]', 'x[Yii]', '[Yw;o]', '[Y1;o]', '[F1]', '[F1o]', '[Fw]', '[FNn,2-2]', '[FNn,*-3]', '[H] [h] [m] [s] [f]',
  '[Y٠]', '[Y١٢٣٤]', '[D٠١]', '[Y0١]', '[Y𝟎𝟎𝟎𝟏]', '[Y0,0,0,0,0,0]', '[Y#,##,##0]', '[Y##,##0]', '[D#,#0]', '[Yi]', '[YI]',
  '[Y0001,2-2]', '[Y01,4]', '[Y*]', '[Ma]', '[MA]', '[D1;c]', '[Y,0-0]', '[E1]', '[Cn]', '[é1]', '[,2]'];
for (const m of ms) {
  await add('$fromMillis($m)', { m });
  for (const p of pics) await add('$fromMillis($m, $p)', { m, p });
}
const tzs = ['+0000', '-0500', '-0530', '+0530', '+1400', '-1200', '0100', '+01:00', 'abc', '', '0x10', ' 0200', '-0045', '+0059'];
for (const m of [0, 1510067557121, -62198755200000, 8.64e15 + 1])
  for (const t of tzs)
    for (const p of [undefined, '[Z]', '[z]', '[Z0]', '[Z0000]', '[H01]:[m01] [Z01:01t]', '[Z01]', '[Z001]', '[Zt]', '[h]:[m][P]', '[Y]-[M]-[D] [H]'])
      await add('$fromMillis($m, $p, $t)', p === undefined ? { m, t } : { m, p, t });
for (let i = 0; i < 1200; i++) {
  const m = Math.floor((rnd() * 2 - 1) * 4e12 + (i % 3 === 0 ? -6.2e13 * rnd() : 0));
  await add('$fromMillis($m, $p, $t)', { m, p: '[W] [w] [X] [x] [d] [F] [Y] [M] [D] [H] [h] [m] [s] [f] [P] [Yw] [Dwo] [MI]', t: i % 2 ? '-0730' : '+0000' });
}
// every shape the ISO 8601 check accepts, sampled
{
  const msx = ['', '-11', '-02', '-00', '-13'], dsx = ['', '-07', '-30', '-31', '-00', '-39'];
  const tsx = ['', 'T15:12:37', 'T24:00:00', 'T25:00:00', 'T00:00:00'], fsx = ['', '.5', '.123', '.1234567', '.0'];
  const zsx = ['', 'Z', '+01:00', '+0100', '-0530', '+2400', '+2359'];
  const re = /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/;
  const all = [];
  for (const m of msx) for (const d of dsx) for (const t of tsx) for (const f of fsx) for (const z of zsx) {
    const s = '2017' + m + d + t + f + z;
    if (re.test(s)) all.push(s);
  }
  for (const s of all) if (rnd() < 0.3) await add('$toMillis($s)', { s });
}
for (const s of ['2017.05', '2017.12', '2017.13', '2017.00', '2017.1', '2017.0', '2017.31', '2017-02.30', '2017-02.31', '2017-02.32',
  '2017-02.00', '2017-02.005', '2017T24:00:00.0', '2017T24:00:00.0001', '2017-11-07T24:00:00+0100', '2017-11-07T23:59:59.9999',
  '0000', '9999-12-31T23:59:59.999Z', '2017-11-07T15:12:37.', '2017-31', '2017-0530', '2017-05-0530', 'foo', '', '2017-11-07 15:12:37',
  '20171107', '2017-11-07T15:12:37.123456789012345Z', '2017.123456789012345', '0099-01-01', '0050-06-15T00:00:00Z',
  '2017-11-07T15:12:37z', '2017-11-07t15:12:37Z', '2016-02-29', '2017-02-29', '1970-01-01T00:00:00.001+00:00'])
  await add('$toMillis($s)', { s });
{
  const ppics = ['[Y0001]-[M01]-[D01]', '[Y]-[M]-[D]', '[D]/[M]/[Y]', '[FNn], [D1o] [MNn] [Y]', '[D1o] [MNn,3-3] [Y]',
    '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]', '[Y][M01][D01]',
    '[Y0001][M01][D01]', '[Y0001][M01][D01][H01][m01]', '[Y]-[d]', '[Y0001]-[d001]', '[Dw] [MNn] [Yw]', '[DWwo] of [MNn], [YWw]',
    '[Di] [Mi] [YI]', '[Da] [MA] [Y]', '[D] [MNn] [Y] [H]:[m] [z]', '[YI]', '[Y]', '[Y]-[M]-[D] [H]:[m]:[s].[f]',
    '[Y]-[M]-[D] [Z0000]', '[Y]-[M]-[D] [Z0]', '[Y]-[M]-[D] [Z01:01]', '[X]-[W]-[F]', '[Y]-[x]-[w]-[F]', '[M]-[H]', 'literal',
    '[Y]x', '[Y]. ([M])', '[FNn] [D] [MNn] [Y]', '[Y,2]-[M]-[D]', '[D1o]/[M1o]/[Y]', '[MNn,3] [D] [Y]', '[Y0001] [Y0001]',
    '[Y]-[M]-[D] [h]:[m][P]', '[Y]-[M]-[D] [H]:[s]', '[Q]', '[Yx]', '[C] [Y]'];
  const strs = ['2017-11-07', '07/11/2017', 'Tuesday, 7th November 2017', '7th Nov 2017', '2017-11-07T15:12:37.121Z',
    '2017-11-07T15:12:37.121+01:00', '2017-11-07T15:12:37-05:30', '20171107', '201711071512', '2017-311', '2017-045',
    'seven November two thousand and seventeen', 'Seventh of November, Two Thousand and Seventeen', 'vii xi MMXVII', 'g K 2017',
    '7 November 2017 15:12 GMT+01:00', 'MMXVII', '2017', '2017-11-07 15:12:37.5', '2017-11-07 15:12:37.123456', '2017-11-07 +0100',
    '2017-11-07 -0530', '2017-11-07 +01', '2017-11-07 -5', '2017-11-07 +01:30', '2017-45-2', '2017-11-2-2', 'literal', 'LITERAL',
    '2017x', '2017. (11)', 'Tuesday 7 November 2017', '17-11-07', '7th/11th/2017', 'Nov 7 2017', '2017 2018',
    'tuesday 7 november 2017', '2017-1-1', '2017-13-45', '0099-01-01', '99-01-01', '2017-02-30', 'Sunday, 1st January 2017',
    'thirty-first December two thousand', '2017-11-07 3:12pm', '2017-11-07 12:30am', '2017-11-07 15:37', 'november 7 2017'];
  for (const p of ppics) {
    for (const m of [1510067557121, 0, 946684800000, -62198755200000, 1483228800000, 1514678399999]) {
      NOW = 1796605472000;
      let s;
      try { s = await jsonata('$fromMillis($m, $p)').evaluate(undefined, { m, p }); } catch (e) { s = undefined; }
      if (typeof s === 'string') await add('$toMillis($s, $p)', { s, p });
    }
    for (const s of strs) await add('$toMillis($s, $p)', { s, p });
  }
}

// ---- arrays, objects, higher-order functions -----------------------------
const atom = () => pick([() => Math.floor(rnd() * 10), () => pick(['a', 'b', 'B', 'é', '😀', '\uffff', '']), () => null,
  () => rnd() < 0.5, () => [Math.floor(rnd() * 3)], () => ({ k: Math.floor(rnd() * 3) })])();
const nums = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 20) - 5);
const strs = (n) => Array.from({ length: n }, () => pick(['a', 'b', 'B', 'ab', 'é', '😀', '\uffff', '', 'Z', 'aa', '10', '9']));
for (let i = 0; i < 150; i++) {
  const n = Math.floor(rnd() * 9);
  await add('$sort($a)', { a: nums(n) });
  await add('$sort($a)', { a: strs(n) });
  await add('$sort($a, function($x, $y){ $x < $y })', { a: nums(n) });
  await add('$sort($a, function($x, $y){ $x % 3 > $y % 3 })', { a: nums(n) });
  await add('$distinct($a)', { a: Array.from({ length: n }, atom) });
  await add('$reverse($a)', { a: Array.from({ length: n }, atom) });
  await add('$zip($a, $b)', { a: nums(n), b: strs(Math.floor(rnd() * 9)) });
  const o = Object.fromEntries(strs(n).map((k, j) => [k + j, atom()]));
  await add('$spread($o)', { o });
  await add('$merge([$o, {"a0": 1}])', { o });
  await add('$each($o, function($v, $k){ $k & ":" & $string($v) })', { o });
  await add('$sift($o, function($v){ $type($v) = "number" })', { o });
  const a = nums(n);
  await add('$map($a, function($v, $i, $arr){ $v * $i + $count($arr) })', { a });
  await add('$filter($a, function($v, $i){ $v > $i })', { a });
  await add('$reduce($a, function($acc, $v, $i){ $acc + $v * $i })', { a });
  await add('$reduce($a, function($acc, $v){ $append($acc, $v) }, [])', { a });
  await add('$single($a, function($v){ $v = 3 })', { a });
}

const text = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
if (process.argv.includes('--check')) {
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (old !== text) {
    console.error('gen.mjs: tests/jsonata/fnb/cases.jsonl differs from what the reference gives');
    process.exit(1);
  }
  console.log(`gen.mjs: ${cases.length} cases, as committed`);
} else {
  fs.writeFileSync(OUT, text);
  console.log(`gen.mjs: ${cases.length} cases -> ${path.relative(process.cwd(), OUT)}`);
}
