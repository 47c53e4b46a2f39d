// Random picture strings (seeded) for the picture languages: $fromMillis
// components with presentation and width modifiers, $toMillis of what they
// print, $formatNumber sub-pictures (valid and not), $formatInteger digit
// patterns and their $parseInteger inverses.

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const r = lcg(424242);
const pick = (a) => a[Math.floor(r() * a.length)];
const esc = (s) => JSON.stringify(s);

const SPEC = ['Y', 'M', 'D', 'd', 'F', 'W', 'w', 'X', 'x', 'H', 'h', 'P', 'm', 's', 'f', 'Z', 'z', 'C', 'E'];
const PRES = ['', '', '1', '01', '001', '0001', 'I', 'i', 'w', 'W', 'Ww', 'N', 'n', 'Nn', 'o', '1o', '#', '#1', '01o', 'Wwo', '9', '٠'];
const WIDTH = ['', '', '', ',2', ',*-2', ',3-3', ',2-4', ',*', ',1-*', ',5'];
const SEP = ['-', '/', ' ', ':', 'T', ', ', '.', '', ' at '];

function datePicture() {
  const n = 1 + Math.floor(r() * 4);
  const parts = [];
  for (let i = 0; i < n; i++) {
    parts.push(`[${pick(SPEC)}${pick(PRES)}${pick(WIDTH)}]`);
    if (i + 1 < n) parts.push(pick(SEP));
  }
  return parts.join('');
}

const fromMillis = [];
const toMillis = [];
for (let i = 0; i < 500; i++) {
  const t = Math.floor((r() * 2 - 0.3) * 3e12);
  const pic = datePicture();
  const tz = r() < 0.3 ? `, ${esc(pick(['+0100', '-0930', '+0545', '-0000', '+1200']))}` : '';
  fromMillis.push(`$fromMillis(${t}, ${esc(pic)}${tz})`);
}
// full dates in random presentations, printed then parsed back
const YP = ['[Y]', '[Y0001]', '[YI]', '[Yw]'], MP = ['[M]', '[M01]', '[MNn]', '[MN,3-3]', '[MI]', '[Mw]'], DP = ['[D]', '[D01]', '[D1o]', '[Dw]', '[Dwo]'];
const TP = ['', ' [H]:[m]', ' [H01]:[m01]:[s01]', ' [h]:[m01] [P]', ' [H01][m01]'];
for (let i = 0; i < 250; i++) {
  const t = Math.floor(r() * 4e12);
  const order = pick([[YP, MP, DP], [DP, MP, YP], [MP, DP, YP]]);
  const pic = order.map(pick).join(pick(['-', '/', ' '])) + pick(TP);
  toMillis.push(`$toMillis($fromMillis(${t}, ${esc(pic)}), ${esc(pic)})`);
  toMillis.push(`$fromMillis(${t}, ${esc(pic)})`);
}

function numberSubPicture() {
  const pre = pick(['', '', '$', '€', '(', '+', 'n=']);
  let int = pick(['#', '##', '#,##', '#,###', '##,##,###', '']) + pick(['0', '00', '000', '0,000', '']);
  if (!int) int = '#';
  const frac = r() < 0.6 ? '.' + pick(['0', '00', '000', '#', '##', '0#', '00##', '###']) : '';
  const exp = r() < 0.15 ? 'e' + pick(['0', '00', '#']) : '';
  const suf = pick(['', '', '', '%', '‰', ')', ' EUR', 'x']);
  return pre + int + frac + exp + suf;
}
const formatNumber = [];
for (let i = 0; i < 400; i++) {
  const v = (r() < 0.3 ? -1 : 1) * r() * 10 ** (Math.floor(r() * 12) - 5);
  let pic = numberSubPicture();
  if (r() < 0.15) pic += ';' + numberSubPicture();
  const opts = r() < 0.15 ? `, {"decimal-separator": ",", "grouping-separator": "."}` : '';
  formatNumber.push(`$formatNumber(${String(v).replace('+', '')}, ${esc(opts ? pic.replace(/[.,]/g, (c) => (c === '.' ? ',' : '.')) : pic)}${opts})`);
}

const formatInteger = [];
const IPICS = ['0', '00', '000', '#,##0', '#,###,##0', '0,000', '#0', '##0;o', '0;o', 'w', 'W', 'Ww', 'wo', 'Wwo', 'I', 'i', 'A', 'a',
  '١', '١١١', '#.##0', '# ##0', '0-0', '00:00', '0;c', 'w;o', 'i;o'];
for (let i = 0; i < 300; i++) {
  const n = Math.floor(r() * 10 ** (1 + Math.floor(r() * 7)));
  const p = pick(IPICS);
  formatInteger.push(`$formatInteger(${n}, ${esc(p)})`);
  if (i % 2 === 0) formatInteger.push(`$parseInteger($formatInteger(${n}, ${esc(p)}), ${esc(p)})`);
}

export default [
  { group: 'random-pictures', file: 'from-millis', ds: 'emptyobj', cases: fromMillis },
  { group: 'random-pictures', file: 'to-millis', ds: 'emptyobj', cases: toMillis },
  { group: 'random-pictures', file: 'format-number', ds: 'emptyobj', cases: formatNumber },
  { group: 'random-pictures', file: 'format-integer', ds: 'emptyobj', cases: formatInteger },
];
