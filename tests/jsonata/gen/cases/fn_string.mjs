// String functions with their edge cases (UTF-16 counting, non-BMP
// characters, negative indexes, undefined arguments, the context argument).

const string = [
  '$string("a")', '$string(1)', '$string(1.5)', '$string(-0)', '$string(0.1 + 0.2)', '$string(1e21)', '$string(1e20)',
  '$string(1e-7)', '$string(1e-6)', '$string(123456789012345680000)', '$string(1/3)', '$string(100)', '$string(1e100)',
  '$string(5e-324)', '$string(1.7976931348623157e308)', '$string(-1.5e-10)', '$string(2e-7)', '$string(0.000001)',
  '$string(true)', '$string(false)', '$string(null)', '$string([])', '$string([1, "a", true, null])', '$string({})',
  '$string({"a": 1, "b": [1, {"c": "d"}]})', '$string({"b": 1, "a": 2})', '$string([1e21, -0, 0.1])', '$string({"x": 1e-7})',
  '$string(missing)', '$string()', '$string("😀")', '$string("a\\"b\\\\c\\n")', '$string({"a": "\\u0001"})', '$string(["é"])',
  '$string({"a": 1}, true)', '$string([1, [2, {"b": 3}]], true)', '$string({"a": {"b": []}}, true)', '$string({}, true)',
  '$string([], true)', '$string("a", true)', '$string(1, true)', '$string({"a": 1}, false)', '$string({"a": 1}, "x")',
  '$string(1/0)', '$string(-1/0)', '$string(0/0)', '$string([1/0])', '$string({"a": 1/0})', '$string($uppercase)',
  '$string(function($x){$x})', '$string([$uppercase])', '$string({"f": function(){1}})', '$string(1, 2, 3)',
  '[1, 2].$string()', '$string([[1, 2]])', '$string(9007199254740993)', '$string(0.1)', '$string(-0.0)',
  '$string(1.0000000000000002)', '$string(123.456e5)', '$string(12345678.9)', '$string(1e15 + 0.3)', '$string({"😀": "😀"})',
  '$string("\\u2028")', '$string({"a": "\\u2028\\u007f"})', '$string(0.1, true)', '$string(["a", ["b"]], true)',
];

const substring = [
  '$substring("hello world", 0)', '$substring("hello world", 6)', '$substring("hello world", 0, 5)', '$substring("hello world", 6, 3)',
  '$substring("hello world", -5)', '$substring("hello world", -5, 3)', '$substring("hello world", -5, -1)', '$substring("hello world", 0, 0)',
  '$substring("hello world", 0, -6)', '$substring("hello world", 100)', '$substring("hello world", -100)', '$substring("hello world", -100, 3)',
  '$substring("hello world", 3, 100)', '$substring("hello world", 1.5)', '$substring("hello world", 1.5, 2.5)', '$substring("hello world", 1.2, 2.7)',
  '$substring("hello world", -1.5)', '$substring("", 0)', '$substring("", 1, 2)', '$substring(missing, 1)', '$substring("abc")',
  '$substring("abc", "1")', '$substring("abc", 1, "2")', '$substring(123, 1)', '$substring("abc", missing)', '$substring("abc", 1, missing)',
  '$substring("😀😁😂", 1)', '$substring("😀😁😂", 2)', '$substring("😀😁😂", 0, 1)', '$substring("😀😁😂", 0, 2)', '$substring("😀😁😂", -2)',
  '$substring("😀😁😂", -1, 1)', '$substring("😀😁😂", -2, 1)', '$substring("😀😁😂", -5, 1)', '$substring("a😀b", 1, 2)', '$substring("a😀b", 2)',
  '$substring("café", 3)', '$substring("日本語", 1, 1)', '"hello" ~> $substring(1, 3)', '["abc", "def"].$substring($, 1)',
  '$substring("abc", 1, 2, 3)', '$substring("abc", 1e21)', '$substring("abc", -1e21)', '$substring("abc", 0, 1e21)', '$substring("abc", 0, -1e21)',
  '$substring("abcdef", 2, 0.5)', '$substring("abcdef", -0)', '$substring("abcdef", 0, 1/0)', '$substring(["abc"], 1)', '$substring(["a", "b"], 1)',
];

