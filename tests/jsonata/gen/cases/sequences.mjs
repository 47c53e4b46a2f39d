// Sequence semantics in depth: singleton unwrapping, flattening, keep-array
// [] across steps, predicates vs indexes on mapped results, tuple streams
// (# and @ with sort, grouping and predicates), the parent operator, and
// Unicode strings through every string function.

const seqData = {
  orders: [
    { id: 1, lines: [{ sku: 'a', n: 1 }, { sku: 'b', n: 2 }], tags: ['x'] },
    { id: 2, lines: [{ sku: 'a', n: 3 }], tags: [] },
    { id: 3, lines: [], tags: ['x', 'y'] },
    { id: 4, lines: { sku: 'c', n: 4 }, tags: 'z' },
  ],
  matrix: [[1, 2], [3, 4]],
  one: [{ v: [1] }],
  wrap: { list: [[[1, 2]], [[3]]] },
};

const sequences = [
  'orders.lines', 'orders.lines.sku', 'orders.lines[0]', 'orders.lines[0].sku', 'orders.(lines)[0]', 'orders.lines.sku[0]', '(orders.lines.sku)[0]',
  'orders.lines[n > 1].sku', 'orders.lines[].sku', 'orders[].lines.sku', 'orders.lines.sku[]', 'orders[0].lines.sku', 'orders[0].lines[].sku',
  'orders[1].lines.sku', 'orders[1].lines[].sku', 'orders[1].lines.sku[]', 'orders[3].lines.sku', 'orders[3].lines[].sku', 'orders[2].lines',
  'orders[2].lines[]', 'orders.tags', 'orders.tags[0]', 'orders.tags[]', 'orders[tags = "x"].id', 'orders[tags].id', 'orders[$count(tags) = 0].id',
  'orders.$count(lines)', 'orders.[$count(lines)]', 'orders.{"id": id, "n": $sum(lines.n)}', 'orders{$string(id): lines.sku}', 'orders{$string(id): lines.sku[]}',
  'orders.lines{sku: n}', 'orders.lines{sku: $sum(n)}', 'orders.lines^(>n).sku', 'orders^(>$count(lines)).id', 'orders.lines#$i.($i & sku)',
  'orders#$o.lines#$l.($o & "." & $l & sku)', 'orders#$o[$o > 0].lines.sku', 'orders@$o.lines.{"o": $o.id, "s": sku}', 'orders@$o.lines[n > 1].($o.id)',
  'orders.lines.%.id', 'orders.lines.sku.%.n', 'orders.lines.sku.%.%.id', 'orders.lines[sku = "a"].%.id', 'orders.lines{%.id & "": sku}',
  'matrix', 'matrix[0]', 'matrix[0][1]', 'matrix.$', 'matrix.$[0]', 'matrix.($[0])', 'matrix[$[0] > 1]', 'matrix.[$]', 'matrix[]', 'matrix.$[]',
  '$count(matrix)', '$count(matrix.$)', '$count(matrix[])', 'matrix ~> $count()', 'matrix.$sum($)', '[matrix]', '[matrix.$]', '[[matrix]][0]',
  'one.v', 'one.v[]', 'one[].v', 'one.v[0]', 'one[0].v', 'one.v.$', '$type(one.v)', 'one.v = 1', 'one.v = [1]', 'one.v + 1', 'one.v & ""',
  'wrap.list', 'wrap.list[0]', 'wrap.list[0][0]', 'wrap.list.$', 'wrap.list.$.$', 'wrap.list[[0]]', 'wrap.list[0][0][1]', 'wrap.list.$[0]',
  '$map(orders, function($o){$o.lines.sku})', '$map(orders, function($o){$o.lines.sku[]})', '$filter(orders.lines, function($l){$l.n > 1}).sku',
  '$append(orders.lines.sku, [])', '$distinct(orders.lines.sku)', '$reverse(orders.lines.sku)', '$sort(orders.lines.sku)', '$zip(orders.id, orders.tags)',
  'orders.lines.sku ~> $join()', '$string(orders.lines.sku)', '$string(orders[1].lines.sku)', '$string(orders[1].lines.sku[])',
  '[orders.id]', '[orders.id][]', '[orders[0].id]', '[[orders.id]]', '{"ids": orders.id}', '{"ids": orders[0].id}', '{"ids": [orders[0].id]}',
  '{"ids": orders[0].id[]}', 'orders.id[[0, 2]]', 'orders.id[-1]', 'orders.id[[-1, -2]]', 'orders[[-1, -2]].id', 'orders.id[$ > 2]',
  'orders.(id)', 'orders.(id; lines.sku)', 'orders.($x := id; lines.($x & sku))', 'orders.lines.($)', 'orders.lines.(%)',
  '$.orders[0]', '$$.orders[0].id', 'orders.$$.matrix[0]', '*.id', '**.sku', '**[sku].n', '*[id > 2].id', 'orders.*', 'orders.**.n',
];

const unicodeStrings = ['a😀b', '😀', 'é', 'e\u0301', '日本語', '👩‍👩‍👧', 'ABC', 'straße', 'İstanbul', 'ΣΑΣ', 'x\u0000y', '\ud83d\ude00\ud83d\ude01'];
const unicode = [];
for (const s of unicodeStrings) {
  const q = JSON.stringify(s);
  unicode.push(`$length(${q})`, `$uppercase(${q})`, `$lowercase(${q})`, `$substring(${q}, 1)`, `$substring(${q}, -2)`, `$substring(${q}, 0, 3)`,
    `$substringBefore(${q}, "b")`, `$substringAfter(${q}, "😀")`, `$pad(${q}, 6, "·")`, `$pad(${q}, -6, "😀")`, `$contains(${q}, "😀")`,
    `$split(${q}, "😀")`, `$join([${q}, ${q}], "|")`, `$replace(${q}, "😀", "_")`, `$base64encode(${q})`, `$encodeUrlComponent(${q})`,
    `$string(${q})`, `$string({"k": ${q}})`, `$match(${q}, /./)`, `${q} < "z"`, `[${q}, "a", "Z"]^($)`, `$trim(" " & ${q} & " ")`, `{${q}: 1}`,
    `$keys({${q}: 1})`, `$reverse($split(${q}, ""))`);
}

export default [
  { group: 'sequences', file: 'sequences', data: seqData, cases: sequences },
  { group: 'sequences', file: 'unicode', ds: 'emptyobj', cases: unicode },
];
