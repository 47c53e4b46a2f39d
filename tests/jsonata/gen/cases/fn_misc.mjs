// Date/time, encoding, $eval, the nondeterministic functions, and a matrix of
// every builtin called with every kind of argument (signature validation).

const ISO = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';

// Integer components through $formatInteger's picture code, with widths
// (a width's minimum raises the mandatory digits; a year's maximum cuts it).
const widths = [
  '$fromMillis(1510067557121, "[Y,8]")', '$fromMillis(1510067557121, "[Y0001,6-6]")', '$fromMillis(1510067557121, "[Y,2-2]")',
  '$fromMillis(1510067557121, "[Y,*-3]")', '$fromMillis(1510067557121, "[D1,3]")', '$fromMillis(1510067557121, "[D,5-*]")',
  '$fromMillis(1510067557121, "[YI,5]")', '$fromMillis(1510067557121, "[Yi,*-2]")', '$fromMillis(1510067557121, "[Yw,4]")',
  '$fromMillis(1510067557121, "[YWw]")', '$fromMillis(1510067557121, "[DW]")', '$fromMillis(1510067557121, "[Da]")',
  '$fromMillis(1510067557121, "[DA,3]")', '$fromMillis(1510067557121, "[Y#,##0]")', '$fromMillis(1510067557121, "[Y0,0,0,0]")',
  '$fromMillis(1510067557121, "[Y٠٠٠٠]")', '$fromMillis(1510067557121, "[H00,4]:[m,3-3]")', '$fromMillis(1510067557121, "[f,6-6]")',
  '$fromMillis(1510067557121, "[Z0000,6]")', '$fromMillis(1510067557121, "[D1o,4]")', '$fromMillis(1510067557121, "[Y,1000]") ~> $length()',
  '$fromMillis(-62135596800000, "[Y,6]")', '$fromMillis(-62198755200000, "[Y0001]")', '$fromMillis(1510067557121, "[Y⓪]")',
  '$toMillis("002017", "[Y,6]")', '$toMillis("MMXVII-11-07", "[YI]-[M01]-[D01]")', '$toMillis("twenty-seventeen", "[Yw]")',
  '$toMillis("2017 eleven 7", "[Y] [Mw] [D]")', '$toMillis("00201711", "[Y0001,6][M01]")',
];

