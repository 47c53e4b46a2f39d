// Numeric, aggregation and boolean functions; $formatNumber, $formatBase,
// $formatInteger, $parseInteger.

const number = [
  '$number(1)', '$number("1")', '$number("1.5")', '$number("-2")', '$number("1e3")', '$number("1E-3")', '$number(" 7 ")', '$number("")',
  '$number("abc")', '$number("0x10")', '$number("0X1f")', '$number("0b101")', '$number("0o17")', '$number("0x")', '$number("-0x10")',
  '$number("1_000")', '$number("1,5")', '$number("Infinity")', '$number("-Infinity")', '$number("NaN")', '$number("1e309")', '$number(".5")',
  '$number("5.")', '$number("+5")', '$number("-0")', '$number("00012")', '$number("1e")', '$number("\\t1\\n")', '$number(true)', '$number(false)',
  '$number(null)', '$number([])', '$number([1])', '$number(["1"])', '$number({})', '$number(missing)', '$number()', '$number("1", 2)',
  '$number("12345678901234567890")', '$number("0.1") + $number("0.2")', '"42" ~> $number()', '["1", "2"].$number($)', '$number("٣")',
  '$number("1 2")', '$number("--1")', '$number(" ")', '$number("0.0000001")', '$number(1e21)',
];

const rounding = [
  '$floor(1.5)', '$floor(-1.5)', '$floor(1)', '$floor(0.1)', '$floor(-0.1)', '$floor(-0)', '$floor(1e21)', '$floor(missing)', '$floor("1")',
  '$ceil(1.5)', '$ceil(-1.5)', '$ceil(1)', '$ceil(0.1)', '$ceil(-0.1)', '$ceil(1e-7)', '$ceil(missing)', '$ceil(true)',
  '$round(1.5)', '$round(2.5)', '$round(3.5)', '$round(-1.5)', '$round(-2.5)', '$round(0.5)', '$round(-0.5)', '$round(1.4999)',
  '$round(1.2345, 2)', '$round(1.235, 2)', '$round(1.245, 2)', '$round(1.255, 2)', '$round(1.005, 2)', '$round(2.675, 2)',
  '$round(1234.5, -1)', '$round(1235, -1)', '$round(1245, -1)', '$round(1250, -2)', '$round(1350, -2)', '$round(12345, -3)',
  '$round(1.5, 0)', '$round(0.125, 2)', '$round(0.135, 2)', '$round(-0.125, 2)', '$round(123.456, 10)', '$round(1e21, 2)',
  '$round(1.23456789e-5, 8)', '$round(5e-324, 2)', '$round(1.5, 1.7)', '$round(1.45, 1)', '$round(1.55, 1)', '$round(0.3 - 0.1, 1)',
  '$round(missing)', '$round()', '$round("1.5")', '$round(1.5, "1")', '$round(2.5, missing)', '$round(4.5)', '$round(-4.5)',
  '$round(9007199254740991.5)', '$round(0.049999999999999996, 1)', '$round(1e300, -299)', '$round(1e-300, 300)',
];

const abs = ['$abs(5)', '$abs(-5)', '$abs(0)', '$abs(-0)', '$abs(-1.5)', '$abs(-1e21)', '$abs(missing)', '$abs("-1")', '$abs(-5e-324)'];

const sqrtPower = [
  '$sqrt(4)', '$sqrt(2)', '$sqrt(0)', '$sqrt(-0)', '$sqrt(1e-7)', '$sqrt(1e300)', '$sqrt(-1)', '$sqrt(-0.0001)', '$sqrt(missing)', '$sqrt("4")',
  '$power(2, 3)', '$power(2, -1)', '$power(2, 0.5)', '$power(-8, 1/3)', '$power(-2, 3)', '$power(-2, 0.5)', '$power(0, 0)', '$power(0, -1)',
  '$power(10, 21)', '$power(10, 308)', '$power(10, 309)', '$power(2, 1024)', '$power(-10, 309)', '$power(10, -400)', '$power(1.1, 2)',
  '$power(2, missing)', '$power(missing, 2)', '$power("2", 2)', '$power(2)', '$power(9, 0.5)', '$power(1e-7, 2)', '$power(2, 53)',
  '$power(3, 40)', '$power(7, 1/7)', '$power(-1, 0.5)', '$power(0.5, 1075)',
];

