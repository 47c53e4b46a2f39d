// Errors: syntax errors (S0xxx) with their positions and tokens, type errors
// (T....) and dynamic errors (D....) raised by the evaluator, each at least
// once in several contexts (the position counts UTF-16 units, so some sit
// after non-BMP characters).

const syntax = [
  // S0101 string not terminated, S0102 number out of range, S0103/S0104 escapes, S0105 backquote, S0106 comment
  '"abc', "'abc", '"😀abc', '1 + "x', '1e400', '-1e400', '[1, 1e999]', '"\\q"', '"\\u12"', '"\\u12g4"', '`abc', 'a.`b', '/* abc', '1 /*',
  // S0201 syntax errors and S0202/S0203 expected tokens
  '1 1', 'a b', '(1', '[1', '{"a": 1', '{"a" 1}', '[1, 2', 'f(', '$f(1', 'a[', 'a[0', 'a{', 'a{"x": 1', 'function($x){$x', 'function($x)',
  'function($x) 1', '($a := 1', '|a|{}', '|a|{}|', '1 ? 2 :', 'a ~>', 'a.', '..', '1..', '"a" "b"', ')', ']', '}', ',', ':', ';',
  '(1;2', '{1, 2}', '[1 2]', '{"a": 1, }', '[,]', 'a[]]', '$x := ', ':= 1', 'a := 1', '"x" := 1', '$f($x) := 1',
  // S0204/S0205/S0206/S0207/S0208/S0209/S0210/S0211/S0212/S0213/S0214/S0215/S0216/S0217
  '1 ^ 2', '1 @ 2', '1 # 2', '#', '@', '^', '!', '!1', '~', '1 ~ 2', '?', '1 ?? ', '', ' ', '\n', 'function(1){1}', 'function(a){1}',
  'function($a, b){1}', 'λ(x){x}', 'a{"x": 1}[0]', 'a{"x":1}{"y":2}', '*1', '~>', '- ', '-+1', 'and', 'or', 'in', '1 and', 'or 1',
  '1 := 2', '"a".b := 2', 'a.b := 1', '1.a', '"a".b', 'true.a', 'null.a', '[1].a', 'a.1', 'a."b"', 'a.true', 'a.null', 'a.[1]',
  'a@b', 'a#b', 'a@1', 'a#1', 'a@"x"', 'a[0]@$x', 'a[0]#$x', 'a^(b)@$x', 'a^(b)#$x', '$@', '%', '%.a', '(%)', '[%]', '{"a": %}',
  '$f(%)', 'a.(%)', 'a[%]', '%.%', 'a.%.%.%',
  // S0301/S0302 regex
  '//', '/abc', '/a/z', '"a" ~> /(/', '$match("a", /[/)', '/a/ii', '/a/q',
  // S0401/S0402 signatures
  'function($x)<n<n>>{$x}', 'function($x)<(na<n>)>{$x}', 'function($x)<b<n>>{$x}', 'function($x)<s<s>>{$x}',
  // long and unicode texts: positions after them
  '"😀😀😀" + ', '"😀" & "😀" & ', '/* 😀 */ 1 1', '"日本語" 1', '`😀` 1', '"a" + 1 + [', 'a.b.c.d.e.f.g.h[0].i + ', '(((((1)))))))',
  '[[[[[1]]]]]]', '{{', '}}', '((', '))', '$x.', '$.', '$$.', '$[', '$(', '$f(a,', '$f(a, b', '$f(,)', 'f(a b)',
];

