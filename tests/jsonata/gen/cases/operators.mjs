// Every binary operator with every kind of operand, both sides; unary minus;
// precedence and associativity.

// Operands: literal expressions of every JSONata type, plus the undefined
// value (a missing field) and a function.
const OPERANDS = [
  '0', '1', '-1.5', '1e21', '""', '"a"', '"12"', 'true', 'false', 'null',
  '[]', '[1,2]', '["a"]', '{}', '{"a":1}', 'missing', '$string',
];

const ARITH = ['+', '-', '*', '/', '%'];
const COMPARE = ['=', '!=', '<', '<=', '>', '>='];
const OTHER = ['and', 'or', '&', 'in', '??', '?:'];

function matrix(ops) {
  const out = [];
  for (const op of ops) for (const l of OPERANDS) for (const r of OPERANDS) out.push(`${l} ${op} ${r}`);
  return out;
}

function rangeMatrix() {
  const out = [];
  // [1e21..1e21] never ends in the reference (1e21 + 1 === 1e21): left out
  for (const l of OPERANDS) for (const r of OPERANDS) if (!(l === '1e21' && r === '1e21')) out.push(`[${l}..${r}]`);
  return out;
}

const arithValues = [
  '1 + 2', '1 - 2', '2 * 3', '7 / 2', '7 % 3', '-7 % 3', '7 % -3', '7.5 % 2', '-7.5 % 2', '0 % 5',
  '1 / 0', '-1 / 0', '0 / 0', '5 % 0', '1e308 * 10', '-1e308 * 10', '1e308 + 1e308',
  '0.1 + 0.2', '0.3 - 0.1', '1.1 * 3', '1 / 3', '2 / 3', '10 / 4', '1e21 + 1', '1e21 * 10',
  '123456789 * 987654321', '9007199254740991 + 2', '2 - 1e-7', '1e-7 * 1e-7', '1e-7 / 3',
  '-0', '0 * -1', '-0 + 0', '-(0)', '- -1', '-(-1)', '--1', '-"1"', '-true', '-null', '-[1]', '-[1,2]', '-{}',
  '-missing', '-$string', '1 - -1', '1--1', '3 - 2 - 1', '2 * 3 + 4', '2 + 3 * 4', '(2 + 3) * 4',
  '12 / 3 / 2', '2 * 3 % 4', '10 % 4 * 3', '1 + 2 * 3 - 4 / 2 % 3', '1.5e3 + 2.5E-1', '0.5e1', '1e0',
  '"1" + 1', '1 + "1"', 'true + 1', 'null + 1', '[1] + [2]', '[1,2] + 1',
  '5.0', '5.00000001', '100 * 1.1', '0.07 * 100', '4.35 * 100', '1.005 * 1000', '3 * 1.1',
  '1e-6', '1e-7', '0.000001234', '123e-20', '1e100', '2e-308 / 1e10', '1.7976931348623157e308',
  '4.9e-324', '2.5e-324', '1e-400', '9999999999999999', '0.1 * 3', '100 / 3', '-100 / 3',
  '$x + $y', '$x * $y', '$x - $y', '$x / $y', '$x % $y',
];

const compareValues = [
  '1 = 1', '1 = 1.0', '1 = "1"', '"a" = "a"', '"a" = "A"', 'true = true', 'null = null', 'null = false',
  '[1] = [1]', '[1] = 1', '{} = {}', '{"a":1} = {"a":1}', '$x = $x', 'missing = missing', 'missing != missing',
  '1 != 2', '"a" != "b"', '"a" < "b"', '"B" < "a"', '"a" < "ab"', '"10" < "9"', '10 < 9', '1 < 2 < 3',
  '"é" > "z"', '"😀" > "z"', '"😀" > "\uffff"', '"abc" <= "abc"', '"abc" >= "abd"', '1e21 > 1e20',
  '-0 = 0', '0.1 + 0.2 = 0.3', '0.1 + 0.2 > 0.3', '1 < "2"', '"1" < 2', 'true < false', 'null < 1',
  '[1,2] < 3', '[3] < 4', '1 = [1,2]', '[1,2] = [1,2]', '[1,2] != [1,2]',
  '$x < $y', '$x <= $y', '$x > $y', '$x >= $y', '$x = $y', '$x != $y',
];

const logicValues = [
  'true and true', 'true and false', 'false or true', 'false or false', 'true and missing', 'missing or true',
  'missing and false', 'missing or missing', '1 and "a"', '0 or ""', '[] or {}', '[0] or [false]',
  '[[]] and true', '"false" and true', '{"a":0} and true', '$string and true', 'null or 0',
  'true or 1/0', 'false and (1/0 > 0)', 'true or $error("no")', 'false and $error("no")',
  'true and true or false', 'false or true and false', '(false or true) and false', 'not', 'and', 'or',
  'and and or', 'and or or', 'in in in', '$x and $y', '$x or $y', '1 and 2 and 3',
];

const concatValues = [
  '"a" & "b"', '"a" & 1', '1 & 2', '1.5 & 1e21', '0.1 + 0.2 & ""', 'true & false', 'null & "x"', '"x" & missing',
  'missing & missing', '[1,2] & "x"', '{"a":[1,{"b":2}]} & ""', '$string & "!"', 'function($x){$x} & ""',
  '"a" & "b" & "c"', '1 + 2 & 3 + 4', '"😀" & "é"', '-0 & ""', '1e-7 & ""', '100 & ""', '1e300*1e10 & ""',
  '[1e21, -0, 0.1] & ""', '{"n": 1e-7} & ""', '"x" & [] & {}', '"" & ""', '$x & $y',
];