const random = [
  { expr: '$random()', check: 'type' }, { expr: '$random() < 1 and $random() >= 0', det: true },
  { expr: '$type($random())', det: true }, { expr: '$random(1)', det: true }, { expr: '[1..10].$random() ~> $count()', det: true },
  { expr: '($r := [1..100].$random(); $count($distinct($r)) > 90)', det: true },
];

const aggregates = [
  '$sum([1, 2, 3])', '$sum([])', '$sum(1)', '$sum([0.1, 0.2])', '$sum([1e21, 1])', '$sum(["1"])', '$sum([1, "1"])', '$sum([1, true])',
  '$sum([1, null])', '$sum(missing)', '$sum([[1, 2], [3]])', '$sum([1, [2, [3]]])', '$sum()', '$sum("a")', '$sum({})', '$sum([{}])',
  '$sum([1e308, 1e308])', '$sum([-0])', '$sum([0.1, 0.2, 0.3])', '$sum([1..100000])', '[1, 2] ~> $sum()',
  '$max([1, 5, 3])', '$max([])', '$max(5)', '$max([-1, -5])', '$max(["a"])', '$max([1, "a"])', '$max(missing)', '$max([1e21, 1e-7])',
  '$max([-0, 0])', '$max([0, -0])', '$max([[1, 9], [3]])', '$max([null])', '$max([true])',
  '$min([1, 5, 3])', '$min([])', '$min(5)', '$min([-1, -5])', '$min(["a"])', '$min(missing)', '$min([0.1, 0.01])', '$min([[4], [2, 3]])',
  '$average([1, 2, 3])', '$average([1, 2])', '$average([])', '$average(5)', '$average(["a"])', '$average(missing)', '$average([0.1, 0.2])',
  '$average([1e308, 1e308])', '$average([[1, 2], [3, 4]])',
  '$count([1, 2, 3])', '$count([])', '$count(1)', '$count("a")', '$count(missing)', '$count(null)', '$count([null])', '$count([[1, 2], 3])',
  '$count([[]])', '$count({})', '$count([{}, {}])', '$count()', '$count([1], [2])', '$count($uppercase)',
];

const onData = [
  { ds: 'invoice', expr: '$sum(Account.Order.Product.Price)' }, { ds: 'invoice', expr: '$sum(Account.Order.Product.(Price * Quantity))' },
  { ds: 'invoice', expr: '$max(Account.Order.Product.Price)' }, { ds: 'invoice', expr: '$min(Account.Order.Product.Price)' },
  { ds: 'invoice', expr: '$average(Account.Order.Product.Price)' }, { ds: 'invoice', expr: '$count(Account.Order.Product)' },
  { ds: 'invoice', expr: 'Account.Order.$sum(Product.Price)' }, { ds: 'invoice', expr: '$round($sum(Account.Order.Product.(Price * Quantity)), 1)' },
  { ds: 'invoice', expr: '$sum(Account.Order.Product.`Product Name`)' }, { ds: 'items', expr: '$sum(items.qty)' },
  { ds: 'items', expr: '$average(items.price)' }, { ds: 'items', expr: '$max(items.qty)' }, { ds: 'items', expr: '$sum(items[category="fruit"].price)' },
  { ds: 'items', expr: 'items.$sum(tags)' }, { ds: 'numbers', expr: '$sum(list)' }, { ds: 'numbers', expr: '$max(list)' },
  { ds: 'numbers', expr: '$min(list)' }, { ds: 'numbers', expr: '$average(ints)' }, { ds: 'numbers', expr: '$sum(strs)' },
  { ds: 'numbers', expr: 'strs.$number($)' }, { ds: 'numbers', expr: 'list.$round($, 1)' }, { ds: 'numbers', expr: 'list.$floor($)' },
  { ds: 'numbers', expr: 'ints.$sqrt($)' }, { data: [1, 2, 3], expr: '$sum()' }, { data: [1, 2, 3], expr: '$sum($)' }, { data: 4, expr: '$sqrt()' },
  { data: -4.5, expr: '$abs()' }, { data: 2.5, expr: '$round()' }, { data: '12', expr: '$number()' },
];