const fromMillis = [
  '$fromMillis(0)', '$fromMillis(1510067557121)', '$fromMillis(-1)', '$fromMillis(1e13)', '$fromMillis(-62135596800000)', '$fromMillis(253402300799999)',
  '$fromMillis(1.5)', '$fromMillis(missing)', '$fromMillis("0")', '$fromMillis()', '$fromMillis(1e21)', '$fromMillis(-1e16)',
  '$fromMillis(1510067557121, "[Y0001]-[M01]-[D01]")', '$fromMillis(1510067557121, "[Y]-[M]-[D]")', '$fromMillis(1510067557121, "[D1o] [MNn] [Y]")',
  '$fromMillis(1510067557121, "[FNn], [D1o] [MNn,3-3] [Y]")', '$fromMillis(1510067557121, "[H01]:[m01]:[s01].[f001]")',
  '$fromMillis(1510067557121, "[h]:[m01] [P]")', '$fromMillis(1510067557121, "[h]:[m01] [PN]")', '$fromMillis(0, "[h]:[m01] [Pn]")',
  '$fromMillis(1510067557121, "[Y,2]")', '$fromMillis(1510067557121, "[Y,4]")', '$fromMillis(1510067557121, "[YI]")', '$fromMillis(1510067557121, "[Yw]")',
  '$fromMillis(1510067557121, "[MI]")', '$fromMillis(1510067557121, "[Mi]")', '$fromMillis(1510067557121, "[MA]")', '$fromMillis(1510067557121, "[Mw]")',
  '$fromMillis(1510067557121, "[MNn]")', '$fromMillis(1510067557121, "[MN]")', '$fromMillis(1510067557121, "[Mn]")', '$fromMillis(1510067557121, "[MNn,3-3]")',
  '$fromMillis(1510067557121, "[MN,*-3]")', '$fromMillis(1510067557121, "[Dwo]")', '$fromMillis(1510067557121, "[DW]")', '$fromMillis(1510067557121, "[d]")',
  '$fromMillis(1510067557121, "[F]")', '$fromMillis(1510067557121, "[F1]")', '$fromMillis(1510067557121, "[FN]")', '$fromMillis(1510067557121, "[FNn,2-2]")',
  '$fromMillis(1510067557121, "[W]")', '$fromMillis(1510067557121, "[w]")', '$fromMillis(1510067557121, "[X]")', '$fromMillis(1510067557121, "[x]")',
  '$fromMillis(1510067557121, "[E]")', '$fromMillis(1510067557121, "[C]")', '$fromMillis(1510067557121, "[Z]")', '$fromMillis(1510067557121, "[z]")',
  '$fromMillis(1510067557121, "[Z01:01]")', '$fromMillis(1510067557121, "[Z0101t]")', '$fromMillis(1510067557121, "[Z0]")',
  '$fromMillis(1510067557121, "[H01]:[m01]", "+0530")', '$fromMillis(1510067557121, "[H01]:[m01] [Z]", "-0800")', '$fromMillis(1510067557121, "[Y]-[M]-[D] [Z]", "+1400")',
  '$fromMillis(1510067557121, "[H]:[m] [z]", "+0100")', '$fromMillis(1510067557121, "[H]:[m] [Z0]", "+0000")', '$fromMillis(1510067557121, "[Z0101t]", "+0000")',
  '$fromMillis(1510067557121, undefined, "+0200")', '$fromMillis(1510067557121, missing, "+0200")', '$fromMillis(1510067557121, "[H]", "bad")',
  '$fromMillis(1510067557121, "[f]")', '$fromMillis(1510067557121, "[f1]")', '$fromMillis(1510067557121, "[f01]")', '$fromMillis(1510067557121, "[f000001]")',
  '$fromMillis(1510067557121, "[s]")', '$fromMillis(1510067557121, "[m]")', '$fromMillis(1510067557121, "[H#1]")', '$fromMillis(1510067557121, "[Y0,2-2]")',
  '$fromMillis(1510067557121, "Year [Y], Day [D]")', '$fromMillis(1510067557121, "[[Y]]")', '$fromMillis(1510067557121, "[Y]]]")', '$fromMillis(1510067557121, "[Q]")',
  '$fromMillis(1510067557121, "[Y")', '$fromMillis(1510067557121, "[YN]")', '$fromMillis(1510067557121, "[Hn]")', '$fromMillis(1510067557121, "")',
  '$fromMillis(1510067557121, "[D#,2]")', '$fromMillis(1510067557121, "[M,2]")', '$fromMillis(1510067557121, "[D01,2-3]")', '$fromMillis(1510067557121, "[ Y ]")',
  '$fromMillis(1510067557121, "[Y001]")', '$fromMillis(1510067557121, "[Y9,999,*]")', '$fromMillis(1510067557121, "[Y,*-2]")',
  '$fromMillis(1510067557121, "[D1] [MNn] [Y] [H01]:[m01]:[s01] [ZN]")', '$fromMillis(1704067200000, "[FNn] [D] [MNn] [Y]")',
  '$fromMillis(951782400000, "[Y]-[M01]-[D01] [FNn]")', '$fromMillis(1709164800000, "[D01]/[M01]/[Y0001] [dwo] day")',
  '$fromMillis(1735603200000, "[W01]/[X0001]")', '$fromMillis(1704067200000, "[W01]/[X0001]")', '$fromMillis(1704067200000, "[w] [xNn]")',
  '$fromMillis(-86400000, "[Y]-[M01]-[D01]")', '$fromMillis(1510067557121, "[h01]")', '$fromMillis(43200000, "[h] [P]")',
];