const substrBA = [
  '$substringBefore("hello world", " ")', '$substringBefore("hello world", "o")', '$substringBefore("hello world", "x")',
  '$substringBefore("hello world", "")', '$substringBefore("hello world", "hello")', '$substringBefore("", "a")', '$substringBefore(missing, "a")',
  '$substringBefore("abc", missing)', '$substringBefore("abc")', '$substringBefore("a😀b", "b")', '$substringBefore("a😀b", "😀")',
  '$substringBefore(123, "2")', '$substringBefore("abc", 2)', '"a-b" ~> $substringBefore("-")',
  '$substringAfter("hello world", " ")', '$substringAfter("hello world", "o")', '$substringAfter("hello world", "x")',
  '$substringAfter("hello world", "")', '$substringAfter("hello world", "world")', '$substringAfter("", "a")', '$substringAfter(missing, "a")',
  '$substringAfter("abc", missing)', '$substringAfter("a😀b", "😀")', '$substringAfter("aXbXc", "X")', '$substringAfter(1, "1")',
  '"a-b" ~> $substringAfter("-")', '$substringAfter("abc", "abc")',
];

const caseFns = [
  '$uppercase("hello")', '$uppercase("Hello World 123")', '$uppercase("café")', '$uppercase("straße")', '$uppercase("ǆ")',
  '$uppercase("ﬁ")', '$uppercase("😀a")', '$uppercase("")', '$uppercase(missing)', '$uppercase(1)', '$uppercase(["a"])',
  '$uppercase(["a", "b"])', '$uppercase()', '"x" ~> $uppercase()', '$uppercase("ı")', '$uppercase("ω")', '$uppercase("ŉ")',
  '$lowercase("HELLO")', '$lowercase("Hello World")', '$lowercase("ÇAFÉ")', '$lowercase("İ")', '$lowercase("Σ")', '$lowercase("ΟΔΟΣ")',
  '$lowercase("")', '$lowercase(missing)', '$lowercase(true)', '$lowercase("ẞ")', '$lowercase("Ⅻ")', '$lowercase("𐐀")', '$uppercase("𐐨")',
];

const length = [
  '$length("hello")', '$length("")', '$length("😀")', '$length("a😀b")', '$length("👩‍👩‍👧")', '$length("café")', '$length("e\u0301")',
  '$length("日本語")', '$length(missing)', '$length(1)', '$length(["a"])', '$length(["a", "b"])', '$length()', '$length(null)',
  '"abc" ~> $length()', '["a", "bb"].$length($)', '$length("\\u0000")', '$length("tab\\t")', '$length(true)',
];

const trim = [
  '$trim("  hello  ")', '$trim("hello   world")', '$trim("\\thello\\n\\r world \\n")', '$trim("")', '$trim("   ")',
  '$trim(missing)', '$trim(1)', '$trim(" a  b  c ")', '$trim("\\u00a0a\\u00a0")', '$trim("\\u2003a")', '$trim("a\\fb\\vc")',
  '"  x  " ~> $trim()', '$trim(["  a "])',
];

const pad = [
  '$pad("foo", 5)', '$pad("foo", -5)', '$pad("foo", 5, "#")', '$pad("foo", -5, "#")', '$pad("foo", 8, "-+")', '$pad("foo", -8, "-+")',
  '$pad("foo", 2)', '$pad("foo", -2)', '$pad("foo", 0)', '$pad("", 3)', '$pad("foo", 5, "")', '$pad("foo", 5, "😀")', '$pad("😀", 3)',
  '$pad("😀", -3, "x")', '$pad("foo", 5.5)', '$pad("foo", 5.4, "x")', '$pad("foo", -5.5, "x")', '$pad(missing, 5)', '$pad("foo")',
  '$pad("foo", "5")', '$pad(5, 5)', '$pad("foo", 5, 1)', '$pad("foo", missing)', '"x" ~> $pad(3, "*")', '$pad("a", 1e21)',
  '$pad("ab", 7, "xyz")', '$pad("ab", 8, "xyz")', '$pad("ab", 9, "xyz")', '$pad("ab", -10, "xyz")', '$pad("ab", 6, "😀é")', '$pad("ab", -7, "😀é")',
  '$pad("", 1, "xyz")', '$pad("", -4, "ab")', '$pad("é", 4, "éè")', '$length($pad("x", 100000, "abc"))', '$substring($pad("x", -60000, "abcd"), 59990)',
  '$pad("x", 1/0)', '$pad("x", -1/0)', '$pad("x", 1e300 * 1e300)', '$pad("ab", 3.999, "-")',
];

const contains = [
  '$contains("abracadabra", "bra")', '$contains("abracadabra", "xyz")', '$contains("abracadabra", "")', '$contains("", "")',
  '$contains("", "a")', '$contains(missing, "a")', '$contains("abc", missing)', '$contains("abc")', '$contains(1, "1")', '$contains("abc", 1)',
  '$contains("a😀b", "😀")', '$contains("abracadabra", /a.*a/)', '$contains("abracadabra", /ar/)', '$contains("abracadabra", /AR/i)',
  '$contains("abracadabra", /^b/)', '$contains("phone: 077", /\\d{3}/)', '"abc" ~> $contains("b")', '$contains("abc", function($s){{"match": "b", "index": 1, "groups": []}})',
  '$contains("a.c", ".")', '$contains("abc", ".")', '$contains(["abc"], "b")', '$contains("abc", ["b"])',
];

