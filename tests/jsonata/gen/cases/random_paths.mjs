// Random path expressions (seeded): steps with predicates, indexes, keep-array
// [], wildcards, descendants, parent %, positional #$i and context @$v
// bindings, order-by, grouping, and a mapped expression at the end — the
// path machinery's combinations, which hand-written cases cannot enumerate.

function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    return s / 2 ** 32;
  };
}

// per dataset: steps that exist at some depth, and field names to test
const SHAPES = {
  invoice: { roots: ['Account'], steps: ['Order', 'Product', 'Description', 'Price', 'Quantity', 'SKU', 'OrderID', '`Product Name`', 'Colour', 'Weight', '*', '**'],
    fields: ['Price', 'Quantity', 'SKU', 'OrderID', 'Colour', 'Weight', 'ProductID'] },
  library: { roots: ['library'], steps: ['books', 'loans', 'customers', 'authors', 'title', 'isbn', 'price', 'address', 'city', 'customer', 'id', 'name', '*'],
    fields: ['isbn', 'price', 'title', 'customer', 'id', 'copies', 'name'] },
  items: { roots: ['items', '$'], steps: ['items', 'tags', 'name', 'price', 'qty', 'category', 'id', '*'], fields: ['price', 'qty', 'id', 'name', 'category', 'tags'] },
  nested: { roots: ['a', 'nest', 'objs', 'matrix', '$'], steps: ['b', 'c', 'd', 'v', 'k', '$', '*', '**'], fields: ['c', 'k', 'v', 'd'] },
  deep: { roots: ['tree', 'obj'], steps: ['children', 'name', 'level', 'n', 'value', '*', '**'], fields: ['name', 'n', 'value'] },
};

import { datasets } from '../datasets.mjs';

// the field names of the objects in a set of values (arrays flattened)
function flat(vs) {
  const out = [];
  const walk = (v) => (Array.isArray(v) ? v.forEach(walk) : out.push(v));
  vs.forEach(walk);
  return out;
}
function keysOf(vs) {
  const ks = new Set();
  for (const v of flat(vs)) if (v && typeof v === 'object') Object.keys(v).forEach((k) => ks.add(k));
  return [...ks];
}
const quote = (k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : '`' + k + '`');

function generator(seed, shape0, data) {
  let shape = shape0;
  const r = lcg(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const num = () => pick(['0', '1', '2', '-1', '-2', '3']);
  let bound = [];

  function predicate() {
    const x = r();
    if (x < 0.25) return num();
    if (x < 0.32) return `[${num()}, ${num()}]`;
    if (x < 0.4) return `[0..${Math.floor(r() * 3)}]`;
    const local = keysOf(here);
    const f = local.length && r() < 0.8 ? quote(pick(local)) : pick(shape.fields);
    if (x < 0.55) return `${f} ${pick(['=', '!=', '>', '<'])} ${pick(['1', '30', '"a"', '"order103"', '"10003"', 'true'])}`;
    if (x < 0.62) return `$exists(${f})`;
    if (x < 0.68) return `$count(${f}) > ${num()}`;
    if (x < 0.73 && bound.length) return `${pick(bound)} ${pick(['=', '!='])} ${pick(bound)}`;
    if (x < 0.78) return `%.${pick(shape.fields)}`;
    if (x < 0.84) return `$type(${f}) = "${pick(['string', 'number', 'array', 'object'])}"`;
    if (x < 0.9) return f;
    return `$ ${pick(['=', '!='])} ${pick(['1', '"a"', 'null'])}`;
  }
  let here = [data];
  function step(i) {
    const ks = keysOf(here);
    let s;
    if (ks.length && r() < 0.85) {
      const k = pick(ks);
      s = quote(k);
      here = flat(here).filter((v) => v && typeof v === 'object').map((v) => v[k]).filter((v) => v !== undefined);
    } else {
      s = pick(shape.steps);
      if (s === '*') here = flat(here).filter((v) => v && typeof v === 'object' && !Array.isArray(v)).flatMap((v) => Object.values(v));
    }
    const x = r();
    if (x < 0.3) s += `[${predicate()}]`;
    else if (x < 0.36) s += '[]';
    else if (x < 0.42) s += `[${predicate()}][${num()}]`;
    if (r() < 0.12) { const v = `$i${i}`; bound.push(v); s += `#${v}`; }
    else if (r() < 0.1) { const v = `$c${i}`; bound.push(v); s += `@${v}`; }
    if (r() < 0.08) s += `^(${r() < 0.5 ? '>' : ''}${pick(shape.fields)})`;
    return s;
  }
  function tail() {
    const x = r();
    const local = keysOf(here);
    if (local.length) shape = { ...shape, fields: local.map(quote) };
    if (x < 0.35) return '';
    if (x < 0.45) return '.%';
    if (x < 0.55) return `.{"v": ${pick(shape.fields)}${bound.length ? `, "b": ${pick(bound)}` : ''}}`;
    if (x < 0.62) return `{$string(${pick(shape.fields)}): $count($)}`;
    if (x < 0.7) return `.[${pick(shape.fields)}]`;
    if (x < 0.76) return `.($string($) & "")`;
    if (x < 0.82) return bound.length ? `.${pick(bound)}` : '.$';
    if (x < 0.88) return '[0]';
    if (x < 0.94) return '[-1]';
    return `.(${pick(shape.fields)})`;
  }
  return () => {
    bound = [];
    here = [data];
    shape = shape0;
    let p = '$';
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      if (i > 0 && !keysOf(here).length) break; // a leaf: the path ends here
      p += '.' + step(i);
    }
    p += tail();
    const w = r();
    if (w < 0.15) return `$count(${p})`;
    if (w < 0.22) return `(${p})[0]`;
    if (w < 0.28) return `[${p}]`;
    if (w < 0.32) return `$string(${p})`;
    return p;
  };
}

const out = [];
const PER = { invoice: 500, library: 400, items: 400, nested: 450, deep: 300 };
for (const [ds, n] of Object.entries(PER)) {
  const next = generator(n * 31 + ds.length, SHAPES[ds], datasets[ds]);
  const seen = new Set();
  const cases = [];
  for (let i = 0; i < n * 3 && cases.length < n; i++) {
    const e = next();
    if (seen.has(e)) continue;
    seen.add(e);
    cases.push({ expr: e, ds });
  }
  out.push({ group: 'random-paths', file: ds, cases });
}
export default out;