const toMillis = [
  '$toMillis("1970-01-01T00:00:00.000Z")', '$toMillis("2017-11-07T15:12:37.121Z")', '$toMillis("2017-11-07T15:12:37Z")', '$toMillis("2017-11-07T15:12:37+01:00")',
  '$toMillis("2017-11-07T15:12:37.121+0530")', '$toMillis("2017-11-07")', '$toMillis("2017-11")', '$toMillis("2017")', '$toMillis("2017-11-07T15:12")',
  '$toMillis("2017-11-07T15:12:37.5Z")', '$toMillis("2017-11-07 15:12:37")', '$toMillis("not a date")', '$toMillis("")', '$toMillis(missing)',
  '$toMillis(123)', '$toMillis()', '$toMillis("2017-13-01")', '$toMillis("2017-02-30")', '$toMillis("1969-12-31T23:59:59.999Z")',
  '$toMillis("0001-01-01T00:00:00Z")', '$toMillis("9999-12-31T23:59:59.999Z")', '$toMillis("2017-11-07T15:12:37.121-08:00")',
  '$toMillis("2024-02-29T12:00:00Z")', '$toMillis("+002017-11-07T00:00:00Z")', '$toMillis("2017-11-07T24:00:00Z")',
  '$toMillis("2017-11-07", "[Y]-[M]-[D]")', '$toMillis("07/11/2017", "[D]/[M]/[Y]")', '$toMillis("7 November 2017", "[D] [MNn] [Y]")',
  '$toMillis("Tuesday, 7th November 2017", "[FNn], [D1o] [MNn] [Y]")', '$toMillis("2017-11-07 15:12", "[Y]-[M]-[D] [H]:[m]")',
  '$toMillis("3:12 pm, 7 Nov 2017", "[h]:[m] [P], [D] [MNn,3-3] [Y]")', '$toMillis("12:30 am 2017-11-07", "[h]:[m] [P] [Y]-[M]-[D]")',
  '$toMillis("2017-11-07T15:12:37+0100", "[Y]-[M]-[D]T[H]:[m]:[s][Z]")', '$toMillis("2017-11-07 +05:30", "[Y]-[M]-[D] [Z]")',
  '$toMillis("MMXVII-XI-VII", "[YI]-[MI]-[DI]")', '$toMillis("twenty seventeen", "[Yw]")', '$toMillis("2017-311", "[Y]-[d]")',
  '$toMillis("2017", "[Y]")', '$toMillis("11-07", "[M]-[D]")', '$toMillis("2017-11-07", "[Y]-[M]")', '$toMillis("2017-xx-07", "[Y]-[M]-[D]")',
  '$toMillis("2017-11-07", "[Y]-[M]-[D")', '$toMillis("2017-11-07", "[Y]-[M]-[Q]")', '$toMillis("20171107", "[Y0001][M01][D01]")',
  '$toMillis("2017-W45-2", "[X]-W[W]-[F1]")', '$toMillis("1510067557", "[Y]")', '$toMillis("17-11-07", "[Y01]-[M]-[D]")',
  '$toMillis("2017-11-07T15:12:37.121", "[Y]-[M]-[D]T[H]:[m]:[s].[f]")', '$toMillis("November 7, 2017", "[MNn] [D], [Y]")',
  '$toMillis("NOV 7 2017", "[MN,3-3] [D] [Y]")', '$toMillis("first of January 2020", "[Dwo] of [MNn] [Y]")',
  '$toMillis("2020-01-01", "[Y]-[M]-[D]", "extra")',
];

const roundtrip = [
  '$toMillis($fromMillis(1510067557121))', '$fromMillis($toMillis("2017-11-07T15:12:37.121Z"))',
  '$toMillis($fromMillis(1510067557121, "[Y]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]"), "[Y]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z]")',
  '$fromMillis($toMillis("2017-11-07", "[Y]-[M]-[D]"), "[D1o] [MNn] [Y]")', '[0, 86400000, 1e12].$fromMillis($)',
  '$fromMillis($toMillis("2024-03-10T02:30:00Z") + 3600000)',
];

const nondet = [
  { expr: '$now()', check: 'pattern', pattern: ISO }, { expr: '$millis()', check: 'type' }, { expr: '$type($millis())', det: true },
  { expr: '$now() = $now()', det: true }, { expr: '$millis() = $millis()', det: true }, { expr: '$toMillis($now()) = $millis()', det: true },
  { expr: '$millis() > 1700000000000', det: true }, { expr: '$now("[Y0001]")', check: 'pattern', pattern: '^[0-9]{4}$' },
  { expr: '$now("[H01]:[m01]", "+0530")', check: 'pattern', pattern: '^[0-9]{2}:[0-9]{2}$' }, { expr: '$now(1)', det: true },
  { expr: '$millis(1)', det: true }, { expr: '$now() ~> $substring(0, 2)', det: true }, { expr: '$count([1..3].$millis()) = 3', det: true },
  { expr: '$distinct([1..100].$millis()) ~> $count()', det: true }, { expr: '$random() = $random()', det: true },
  { expr: '$shuffle([1, 2, 3])', check: 'permutation' }, { expr: '$type($now())', det: true }, { expr: '$length($now())', det: true },
];

