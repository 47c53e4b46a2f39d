// Numbers: JavaScript's printing of doubles ($string, & and JSON output),
// arithmetic on doubles of every magnitude, rounding and formatting of many
// values. The values come from a seeded generator: the same every run.

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rnd = lcg(20241120);

// doubles of every magnitude, and the boundaries of JS's number printing
const edges = [0, 1, -1, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e-7, 1.5e-7, 9.99e-7, 1e-6, 1.5e-6, 123e-9, 1e20, 1e21, 9.99e20, 1.5e21,
  2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 2 ** 70, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 123456789.123456789,
  0.000123, 100, 1000000, 123.456, 5.5, -5.5, 0.5, 1.005, 4.35, 0.07, 1e15, 1e16, 1e17, 12345678901234567, 0.1 + 0.2, 3.14159,
  Math.PI, Math.E, Math.SQRT2, -1e-7, -1e21, 99.99, 1.1, 2.675, 1e-300, 1.23e-5, 9007199254740993, 4503599627370496.5];
const randoms = [];
for (let i = 0; i < 120; i++) {
  const mant = rnd() * 10;
  const exp = Math.floor(rnd() * 44) - 22;
  randoms.push((rnd() < 0.3 ? -1 : 1) * mant * 10 ** exp);
}
for (let i = 0; i < 40; i++) randoms.push(Math.floor(rnd() * 1e6) / 100); // money-like
const lit = (n) => (Object.is(n, -0) ? '-0' : String(n)).replace('+', '');

const printing = [];
for (const n of edges.concat(randoms)) {
  printing.push(`$string(${lit(n)})`);
  printing.push(`${lit(n)}`);
}

const arith = [];
for (let i = 0; i < 150; i++) {
  const a = randoms[i % randoms.length], b = randoms[(i * 7 + 3) % randoms.length];
  const op = ['+', '-', '*', '/', '%'][i % 5];
  arith.push(`${lit(a)} ${op} ${lit(b)}`);
}
for (let i = 0; i < 40; i++) {
  const a = Math.floor(rnd() * 2000) / 100, b = Math.floor(rnd() * 2000) / 100;
  arith.push(`${a} + ${b}`, `${a} * ${b}`, `$string(${a} - ${b})`);
}

const rounding = [];
for (let i = 0; i < 80; i++) {
  const n = randoms[i];
  rounding.push(`$round(${lit(n)}, ${Math.floor(rnd() * 8) - 2})`);
  rounding.push(`$floor(${lit(n)})`, `$ceil(${lit(n)})`);
}
// halves at every precision: banker's rounding on the decimal value
for (const s of ['0.5', '1.5', '2.5', '0.25', '0.35', '0.45', '1.25', '1.35', '2.345', '2.355', '10.5', '11.5', '-0.5', '-1.5', '-2.5',
  '0.125', '0.375', '1.0005', '8.345', '8.355', '1.45', '1.55', '2.45', '2.55', '0.015', '0.025', '0.035', '0.045']) {
  for (const p of [0, 1, 2, 3]) rounding.push(`$round(${s}, ${p})`);
}

const formatting = [];
const pictures = ['#,##0.00', '0.000', '#.##', '0', '#,##0', '00000', '0.0e0', '#.###e00', '0%', '0.00%', '#,##0.00;(#,##0.00)', '¤#,##0.00', '0.0#####'];
for (let i = 0; i < 60; i++) {
  const n = randoms[(i * 3) % randoms.length];
  formatting.push(`$formatNumber(${lit(n)}, "${pictures[i % pictures.length]}")`);
}
for (let i = 0; i < 40; i++) {
  const n = Math.floor(rnd() * 1e9);
  formatting.push(`$formatBase(${n}, ${2 + (i % 35)})`, `$formatInteger(${n % 100000}, "${['w', 'I', '#,##0', 'A', 'Ww', '0000'][i % 6]}")`);
}

const parsing = [];
for (const s of ['0', '-0', '1', '-1', '1.5', '.5', '5.', '1e5', '1E5', '1e+5', '1e-5', '0x1F', '0xff', '0b11', '0o7', '1e21', '1e-7', '00010', '  42  ',
  '4 2', '1,000', 'Infinity', '1e999', '-1e999', '0.1e1', '9007199254740993', '123456789012345678901234567890', '0.30000000000000004', '\\t12\\n',
  '１２', '+1', '++1', '1e', 'e1', '.', '', '0x', '1_0', '0.0000001', '1.7976931348623157e308', '5e-324', '2e-324']) {
  parsing.push(`$number("${s}")`);
}

export default [
  { group: 'numbers', file: 'printing', ds: 'emptyobj', cases: printing },
  { group: 'numbers', file: 'arithmetic', ds: 'emptyobj', cases: arith },
  { group: 'numbers', file: 'rounding', ds: 'emptyobj', cases: rounding },
  { group: 'numbers', file: 'formatting', ds: 'emptyobj', cases: formatting },
  { group: 'numbers', file: 'parsing', ds: 'emptyobj', cases: parsing },
  { group: 'numbers', file: 'in-data', ds: 'numbers', cases: [
    '$string($)', 'list.($ * 3)', 'list.$string($)', '$sum(list)', '$average(list)', 'list^($)', 'list[$ > 1]', '$max(list) - $min(list)',
    'list.$round($, 2)', 'list.$formatNumber($, "#,##0.###")', 'ints.($ / 7)', 'ints.$power($, 0.5)', '$string(list)', 'list.$abs($)',
    '{"a": a, "b": b, "sum": a + b}', '$string({"a": a, "b": b, "sum": a + b})', 'big & ""', 'small & ""', 'int20 & ""', 'negzero & ""',
  ] },
];