const split = [
  '$split("a,b,c", ",")', '$split("a,b,c", ",", 2)', '$split("a,b,c", ",", 0)', '$split("a,b,c", ",", 10)', '$split("a,b,c", ",", -1)',
  '$split("a,b,c", ",", 1.5)', '$split("a,b,c", "")', '$split("", ",")', '$split("", "")', '$split("abc", "x")', '$split(",a,", ",")',
  '$split("a, b;c", /[,;] ?/)', '$split("a1b22c", /\\d+/)', '$split("a1b22c", /\\d+/, 2)', '$split("abc", /x/)', '$split("abc", //)',
  '$split("😀a😀", "a")', '$split("😀😁", "")', '$split(missing, ",")', '$split("a,b", missing)', '$split("a,b")', '$split(1, ",")',
  '$split("a,b", 1)', '$split("a,b", ",", "2")', '"a b" ~> $split(" ")', '$split("aXbxc", /x/i)', '$split("a.b", ".")',
  '$split("abc", /(b)/)', '$split("a--b", "-")', '$split("abc", /^/)', '$split("a,b,c", ",", 1e21)',
];

const join = [
  '$join(["a", "b", "c"])', '$join(["a", "b", "c"], ", ")', '$join(["a"], ",")', '$join([], ",")', '$join("a", ",")', '$join(missing)',
  '$join(["a", 1])', '$join([1, 2])', '$join(["a", "b"], 1)', '$join(["a", "b"], missing)', '$join(["a", "b"], "")', '$join(["😀", "é"], "→")',
  '$join([["a", "b"], "c"])', '$join(["a", null])', '["x", "y"] ~> $join("-")', '$join()', '$join(["a", "b"], ["-"])',
];

const misc = [
  '$string("x") & $length("abc")', '$substring($string(12345), 1, 2)', '$uppercase($substringBefore("ab-cd", "-"))',
  '$join($split("a b c", " "), "_")', '$length($join(["😀", "😀"]))', '$pad($string(7), -3, "0")', '$trim($pad("x", 5))',
];

export default [
  { group: 'fn-string', file: 'string', ds: 'emptyobj', cases: misc.concat(string) },
  { group: 'fn-string', file: 'substring', ds: 'emptyobj', cases: substring },
  { group: 'fn-string', file: 'substring-before-after', ds: 'emptyobj', cases: substrBA },
  { group: 'fn-string', file: 'case', ds: 'emptyobj', cases: caseFns },
  { group: 'fn-string', file: 'length', ds: 'emptyobj', cases: length },
  { group: 'fn-string', file: 'trim', ds: 'emptyobj', cases: trim },
  { group: 'fn-string', file: 'pad', ds: 'emptyobj', cases: pad },
  { group: 'fn-string', file: 'contains', ds: 'emptyobj', cases: contains },
  { group: 'fn-string', file: 'split', ds: 'emptyobj', cases: split },
  { group: 'fn-string', file: 'join', ds: 'emptyobj', cases: join },
  {
    group: 'fn-string', file: 'context', cases: [
      { data: 'hello', expr: '$uppercase()' }, { data: 'hello', expr: '$length()' }, { data: 'hello', expr: '$substring(1)' },
      { data: 'hello', expr: '$substring(1, 2)' }, { data: 'hello', expr: '$substringBefore("l")' }, { data: 'hello', expr: '$trim()' },
      { data: 'hello', expr: '$pad(7)' }, { data: 'hello', expr: '$contains("ell")' }, { data: 'a,b', expr: '$split(",")' },
      { data: 'hello', expr: '$string()' }, { data: 5, expr: '$string()' }, { data: 5, expr: '$length()' }, { data: { a: 'x' }, expr: 'a.$uppercase()' },
      { data: ['ab', 'cd'], expr: '$.$uppercase()' }, { data: ['ab', 'cd'], expr: '$uppercase()' }, { data: 'hello', expr: '$lowercase()' },
      { ds: 'address', expr: 'Phone.type.$uppercase()' }, { ds: 'address', expr: 'FirstName.$length()' }, { ds: 'address', expr: 'Phone.number.$substring(0, 4)' },
      { nodata: true, expr: '$uppercase()' }, { nodata: true, expr: '$string()' }, { data: null, expr: '$string()' },
    ],
  },
];