const encoding = [
  '$base64encode("hello world")', '$base64encode("")', '$base64encode("a")', '$base64encode("ab")', '$base64encode("abc")', '$base64encode("é")',
  '$base64encode("😀")', '$base64encode("日本")', '$base64encode(missing)', '$base64encode(1)', '$base64encode("\\u00ff")',
  '$base64decode("aGVsbG8gd29ybGQ=")', '$base64decode("")', '$base64decode("YQ==")', '$base64decode("YQ")', '$base64decode("w6k=")',
  '$base64decode("8J+YgA==")', '$base64decode("!!!")', '$base64decode(missing)', '$base64decode(1)', '$base64decode("aGVs bG8=")',
  '$base64decode($base64encode("round trip ✓"))', '$base64decode("/w==")',
  '$encodeUrlComponent("?x=test&y=1")', '$encodeUrlComponent("a b/c")', '$encodeUrlComponent("é😀")', '$encodeUrlComponent("")',
  '$encodeUrlComponent("-_.!~*\'()")', '$encodeUrlComponent(missing)', '$encodeUrlComponent(1)', '$encodeUrlComponent("\\ud83d")',
  '$encodeUrl("https://mozilla.org/?x=шеллы")', '$encodeUrl("http://a.b/c d?e=f&g=h#i")', '$encodeUrl("")', '$encodeUrl("[]")',
  '$encodeUrl(missing)', '$encodeUrl("\\udc00")',
  '$decodeUrlComponent("%3Fx%3Dtest")', '$decodeUrlComponent("a%20b")', '$decodeUrlComponent("%C3%A9")', '$decodeUrlComponent("%")',
  '$decodeUrlComponent("%E0%A4%A")', '$decodeUrlComponent("%FF")', '$decodeUrlComponent("+")', '$decodeUrlComponent(missing)', '$decodeUrlComponent("")',
  '$decodeUrl("https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B")', '$decodeUrl("%3F%26")', '$decodeUrl("%")', '$decodeUrl(missing)',
  '$decodeUrlComponent($encodeUrlComponent("a&b=c d"))', '$decodeUrl($encodeUrl("http://x/ü"))',
];

const evalFn = [
  '$eval("1 + 2")', '$eval("[1, 2, 3]")', '$eval("$")', '$eval("a", {"a": 5})', '$eval("$.a", {"a": [1, 2]})', '$eval("a", [{"a": 1}, {"a": 2}])',
  '$eval("")', '$eval("1 +")', '$eval("$error(\\"x\\")")', '$eval("$x")', '$eval(missing)', '$eval(1)', '$eval("$eval(\\"1\\")")', '$eval("{")',
  '$eval("\\"a\\" & \\"b\\"")', '$eval("$sum([1,2])")', '$eval("function($x){$x * 2}")(4)', '$eval("$$")', '$eval("1 + \\"a\\"")',
  '$eval("[1,2]", missing)', '$eval("$count($)", [1, 2, 3])', '$eval("$count($)", [[1, 2, 3]])', '($x := 5; $eval("$x"))', '$eval("(")',
];