const inValues = [
  '1 in [1,2]', '3 in [1,2]', '"a" in ["a","b"]', '"a" in "a"', '"a" in "abc"', '1 in 1', 'null in [null]',
  'true in [1, true]', '[1] in [1,2]', '[1,2] in [1,2]', '{"a":1} in [{"a":1}]', 'missing in [1]', '1 in missing',
  '1 in []', '"1" in [1]', '1.0 in [1]', '-0 in [0]', '$x in $y',
];

const coalesceValues = [
  'missing ?? 1', '0 ?? 1', 'null ?? 1', 'false ?? 1', '"" ?? 1', '[] ?? 1', '{} ?? 1', 'missing ?? missing',
  'missing ?? missing ?? 3', 'missing ?? null ?? 3', '1 ?? $error("no")', 'a.b.c ?? "dflt"',
  'missing ?: 1', '0 ?: 1', 'null ?: 1', 'false ?: 1', '"" ?: 1', '[] ?: 1', '{} ?: 1', '"x" ?: 1', '[0] ?: 1',
  '[false, 0] ?: 1', 'missing ?: missing', '1 ?: $error("no")', '0 ?: "" ?: "last"', '$x ?: $y', '$x ?? $y',
  'missing ?? 1 + 1', '0 ?: 1 + 1', '1 ?? 2 = 2', 'true ? 1 : 2 ?? 3', 'missing ?? 1 ? "y" : "n"',
];

const precedenceValues = [
  '1 + 2 = 3', '1 + 2 = 3 and true', '"a" & "b" = "ab"', '1 < 2 = true', '1 = 1 = true', '2 * 3 & 4',
  '1 + 2 in [3]', 'true and 1 in [1]', 'true ? 1 : 2 + 3', 'false ? 1 : 2 + 3', 'true or false ? "y" : "n"',
  '1..3', '[1..3]', '[1..3, 5]', '[0..0]', '[3..1]', '[-2..2]', '[1.0..3]', '[1.5..3]', '["1"..3]', '[1..missing]',
  '[missing..3]', '$count([1..1e7])', '$count([1..1e7+1])', '$count([1..10000001])', '$count([-5e6..5e6])', '$count([1..10000])', '[(1+1)..(2*3)]',
  '[1..3].($ * 2)', '[1..3][1]', '[1..3][-1]', '[$x..$y]', '$sum([1..100])',
];

const vars = { x: 7, y: 2 };
const varsMixed = [
  { x: 'a', y: 'b' }, { x: 1, y: 'b' }, { x: true, y: false }, { x: null, y: 1 }, { x: [1, 2], y: [2] },
  { x: { a: 1 }, y: 1 }, { x: 0.1, y: 0.2 }, { x: -0, y: 0 }, { x: 1e21, y: 1e-7 },
];

function withBindings(exprs, bindings) {
  const out = [];
  for (const e of exprs) {
    if (e.includes('$x') || e.includes('$y')) {
      out.push({ expr: e, bindings });
      for (const b of varsMixed) out.push({ expr: e, bindings: b });
    } else out.push(e);
  }
  return out;
}

export default [
  { group: 'operators', file: 'matrix-arith', ds: 'emptyobj', cases: matrix(ARITH) },
  { group: 'operators', file: 'matrix-compare', ds: 'emptyobj', cases: matrix(COMPARE) },
  { group: 'operators', file: 'matrix-logic', ds: 'emptyobj', cases: matrix(OTHER) },
  { group: 'operators', file: 'matrix-range', ds: 'emptyobj', cases: rangeMatrix() },
  { group: 'operators', file: 'matrix-unary', ds: 'emptyobj', cases: OPERANDS.map((o) => `-${o}`) },
  { group: 'operators', file: 'arith', ds: 'emptyobj', cases: withBindings(arithValues, vars) },
  { group: 'operators', file: 'compare', ds: 'emptyobj', cases: withBindings(compareValues, vars) },
  { group: 'operators', file: 'logic', ds: 'emptyobj', cases: withBindings(logicValues, vars) },
  { group: 'operators', file: 'concat', ds: 'emptyobj', cases: withBindings(concatValues, vars) },
  { group: 'operators', file: 'in', ds: 'emptyobj', cases: withBindings(inValues, { x: 2, y: [1, 2, 3] }) },
  { group: 'operators', file: 'coalesce', ds: 'emptyobj', cases: withBindings(coalesceValues, { x: 0, y: 'y' }) },
  { group: 'operators', file: 'precedence', ds: 'emptyobj', cases: withBindings(precedenceValues, { x: 2, y: 5 }) },
  {
    group: 'operators', file: 'on-data', ds: 'invoice', cases: [
      'Account.Order.Product.Price * Account.Order.Product.Quantity',
      'Account.Order[0].Product[0].Price * Account.Order[0].Product[0].Quantity',
      'Account.Order.Product.(Price * Quantity)',
      '$sum(Account.Order.Product.(Price * Quantity))',
      'Account.Order[0].OrderID & "/" & Account.Order[1].OrderID',
      'Account.Order.OrderID & "!"',
      'Account.`Account Name` = "Firefly"',
      'Account.Order.Product.Price > 30',
      'Account.Order[0].Product[0].Price > 30',
      'Account.Order.Product[Price > 30].`Product Name`',
      '"Bowler Hat" in Account.Order.Product.`Product Name`',
      'Account.Order.Product.Description.Weight + 1',
      'Account.Order[0].Product[0].Description.(Width * Height * Depth)',
      'Account.Nothing + 1', 'Account.Nothing & "x"', 'Account.Nothing = Account.Nothing', 'Account.Nothing > 1',
      'Account.Order.Product.ProductID % 1000', '-Account.Order[0].Product[0].Price', '-Account.Order.Product.Price',
      'Account.Order[0].Product[0].Price ?: 0', 'Account.Order[0].Product[0].Missing ?? "none"',
    ],
  },
];
