// Random expressions from a small grammar (seeded: the same every run), the
// reference deciding what each gives: a differential test of everything at
// once — paths with predicates inside operators inside function arguments
// inside lambdas — where hand-written cases miss combinations. Nothing that
// cannot end (no recursion; ranges with small bounds) and nothing
// nondeterministic.

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PATHS = {
  address: ['FirstName', 'Surname', 'Age', 'Address', 'Address.City', 'Address.*', 'Phone', 'Phone.number', 'Phone.type', 'Phone[0]',
    'Phone[type="office"]', 'Email.address', 'Email', 'Other.Misc', 'Other.`Over 18 ?`', '**.City', 'Nothing', '$', 'Phone[-1].number', 'Email[0].address[1]'],
  invoice: ['Account.Order', 'Account.Order.OrderID', 'Account.Order.Product', 'Account.Order.Product.Price', 'Account.Order.Product.Quantity',
    'Account.Order.Product.`Product Name`', 'Account.Order.Product.Description', 'Account.Order.Product.Description.Weight', 'Account.Order[0].Product',
    'Account.Order.Product[Price > 30]', 'Account.`Account Name`', '**.Colour', 'Account.Order.Product.SKU', 'Account.Nothing'],
  items: ['items', 'items.name', 'items.price', 'items.qty', 'items.tags', 'items.category', 'items[0]', 'items[price > 2]', 'items.id', 'currency',
    'threshold', 'items[-1].name', 'items.discontinued', 'items[tags = "sweet"]'],
  numbers: ['list', 'ints', 'strs', 'a', 'b', 'big', 'small', 'negzero', 'half', 'pi', 'list[0]', 'ints[$ > 3]', 'precise', 'neg'],
  nested: ['nest', 'matrix', 'a.b', 'a.b.c', 'deep', 'empties', 'single', 'singleobj.v', 'mixed', 'objs.v', 'objs.k', 'matrix[1]', 'nest[1][1]'],
};
const NUMS = ['0', '1', '2', '3', '-1', '0.5', '2.5', '10', '100', '1e-7', '0.1', '7'];
const STRS = ['""', '"a"', '"abc"', '"Hello World"', '"😀x"', '"1"', '" pad "', '"a,b,c"', '"office"', '"ü"'];

const FNS1 = ['$string', '$length', '$uppercase', '$lowercase', '$trim', '$number', '$abs', '$floor', '$ceil', '$round', '$sqrt', '$boolean', '$not',
  '$exists', '$count', '$sum', '$max', '$min', '$average', '$keys', '$reverse', '$distinct', '$type', '$spread', '$sort', '$base64encode',
  '$encodeUrlComponent', '$formatBase', '$merge'];
const FNS2 = [['$substring', 'n'], ['$substringBefore', 's'], ['$substringAfter', 's'], ['$contains', 's'], ['$split', 's'], ['$join', 's'],
  ['$pad', 'n'], ['$round', 'n'], ['$power', 'n'], ['$append', 'x'], ['$lookup', 's'], ['$formatNumber', 'p'], ['$string', 'b'], ['$zip', 'x']];
const PICS = ['"#,##0.00"', '"0.0"', '"#"', '"000"', '"0%"', '"0.00e0"'];
const OPS = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in', '??', '?:'];

function generator(seed, ds) {
  const r = lcg(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const paths = PATHS[ds];
  let vars = [];

  function leaf() {
    const x = r();
    if (x < 0.45) return pick(paths);
    if (x < 0.65) return pick(NUMS);
    if (x < 0.82) return pick(STRS);
    if (x < 0.87) return pick(['true', 'false', 'null']);
    if (x < 0.92 && vars.length) return pick(vars);
    if (x < 0.96) return `[${pick(NUMS)}, ${pick(NUMS)}]`;
    return `{"k": ${pick(STRS)}, "n": ${pick(NUMS)}}`;
  }
  function arg(kind, d) {
    if (kind === 'n') return r() < 0.7 ? pick(NUMS) : expr(d);
    if (kind === 's') return r() < 0.7 ? pick(STRS) : expr(d);
    if (kind === 'p') return pick(PICS);
    if (kind === 'b') return pick(['true', 'false']);
    return expr(d);
  }
  function expr(d) {
    if (d <= 0) return leaf();
    const x = r();
    if (x < 0.22) return `${expr(d - 1)} ${pick(OPS)} ${expr(d - 1)}`;
    if (x < 0.36) return `${pick(FNS1)}(${expr(d - 1)})`;
    if (x < 0.48) { const [f, k] = pick(FNS2); return `${f}(${expr(d - 1)}, ${arg(k, d - 1)})`; }
    if (x < 0.56) return `${pick(paths)}[${pred(d - 1)}]`;
    if (x < 0.62) return `${pick(paths)}.(${expr(d - 1)})`;
    if (x < 0.67) return `${expr(d - 1)} ? ${expr(d - 1)} : ${expr(d - 1)}`;
    if (x < 0.72) {
      const v = `$v${d}`;
      vars.push(v);
      const body = expr(d - 1);
      vars = vars.filter((y) => y !== v);
      return `$map(${pick(paths)}, function(${v}){ ${body} })`;
    }
    if (x < 0.76) {
      const v = `$v${d}`;
      vars.push(v);
      const body = pred(d - 1);
      vars = vars.filter((y) => y !== v);
      return `$filter(${pick(paths)}, function(${v}){ ${body} })`;
    }
    if (x < 0.8) {
      const v = `$x${d}`;
      const val = expr(d - 1);
      vars.push(v);
      const body = expr(d - 1);
      vars = vars.filter((y) => y !== v);
      return `(${v} := ${val}; ${body})`;
    }
    if (x < 0.84) return `[${expr(d - 1)}, ${expr(d - 1)}]`;
    if (x < 0.88) return `{${pick(STRS)}: ${expr(d - 1)}, "z": ${expr(d - 1)}}`;
    if (x < 0.91) return `${pick(paths)}^(${r() < 0.5 ? '>' : ''}${expr(d - 1)})`;
    if (x < 0.94) return `${pick(paths)}{$string(${expr(d - 1)}): ${expr(d - 1)}}`;
    if (x < 0.96) return `${expr(d - 1)} ~> ${pick(FNS1)}()`;
    if (x < 0.98) return `$reduce(${pick(paths)}, function($a, $b){ $a ${pick(['+', '&', 'and', '*'])} $b })`;
    return `-(${expr(d - 1)})`;
  }
  function pred(d) {
    const x = r();
    if (x < 0.3) return `${pick(NUMS)}`;
    if (x < 0.6) return `$ ${pick(['=', '!=', '<', '>'])} ${leaf()}`;
    return expr(d);
  }
  return () => expr(1 + Math.floor(r() * 3));
}

const out = [];
const PER = { address: 500, invoice: 450, items: 450, numbers: 350, nested: 350 };
for (const [ds, n] of Object.entries(PER)) {
  const next = generator(ds.length * 7919 + n, ds);
  const cases = [];
  for (let i = 0; i < n; i++) cases.push({ expr: next(), ds });
  out.push({ group: 'random', file: ds, cases });
}
export default out;