const boolean = [
  '$boolean(true)', '$boolean(false)', '$boolean(0)', '$boolean(1)', '$boolean(-0)', '$boolean(0.1)', '$boolean("")', '$boolean("0")',
  '$boolean("false")', '$boolean(" ")', '$boolean(null)', '$boolean([])', '$boolean([0])', '$boolean([1])', '$boolean([0, 1])',
  '$boolean([false, false])', '$boolean([[]])', '$boolean([[0]])', '$boolean([[1]])', '$boolean([""])', '$boolean({})', '$boolean({"a": 0})',
  '$boolean(missing)', '$boolean($uppercase)', '$boolean(function(){0})', '$boolean()', '$boolean(1/0)', '$boolean([null])', '$boolean([{}])',
  '$not(true)', '$not(false)', '$not(0)', '$not("")', '$not("a")', '$not(null)', '$not([])', '$not([1])', '$not({})', '$not(missing)',
  '$not($uppercase)', '$not()', '$exists(1)', '$exists(missing)', '$exists(null)', '$exists([])', '$exists("")', '$exists(false)',
  '$exists($uppercase)', '$exists([missing])', '$exists(missing.x)', '$exists()', '$exists(1, 2)',
];

const formatNumber = [
  '$formatNumber(12345.6, "#,###.00")', '$formatNumber(1234.5678, "00.000")', '$formatNumber(1234.5678, "#,##0.00")', '$formatNumber(0.5, "0%")',
  '$formatNumber(0.456, "0.0%")', '$formatNumber(0.5, "0‰")', '$formatNumber(1234, "0.0e0")', '$formatNumber(0.000123, "0.00e0")',
  '$formatNumber(12345, "##0.0e00")', '$formatNumber(-12.5, "0.0")', '$formatNumber(-12.5, "0.0;(0.0)")', '$formatNumber(12.5, "0.0;(0.0)")',
  '$formatNumber(1, "000")', '$formatNumber(0, "#")', '$formatNumber(0, "0")', '$formatNumber(0.1, "#.#")', '$formatNumber(0.05, "#.#")',
  '$formatNumber(1234567.891, "#,##0.##")', '$formatNumber(1234567.891, "#,##,##0.00")', '$formatNumber(1e21, "#,##0")',
  '$formatNumber(1e-7, "0.000000000")', '$formatNumber(123.456, "#")', '$formatNumber(2.5, "0")', '$formatNumber(3.5, "0")',
  '$formatNumber(-2.5, "0")', '$formatNumber(1.005, "0.00")', '$formatNumber(34.555, "#0.00;(#0.00)")', '$formatNumber(-34.555, "#0.00;(#0.00)")',
  '$formatNumber(12345.6, "#.###,00", {"decimal-separator": ",", "grouping-separator": "."})',
  '$formatNumber(1234.5, "#,##0.0", {"grouping-separator": " "})', '$formatNumber(0.25, "00.0pc", {"percent": "pc"})',
  '$formatNumber(12, "#", {"zero-digit": "٠"})', '$formatNumber(1234, "٠٠٠٠", {"zero-digit": "٠"})', '$formatNumber(42, "①", {"zero-digit": "①"})',
  '$formatNumber(1.5, "0.0", {"decimal-separator": "·"})', '$formatNumber(1234, "0.0E0", {"exponent-separator": "E"})',
  '$formatNumber(-5, "0", {"minus-sign": "−"})', '$formatNumber(0.5, "0.0x", {"per-mille": "x"})', '$formatNumber(1/0, "0")',
  '$formatNumber(0/0, "0", {"NaN": "nan"})', '$formatNumber(1, "0", {"infinity": "inf"})', '$formatNumber(12, "#,##0", {"unknown": "x"})',
  '$formatNumber(1, "#.#.#")', '$formatNumber(1, "0;0;0")', '$formatNumber(1, "0%%")', '$formatNumber(1, "0‰‰")', '$formatNumber(1, "0%‰")',
  '$formatNumber(1, "#")', '$formatNumber(1, "a")', '$formatNumber(1, "0a0")', '$formatNumber(1, "0,.0")', '$formatNumber(1, "0,")',
  '$formatNumber(1, "0,,0")', '$formatNumber(1, "0#")', '$formatNumber(1, ".0#0")', '$formatNumber(1, "0e0%")', '$formatNumber(1, "0e#")',
  '$formatNumber(1, "")', '$formatNumber(missing, "0")', '$formatNumber(1, missing)', '$formatNumber("1", "0")', '$formatNumber(1)',
  '$formatNumber(1, "0", "x")', '$formatNumber(123456789, "#,###")', '$formatNumber(0.1 + 0.2, "0.00000000000000000")',
  '$formatNumber(-0, "0.0")', '$formatNumber(99.999, "0.00")', '$formatNumber(9.995, "0.00")', '$formatNumber(1e300, "0")',
  '$formatNumber(5, "[0]")', '$formatNumber(5, "$0.00")', '$formatNumber(5, "0.00 EUR")', '$formatNumber(1234.5, "€#,##0.00")',
  '$formatNumber(0.123, "#%")', '$formatNumber(12, "0000e0")', '$formatNumber(0.00012, "#.##e0")', '$formatNumber(-0.5, "0.0;-0.0")',
];