// Every builtin with every kind of value as its first argument, and as its
// second where it has one: the signature checks (T0410, T0411, T0412).
const BUILTINS = [
  ['sum', 1], ['count', 1], ['max', 1], ['min', 1], ['average', 1], ['string', 2], ['substring', 3], ['substringBefore', 2],
  ['substringAfter', 2], ['lowercase', 1], ['uppercase', 1], ['length', 1], ['trim', 1], ['pad', 3], ['match', 3], ['contains', 2],
  ['replace', 4], ['split', 3], ['join', 2], ['formatNumber', 3], ['formatBase', 2], ['formatInteger', 2], ['parseInteger', 2],
  ['number', 1], ['floor', 1], ['ceil', 1], ['round', 2], ['abs', 1], ['sqrt', 1], ['power', 2], ['boolean', 1], ['not', 1],
  ['map', 2], ['zip', 2], ['filter', 2], ['single', 2], ['reduce', 3], ['sift', 2], ['keys', 1], ['lookup', 2], ['append', 2],
  ['exists', 1], ['spread', 1], ['merge', 1], ['reverse', 1], ['each', 2], ['error', 1], ['assert', 2], ['type', 1], ['sort', 2],
  ['distinct', 1], ['base64encode', 1], ['base64decode', 1], ['encodeUrlComponent', 1], ['encodeUrl', 1], ['decodeUrlComponent', 1],
  ['decodeUrl', 1], ['eval', 2], ['toMillis', 2], ['fromMillis', 3], ['clone', 1],
];
const ARGS = ['1', '"s"', 'true', 'null', '[1, 2]', '["a", "b"]', '[]', '{"a": 1}', '[{"a": 1}]', 'missing', 'function($v){$v}', '[[1]]'];
const SECOND = { substring: '0', pad: '3', match: '/a/', contains: '"a"', replace: '"a"', split: '","', formatNumber: '"0"', formatBase: '2',
  formatInteger: '"0"', parseInteger: '"0"', power: '2', map: 'function($v){$v}', filter: 'function($v){true}', reduce: 'function($a, $b){$a}',
  sift: 'function($v){true}', each: 'function($v){$v}', lookup: '"a"', substringBefore: '"a"', substringAfter: '"a"', toMillis: '"[Y]"',
  fromMillis: '"[Y]"', round: '1', join: '","', append: '1', zip: '[1]', sort: 'function($a, $b){$a > $b}', single: 'function($v){true}',
  assert: '"m"', string: 'false', eval: '{}' };

function signatureMatrix() {
  const out = [];
  for (const [name, arity] of BUILTINS) {
    if (name === 'eval') continue; // $eval of arbitrary text is its own file
    for (const a of ARGS) {
      out.push(`$${name}(${a})`);
      if (arity >= 2 && SECOND[name]) out.push(`$${name}(${a}, ${SECOND[name]})`);
    }
    if (arity >= 2) for (const b of ARGS) out.push(`$${name}(${defaultFirst(name)}, ${b})`);
    out.push(`$${name}()`);
    out.push(`$${name}(${Array(arity + 1).fill('1').join(', ')})`);
  }
  return out;
}
function defaultFirst(name) {
  if (['sum', 'max', 'min', 'average', 'count', 'map', 'filter', 'single', 'reduce', 'zip', 'append', 'sort', 'join', 'merge'].includes(name)) return '[1, 2]';
  if (['sift', 'each', 'lookup', 'keys', 'spread'].includes(name)) return '{"a": 1}';
  if (['formatNumber', 'formatBase', 'formatInteger', 'round', 'power', 'fromMillis'].includes(name)) return '12';
  if (name === 'assert') return 'true';
  return '"abc"';
}

export default [
  { group: 'fn-datetime', file: 'from-millis', ds: 'emptyobj', cases: fromMillis },
  { group: 'fn-datetime', file: 'to-millis', ds: 'emptyobj', cases: toMillis },
  { group: 'fn-datetime', file: 'roundtrip', ds: 'emptyobj', cases: roundtrip },
  { group: 'fn-datetime', file: 'widths', ds: 'emptyobj', cases: widths },
  { group: 'nondeterministic', file: 'now-random', ds: 'emptyobj', cases: nondet },
  { group: 'fn-encoding', file: 'encoding', ds: 'emptyobj', cases: encoding },
  { group: 'fn-misc', file: 'eval', ds: 'emptyobj', cases: evalFn },
  { group: 'signatures', file: 'builtins', ds: 'emptyobj', cases: signatureMatrix() },
  {
    group: 'signatures', file: 'context', cases: BUILTINS.filter(([n]) => n !== 'eval').flatMap(([n]) =>
      [{ data: 'abc', expr: `$${n}()` }, { data: [1, 2], expr: `$${n}()` }, { data: { a: 1 }, expr: `$${n}()` }, { data: 5, expr: `$${n}()` }]),
  },
];