const runtime = [
  // T1003 key not a string, D1009 duplicate keys (grouping)
  { ds: 'address', expr: 'Phone{number: 1}' }, { ds: 'address', expr: 'Phone{type: 1}' }, { ds: 'address', expr: 'Phone{$count(number): 1}' },
  { ds: 'address', expr: '{Phone.type: 1}' }, { ds: 'address', expr: 'Phone{true: 1}' }, { ds: 'address', expr: '{Age: 1}' },
  { ds: 'address', expr: '{FirstName: 1, "Fred": 2}' },
  // T1005/T1006/T1007/T1008 invoking and partially applying a non-function
  { ds: 'address', expr: 'Age()' }, { ds: 'address', expr: '$Age()' }, { ds: 'address', expr: 'Age(?)' }, { ds: 'address', expr: '$Age(?)' },
  { ds: 'address', expr: 'sum([1])' }, { ds: 'address', expr: 'uppercase("x")' }, { ds: 'address', expr: 'uppercase(?)' },
  { ds: 'address', expr: '$foo()' }, { ds: 'address', expr: '$foo(?)' }, { ds: 'address', expr: '($f := 5; $f())' }, { ds: 'address', expr: '($f := 5; $f(?))' },
  // T2001..T2013
  { ds: 'address', expr: 'FirstName + 1' }, { ds: 'address', expr: '1 - Surname' }, { ds: 'address', expr: '[FirstName..3]' },
  { ds: 'address', expr: '[1..Surname]' }, { ds: 'address', expr: 'Age ~> 5' }, { ds: 'address', expr: 'Phone^(number, $count(number) = 1)' },
  { ds: 'address', expr: 'Phone^(type = "home")' }, { ds: 'address', expr: 'Phone^(Nothing, number)' }, { ds: 'address', expr: '[1, "a"]^($)' },
  { ds: 'address', expr: 'Phone^({})' }, { ds: 'address', expr: 'FirstName < Age' }, { ds: 'address', expr: 'Address > 1' },
  { ds: 'address', expr: 'Phone < "a"' }, { ds: 'address', expr: 'Age < true' }, { ds: 'address', expr: '$ ~> |Address|5|' },
  { ds: 'address', expr: '$ ~> |Address|{}, 5|' }, { ds: 'address', expr: '($clone := 1; $ ~> |Address|{"a": 1}|)' },
  { ds: 'address', expr: '$ ~> |Address|{}, {"a": 1}|' },
  // D1001 number out of range, D1002 negating a non-number, D1004 zero-length regex match
  { ds: 'address', expr: '$string(1e308 * 10)' }, { ds: 'address', expr: '-FirstName' }, { ds: 'address', expr: '-Phone' },
  { ds: 'address', expr: '$match(FirstName, /x*/)' }, { ds: 'address', expr: '$replace(FirstName, /x*/, "y")' }, { ds: 'address', expr: '$split(FirstName, /x*/)' },
  { ds: 'address', expr: '$contains(FirstName, /x*/)' }, { ds: 'address', expr: '/x*/(FirstName)' },
  // D2014 range too large
  { ds: 'address', expr: '[1..1e8]' }, { ds: 'address', expr: '[-1e7..1e7]' }, { ds: 'address', expr: '[0..10000000]' },
  // D3xxx function errors inside paths (positions at the call)
  { ds: 'address', expr: 'Phone.$number(number)' }, { ds: 'address', expr: 'Phone.$sqrt(-$count(number))' }, { ds: 'address', expr: 'Phone.$error(type)' },
  { ds: 'address', expr: 'Phone.$formatBase(1, 99)' }, { ds: 'address', expr: 'Phone.$toMillis(type)' }, { ds: 'address', expr: 'Phone.$single(number)' },
  { ds: 'address', expr: '$single(Phone, function($p){$p.type = "office"})' }, { ds: 'address', expr: '$sort(Phone)' }, { ds: 'address', expr: '$reduce(Phone, function($x){$x})' },
  { ds: 'address', expr: '$power(Age, 1000)' }, { ds: 'address', expr: '$replace(FirstName, "", "x")' }, { ds: 'address', expr: '$replace(FirstName, "e", "x", -1)' },
  { ds: 'address', expr: '$replace(FirstName, /e/, function($m){1})' }, { ds: 'address', expr: '$split(FirstName, "", -1)' }, { ds: 'address', expr: '$match(FirstName, /e/, -1)' },
  { ds: 'address', expr: '$formatNumber(Age, "0.0.0")' }, { ds: 'address', expr: '$formatInteger(Age, "Γ")' }, { ds: 'address', expr: '$fromMillis(Age, "[Q]")' },
  { ds: 'address', expr: '$fromMillis(Age, "[Yx")' }, { ds: 'address', expr: '$fromMillis(Age, "[YN]")' }, { ds: 'address', expr: '$toMillis(FirstName, "[Y]")' },
  { ds: 'address', expr: '$eval("1 +")' }, { ds: 'address', expr: '$eval("$error(\\"e\\")")' }, { ds: 'address', expr: '$decodeUrl("%")' },
  { ds: 'address', expr: '$assert(Age > 30, "too young")' }, { ds: 'address', expr: '$error("Age is " & Age)' },
  { ds: 'address', expr: '$string(FirstName & "😀" & $error("after emoji"))' }, { ds: 'address', expr: '"😀😀" & $number("x")' },
  { ds: 'address', expr: '{"_jsonata_x": 1}' }, { ds: 'address', expr: '{"_jsonata_lambda": 1}' },
  { ds: 'address', expr: '{"_jsonata_function": true}' }, { ds: 'address', expr: 'Phone{"_jsonata_lambda": number}' },
  { ds: 'address', expr: '{"a": 1, "_jsonata_" & "function": 2}' }, { ds: 'address', expr: '$merge([{"_jsonata_lambda": 1}])' },
  // positions of type errors after multi-line text and non-BMP characters
  { ds: 'address', expr: '"😀" + 1' }, { ds: 'address', expr: '"😀😀" = "a" and 1 + "b"' }, { ds: 'address', expr: '(\n  $a := 1;\n  $a + "x"\n)' },
  { ds: 'address', expr: '/* 😀😀 */ 1 + "x"' }, { ds: 'address', expr: '`😀` + 1' },
];

export default [
  { group: 'errors', file: 'syntax', ds: 'emptyobj', cases: syntax },
  { group: 'errors', file: 'runtime', cases: runtime },
];