const formatBase = [
  '$formatBase(100)', '$formatBase(100, 2)', '$formatBase(100, 16)', '$formatBase(255, 16)', '$formatBase(-255, 16)', '$formatBase(100, 36)',
  '$formatBase(100, 37)', '$formatBase(100, 1)', '$formatBase(100, 0)', '$formatBase(1.5, 2)', '$formatBase(2.5, 2)', '$formatBase(100, 2.5)',
  '$formatBase(0, 2)', '$formatBase(1e21, 16)', '$formatBase(missing, 2)', '$formatBase(100, missing)', '$formatBase("100", 2)',
  '$formatBase(100, "2")', '$formatBase(-0, 10)', '$formatBase(9007199254740993, 2)', '$formatBase(0.5, 2)', '$formatBase(-1.5, 10)',
];

const formatInteger = [
  '$formatInteger(123, "0")', '$formatInteger(123, "000000")', '$formatInteger(1234567, "#,##0")', '$formatInteger(1234567, "0,000")',
  '$formatInteger(12, "w")', '$formatInteger(12, "W")', '$formatInteger(12, "Ww")', '$formatInteger(0, "w")', '$formatInteger(1, "w")',
  '$formatInteger(21, "w")', '$formatInteger(99, "w")', '$formatInteger(100, "w")', '$formatInteger(101, "w")', '$formatInteger(999, "w")',
  '$formatInteger(1000, "w")', '$formatInteger(1001, "w")', '$formatInteger(123456, "w")', '$formatInteger(1000000, "w")',
  '$formatInteger(1234567890, "w")', '$formatInteger(1e12, "w")', '$formatInteger(1e15, "w")', '$formatInteger(1e18, "w")', '$formatInteger(-5, "w")',
  '$formatInteger(1, "wo")', '$formatInteger(2, "wo")', '$formatInteger(3, "wo")', '$formatInteger(11, "wo")', '$formatInteger(12, "wo")',
  '$formatInteger(20, "wo")', '$formatInteger(21, "wo")', '$formatInteger(100, "wo")', '$formatInteger(101, "Wo")', '$formatInteger(1000000, "wo")',
  '$formatInteger(1, "0o")', '$formatInteger(2, "0o")', '$formatInteger(3, "0o")', '$formatInteger(4, "0o")', '$formatInteger(11, "0o")',
  '$formatInteger(12, "0o")', '$formatInteger(13, "0o")', '$formatInteger(21, "0o")', '$formatInteger(22, "0o")', '$formatInteger(23, "0o")',
  '$formatInteger(101, "0o")', '$formatInteger(111, "0o")', '$formatInteger(112, "#,##0o")',
  '$formatInteger(1999, "I")', '$formatInteger(1999, "i")', '$formatInteger(4, "I")', '$formatInteger(9, "I")', '$formatInteger(14, "I")',
  '$formatInteger(40, "I")', '$formatInteger(90, "I")', '$formatInteger(400, "I")', '$formatInteger(900, "I")', '$formatInteger(3999, "I")',
  '$formatInteger(4000, "I")', '$formatInteger(0, "I")', '$formatInteger(-5, "I")', '$formatInteger(2024, "I")',
  '$formatInteger(1, "A")', '$formatInteger(26, "A")', '$formatInteger(27, "A")', '$formatInteger(52, "a")', '$formatInteger(703, "A")',
  '$formatInteger(0, "A")', '$formatInteger(-1, "a")', '$formatInteger(12, "٠")', '$formatInteger(1234, "٠٠٠٠٠")', '$formatInteger(5, "①")',
  '$formatInteger(12, "#0")', '$formatInteger(12, "##")', '$formatInteger(12, "0#")', '$formatInteger(1234, "0-0-0-0")', '$formatInteger(123, "00;")',
  '$formatInteger(12.7, "0")', '$formatInteger(-12.7, "0")', '$formatInteger(missing, "0")', '$formatInteger(12, missing)', '$formatInteger("12", "0")',
  '$formatInteger(12)', '$formatInteger(12, "")', '$formatInteger(12, "x")', '$formatInteger(12, "β")', '$formatInteger(1e21, "0")',
  '$formatInteger(-1234, "#,##0")', '$formatInteger(12, "0٠")', '$formatInteger(5, "Ι")', '$formatInteger(1234, "#,##,##0")',
];

