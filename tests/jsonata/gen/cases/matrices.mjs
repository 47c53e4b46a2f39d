// Matrices over the picture-string and regex functions: many values x many
// pictures/patterns, so that each component of the picture languages meets
// each kind of value (leap days, year ends, midnight and noon, negative
// timestamps, time zones; regex classes, quantifiers, groups, flags).

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}
const rnd = lcg(7);

const instants = [0, -1, 1, 86399999, 86400000, 951782400000, 951868800000, 1078012800000, 1230768000000, 1230767999999,
  1262304000000, 1704067199999, 1704067200000, 1709164800000, 1719791999999, 1735603200000, 1735689599999, -2208988800000,
  -62135596800000, 4102444800000, 1510067557121, 43200000, 43199999, 1e12, 1234567890123];
for (let i = 0; i < 15; i++) instants.push(Math.floor((rnd() * 2 - 0.5) * 4e12));

const pictures = ['[Y0001]-[M01]-[D01]', '[D1o] [MNn] [Y]', '[FNn], [D] [MNn,3-3] [Y]', '[H01]:[m01]:[s01].[f001]', '[h]:[m01] [P]', '[h#1]:[m01][Pn]',
  '[Y,2]', '[YI]', '[Yw]', '[MI]', '[Mn]', '[MN,3-3]', '[Dwo]', '[DW]', '[d]', '[d001]', '[F1]', '[FN,*-2]', '[W01]', '[w]', '[X0001]-W[W01]-[F1]',
  '[xNn]', '[E]', '[Z]', '[Z0]', '[z]', '[Z01:01]', '[f1]', '[f000001]', '[s]', '[Y0001][M01][D01]T[H01][m01][s01]', '[D] [MNn] [Y] [ZN]',
  'Week [W] of [Y]', '[M]/[D]/[Y,2]', '[H]h[m]', '[C]', '[Y0,2]'];

const zones = ['+0000', '-0500', '+0530', '+1345', '-1200', '0100', '+01:00'];

const fromMillis = [];
for (let i = 0; i < instants.length; i++) {
  for (let j = 0; j < pictures.length; j += 1 + (i % 3)) fromMillis.push(`$fromMillis(${instants[i]}, "${pictures[j]}")`);
  fromMillis.push(`$fromMillis(${instants[i]})`);
  fromMillis.push(`$fromMillis(${instants[i]}, "[Y0001]-[M01]-[D01]T[H01]:[m01] [Z]", "${zones[i % zones.length]}")`);
}

// $toMillis of what $fromMillis prints, for the pictures that carry a full date
const parseable = ['[Y0001]-[M01]-[D01]', '[D1o] [MNn] [Y]', '[FNn], [D] [MNn,3-3] [Y]', '[Y0001][M01][D01]T[H01][m01][s01]', '[YI]-[MI]-[DI]',
  '[Dwo] of [MNn] [Yw]', '[Y]-[d001]', '[M]/[D]/[Y] [h]:[m01] [P]', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]', '[X0001]-W[W01]-[F1]'];
const toMillis = [];
for (let i = 0; i < instants.length; i += 2) {
  for (const p of parseable) toMillis.push(`$toMillis($fromMillis(${instants[i]}, "${p}"), "${p}")`);
}

const subjects = ['hello world', 'The Quick Brown Fox', 'a1b22c333', 'foo.bar@example.com', '  spaced  out  ', 'line1\\nline2\\nline3', 'αβγ ΔΕΖ', 'café',
  '2024-11-20T10:15:30Z', 'aaa', '', 'x'];
const patterns = ['/o/', '/o+/', '/[aeiou]/', '/[^aeiou ]+/', '/\\d+/', '/\\D+/', '/\\w+/', '/\\W/', '/\\s+/', '/\\S+/', '/^\\w+/', '/\\w+$/', '/(\\w)(\\w)?/',
  '/(?<y>\\d{4})-(?<m>\\d\\d)/', '/[A-Z]/', '/[a-z]/i', '/^line\\d$/m', '/l{2}/', '/l{1,}?/', '/(a|b|c)+/', '/\\bo/', '/o\\b/', '/./', '/.+/', '/\\./',
  '/(?:ab)+/', '/a(?=1)/', '/(?<=a)1/', '/[\\u03b1-\\u03c9]+/', '/é/', '/\\p{Lu}/u', '/x|y|z/', '/(o)(?!r)/'];
const regex = [];
for (let i = 0; i < subjects.length; i++) {
  for (let j = 0; j < patterns.length; j++) {
    if ((i + j) % 2) continue;
    const s = JSON.stringify(subjects[i]).replace(/\\\\n/g, '\\n');
    regex.push(`$match(${s}, ${patterns[j]})`);
    regex.push(`$replace(${s}, ${patterns[j]}, "<$0>")`);
    if ((i + j) % 4 === 0) regex.push(`$split(${s}, ${patterns[j]})`, `$contains(${s}, ${patterns[j]})`);
  }
}

export default [
  { group: 'fn-datetime', file: 'matrix-from-millis', ds: 'emptyobj', cases: fromMillis },
  { group: 'fn-datetime', file: 'matrix-to-millis', ds: 'emptyobj', cases: toMillis },
  { group: 'regex', file: 'matrix', ds: 'emptyobj', cases: regex },
];
