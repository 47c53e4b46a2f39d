// Random arguments (seeded) for the functions with numeric and string
// parameters: $substring, $pad, $split/$replace/$match limits, $round,
// $formatBase, $power, $sqrt, $substringBefore/After, $contains, $join,
// $zip, $sort with comparators, $reduce with initial values, $lookup...

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}
const r = lcg(99991);
const pick = (a) => a[Math.floor(r() * a.length)];
const q = (s) => JSON.stringify(s);

const STR = ['', 'a', 'hello world', 'Hello, World!', 'a😀b😁c', '😀', 'ümlaut', 'a,b,,c,', '  padded  ', 'aaaa', 'abcabcabc', '日本語テキスト',
  'line\nbreak', 'tab\tsep', 'x'.repeat(40)];
const NUM = () => {
  const x = r();
  if (x < 0.4) return String(Math.floor(r() * 21) - 10);
  if (x < 0.6) return (r() * 20 - 10).toFixed(1);
  if (x < 0.7) return pick(['0', '-0', '1e21', '-1e21', '0.5', '-0.5', '2.5', '100']);
  return String(Math.floor(r() * 100));
};

const cases = [];
for (let i = 0; i < 120; i++) cases.push(`$substring(${q(pick(STR))}, ${NUM()}${r() < 0.6 ? ', ' + NUM() : ''})`);
for (let i = 0; i < 80; i++) cases.push(`$pad(${q(pick(STR))}, ${NUM()}${r() < 0.5 ? ', ' + q(pick(['*', '-+', '😀', 'ab', ' '])) : ''})`);
for (let i = 0; i < 60; i++) cases.push(`$split(${q(pick(STR))}, ${pick(['","', '""', '" "', '"a"', '/[, ]/', '/b|c/', '"😀"'])}, ${NUM()})`);
for (let i = 0; i < 60; i++) cases.push(`$replace(${q(pick(STR))}, ${pick(['"a"', '"l"', '/[aeiou]/', '/(\\w)(\\w)/', '"😀"', '/\\s+/'])}, ${pick(['"_"', '"[$0]"', '"$2$1"', '""', '"😀"'])}, ${NUM()})`);
for (let i = 0; i < 60; i++) cases.push(`$match(${q(pick(STR))}, ${pick(['/a/', '/\\w+/', '/(l+)(o)?/', '/[^ ]+/', '/😀/', '/b(c)?/'])}, ${NUM()})`);
for (let i = 0; i < 100; i++) cases.push(`$round(${(r() * 2000 - 1000).toFixed(Math.floor(r() * 8))}, ${Math.floor(r() * 10) - 4})`);
for (let i = 0; i < 50; i++) cases.push(`$formatBase(${Math.floor(r() * 1e7) * (r() < 0.2 ? -1 : 1)}, ${Math.floor(r() * 40)})`);
for (let i = 0; i < 60; i++) cases.push(`$power(${NUM()}, ${NUM()})`, `$sqrt(${NUM()})`);
for (let i = 0; i < 60; i++) {
  const s = pick(STR), t = pick(['a', 'b', ',', ' ', '😀', 'l', 'abc', '']);
  cases.push(`$substringBefore(${q(s)}, ${q(t)})`, `$substringAfter(${q(s)}, ${q(t)})`, `$contains(${q(s)}, ${q(t)})`);
}
for (let i = 0; i < 40; i++) {
  const arr = Array.from({ length: Math.floor(r() * 6) }, () => Math.floor(r() * 10));
  cases.push(`$sort(${q(arr)}, function($a, $b){ ${pick(['$a > $b', '$a < $b', '$a % 3 > $b % 3', '$b - $a > 0', 'false'])} })`);
  cases.push(`$reduce(${q(arr)}, function($acc, $v){ ${pick(['$acc + $v', '$acc * 2 + $v', '$acc & $v', '[$acc, $v]', '$max([$acc, $v])'])} }${r() < 0.5 ? ', ' + NUM() : ''})`);
  cases.push(`$zip(${q(arr)}, ${q(arr.map((x) => x * 2).slice(0, Math.floor(r() * 6)))})`);
  cases.push(`$join(${q(arr.map(String))}, ${q(pick(['', ',', ' - ', '😀']))})`);
  cases.push(`[${arr.join(', ')}][${pick(['$ > 4', '0', '-1', '[0, -1]', '$ % 2 = 0', '[1..3]'])}]`);
}

export default [{ group: 'random-args', file: 'functions', ds: 'emptyobj', cases }];