// Roman numerals of thousands and millions: one 'm' per thousand (the
// reference's decimalToRoman recurses once per numeral: its stack ends it
// somewhere past 9,000 'm's, so the biggest cases stay below that).
const roman = [
  '$formatInteger(0, "i")', '$formatInteger(1, "i")', '$formatInteger(-1, "i")', '$formatInteger(-0.5, "I")', '$formatInteger(0.9, "I")',
  '$formatInteger(999, "i")', '$formatInteger(1000, "i")', '$formatInteger(1001, "I")', '$formatInteger(3888, "I")', '$formatInteger(4999, "i")',
  '$formatInteger(9999, "I")', '$formatInteger(10000, "i")', '$formatInteger(12345, "I")', '$formatInteger(-12345, "i")', '$formatInteger(123456, "i")',
  '$formatInteger(999999, "I")', '$formatInteger(1000000, "i")', '$formatInteger(1999999, "I")', '$formatInteger(-2000001, "I")',
  '$length($formatInteger(4000000, "i"))', '$substring($formatInteger(4999999, "I"), 4990)', '$formatInteger(8999999, "i")',
  '$length($formatInteger(9000000, "I"))', '$substring($formatInteger(9000999, "i"), 8995)', '$length($formatInteger(-9000000, "i"))',
  '$formatInteger(1234567.89, "i")', '$formatInteger(5e6, "Ww")', '$formatInteger(2e6, "I;o")',
  '$parseInteger($formatInteger(1999999, "I"), "I")', '$parseInteger($formatInteger(9000999, "i"), "i")', '$parseInteger($formatInteger(4321, "i"), "I")',
  '$parseInteger("MMMMMMMMMM", "I")', '$parseInteger("mmmmmmmmmmcmxcix", "i")', '$parseInteger("MMMMMMMMMMCMXCIX", "i")', '$parseInteger("", "I")',
  '$parseInteger("MMXM", "I")', '$parseInteger("Mx", "I")',
];

const parseInteger = [
  '$parseInteger("123", "0")', '$parseInteger("1,234,567", "#,##0")', '$parseInteger("000123", "000000")', '$parseInteger("twelve", "w")',
  '$parseInteger("TWELVE", "W")', '$parseInteger("Twelve", "Ww")', '$parseInteger("one hundred and one", "w")', '$parseInteger("one thousand", "w")',
  '$parseInteger("one million two hundred thousand and five", "w")', '$parseInteger("zero", "w")', '$parseInteger("twenty-one", "w")',
  '$parseInteger("twelfth", "wo")', '$parseInteger("first", "wo")', '$parseInteger("twenty-first", "wo")', '$parseInteger("hundredth", "wo")',
  '$parseInteger("12th", "0o")', '$parseInteger("1st", "0o")', '$parseInteger("MCMXCIX", "I")', '$parseInteger("mcmxcix", "i")',
  '$parseInteger("IV", "I")', '$parseInteger("IIII", "I")', '$parseInteger("A", "A")', '$parseInteger("AA", "A")', '$parseInteger("zz", "a")',
  '$parseInteger("١٢", "٠")', '$parseInteger("12", "#0")', '$parseInteger("abc", "0")', '$parseInteger("", "0")', '$parseInteger(missing, "0")',
  '$parseInteger("12", missing)', '$parseInteger(12, "0")', '$parseInteger("12")', '$parseInteger("1-2-3-4", "0-0-0-0")', '$parseInteger("-12", "0")',
  '$parseInteger("12.5", "0")', '$parseInteger("xyz", "w")', '$parseInteger("one hundred", "W")', '$parseInteger("ninety-nine", "w")',
  '$parseInteger("a trillion", "w")', '$parseInteger("one trillion", "w")', '$parseInteger("one billion and one", "w")',
];

export default [
  { group: 'fn-numeric', file: 'number', ds: 'emptyobj', cases: number },
  { group: 'fn-numeric', file: 'rounding', ds: 'emptyobj', cases: rounding.concat(abs) },
  { group: 'fn-numeric', file: 'sqrt-power', ds: 'emptyobj', cases: sqrtPower },
  { group: 'fn-numeric', file: 'random', ds: 'emptyobj', cases: random },
  { group: 'fn-numeric', file: 'aggregates', ds: 'emptyobj', cases: aggregates },
  { group: 'fn-numeric', file: 'on-data', cases: onData },
  { group: 'fn-boolean', file: 'boolean', ds: 'emptyobj', cases: boolean },
  { group: 'fn-format', file: 'format-number', ds: 'emptyobj', cases: formatNumber },
  { group: 'fn-format', file: 'format-base', ds: 'emptyobj', cases: formatBase },
  { group: 'fn-format', file: 'format-integer', ds: 'emptyobj', cases: formatInteger },
  { group: 'fn-format', file: 'parse-integer', ds: 'emptyobj', cases: parseInteger },
  { group: 'fn-format', file: 'roman', ds: 'emptyobj', cases: roman },
  {
    group: 'fn-format', file: 'roundtrip', ds: 'emptyobj',
    cases: [1, 2, 3, 7, 11, 12, 13, 19, 20, 21, 42, 99, 100, 101, 110, 999, 1000, 1001, 1999, 2024, 12345, 100000, 999999, 1000001]
      .flatMap((n) => ['w', 'W', 'Ww', 'wo', 'I', 'i', 'A', 'a', '0o', '#,##0']
        .map((p) => `$parseInteger($formatInteger(${n}, "${p}"), "${p}")`)),
  },
];
