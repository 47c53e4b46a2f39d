// Whole programs as users write them: blocks of definitions, recursion over
// trees, pipelines of ~>, reduce-based grouping, transforms of documents,
// string processing, date arithmetic. Each mixes many features, so the
// interplay of scopes, contexts and sequences is exercised.

const overDeep = [
  '($walk := function($n){ $n.children ? [$n.name, $n.children.$walk($)] : $n.name }; $walk(tree))',
  '($depth := function($n){ $count($n.children) = 0 ? 1 : 1 + $max($n.children.$depth($)) }; $depth(tree))',
  '($names := function($n){ $append($n.name, $n.children.$names($)) }; $names(tree))',
  '($count_nodes := function($n){ 1 + $sum($n.children.$count_nodes($)) }; $count_nodes(tree))',
  '($paths := function($n, $p){ ($q := $p & "/" & $n.name; $count($n.children) = 0 ? $q : $n.children.$paths($, $q)) }; $paths(tree, ""))',
  '($leaves := function($n){ $count($n.children) = 0 ? [$n.name] : $n.children.$leaves($) }; $leaves(tree))',
  '($levels := function($o){ $o.level ? 1 + $levels($o.level) : 0 }; $levels(obj))',
  '($flat := function($a){ $type($a) = "array" ? $a.$flat($) : $a }; $flat(arr))',
  '($find := function($n, $x){ $n.name = $x ? $n : $n.children.$find($, $x) }; $find(tree, "a2x").name)',
  'tree.**[$count(children) > 1].name', '$count(tree.**.children)', 'tree.children{name: $count(**.name)}',
];

const overInvoice = [
  '(\n  $total := function($o){ $sum($o.Product.(Price * Quantity)) };\n  Account.Order.{ "id": OrderID, "total": $round($total($), 2) }\n)',
  '(\n  $products := Account.Order.Product;\n  $names := $distinct($products.`Product Name`);\n  $names.(\n    $n := $;\n    { "name": $n, "qty": $sum($products[`Product Name` = $n].Quantity) }\n  )\n)',
  'Account.Order.Product ~> $map(function($p){ $p.Price * $p.Quantity }) ~> $sum() ~> $round(2)',
  'Account.Order.Product{ `Product Name`: $sum(Quantity) } ~> $each(function($v, $k){ $k & ": " & $v }) ~> $join("; ")',
  '$reduce(Account.Order.Product, function($acc, $p){ $merge([$acc, { $p.SKU: $p.Price }]) }, {})',
  '$reduce(Account.Order.Product, function($acc, $p){ $acc + $p.Quantity }, 0)',
  'Account.Order.Product[Price = $max($$.Account.Order.Product.Price)].`Product Name`',
  '($cheap := function($p){ $p.Price < 30 }; $filter(Account.Order.Product, $cheap).SKU)',
  '$ ~> |Account.Order.Product|{ "Total": $round(Price * Quantity, 2) }, ["Description"]| ~> $lookup("Account") ~> $lookup("Order")',
  '($o := Account.Order[0]; $o.Product.{ "order": $o.OrderID, "sku": SKU })',
  'Account.Order.(\n  $id := OrderID;\n  Product.{ "line": $id & "-" & SKU, "w": Description.Weight * Quantity }\n)',
  '$sort(Account.Order.Product, function($a, $b){ $a.Description.Weight > $b.Description.Weight }).`Product Name`',
  'Account.Order.Product.Description.$keys($) ~> $distinct()',
  '$string(Account.Order[0].Product[0].Description)', '$string(Account.Order[0].Product[0].Description, true)',
  '$spread(Account.Order[0].Product[0].Description) ~> $map(function($kv){ $keys($kv) })',
  '$zip(Account.Order.OrderID, Account.Order.$count(Product)) ~> $map(function($z){ $z[0] & "=" & $z[1] })',
  'Account.Order.Product#$i[$i % 2 = 0].SKU', 'Account.Order.Product^(Price)[[0, -1]].SKU',
];

const overItems = [
  'items{ category: { "count": $count(id), "value": $sum(price * qty) } }',
  '$keys(items{ category: 1 }) ~> $sort()',
  '($byCat := items{ category: name[] }; $each($byCat, function($v, $k){ { "cat": $k, "n": $count($v) } }))',
  'items[qty > 0 and not(discontinued)]^(>price * qty).{ "name": $uppercase($substring(name, 0, 1)) & $substring(name, 1), "value": price * qty }',
  '$join(items[$contains(name, /an/)].name, ", ")',
  'items.tags ~> $distinct() ~> $sort()',
  '$reduce(items, function($acc, $i){ $acc ~> |$|{ $i.category: ($lookup($acc, $i.category) ? $lookup($acc, $i.category) : 0) + 1 }| }, {})',
  '($avg := $average(items.price); items[price > $avg].name)',
  'items.{ "n": name, "tier": price < 1 ? "cheap" : price < 5 ? "mid" : "dear" }{ tier: n[] }',
  '$formatNumber($sum(items.(price * qty)), "#,##0.00") & " " & currency',
  'items[tags = "sweet" or tags = "hot"].name', 'items[$type(tags) = "string"].name', 'items[$exists(discontinued)].id',
  '$map(items, function($i, $n){ $n & ":" & $i.name })[[0..2]]',
  'items.$pad(name, 12, ".") & "|"', 'items.name.$length($) ~> $max()', '$max(items.$length(name))',
  '($top := function($n){ (items^(>price))[[0..$n-1]].name }; $top(3))',
];

const overLibrary = [
  'library.loans@$l.books@$b[$l.isbn = $b.isbn].customers@$c[$c.id = $l.customer].{ "book": $b.title, "customer": $c.name, "due": $l.return }',
  'library.customers@$c.{ "name": $c.name, "books": $$.library.loans[customer = $c.id].isbn }',
  'library.books.authors ~> $distinct() ~> $sort()',
  'library.books{ $string(copies): title[] }',
  '$count(library.books[price])', 'library.books[copies > 1].{ "t": title, "value": price * copies }',
  'library.books.(\n  $b := $;\n  { "title": title, "loaned": $count($$.library.loans[isbn = $b.isbn]) }\n)',
  '$sort(library.loans, function($a, $b){ $a.return > $b.return }).isbn',
  'library.loans.$toMillis(return) ~> $max() ~> $fromMillis("[D1o] [MNn] [Y]")',
  'library.loans.{ "isbn": isbn, "days": ($toMillis(return) - $toMillis("2016-10-01")) / 86400000 }',
];

const overAddress = [
  '($p := Phone[type = "office"]; { "count": $count($p), "numbers": $p.number })',
  'Phone.{ type: number } ~> $merge()', 'Phone{ type: number[] } ~> $spread()',
  '(FirstName & " " & Surname) ~> $uppercase() ~> $split(" ") ~> $reverse() ~> $join(", ")',
  'Email.address[$contains($, "work")] ~> $map(function($a){ $substringAfter($a, "@") })',
  '$replace(Address.Postcode, /(\\w+)\\s(\\w+)/, "$2 $1")', '$match(Phone.number, /^(\\d+)\\s/).groups',
  'Phone.number.$replace($, " ", "") ~> $map($number)', '$sum(Phone.number.$number($replace($, " ", "")))',
  '$ ~> |Phone|{ "number": $replace(number, " ", "-") }|',
  '$ ~> |$|{ "FullName": FirstName & " " & Surname }, ["FirstName", "Surname"]| ~> $keys()',
  '$each($, function($v, $k){ $type($v) }) ~> $distinct()', '$sift($, function($v){ $type($v) = "object" }) ~> $keys()',
  '{ "name": FirstName, "phones": Phone.number, "email": Email[type = "work"].address[0], "city": Address.City }',
  '[Address, Other.`Alternative.Address`].{ "city": City, "pc": $substringBefore(Postcode, " ") }',
];

const general = [
  '($inc := function($x){ $x + 1 }; $dbl := function($x){ $x * 2 }; $f := $inc ~> $dbl; [1, 2, 3].$f($))',
  '($compose := function($fs){ $reduce($fs, function($f, $g){ function($x){ $g($f($x)) } }) }; $compose([$uppercase, $trim, $length])("  ab  "))',
  '($memo := {}; $fib := function($n){ $n < 2 ? $n : $fib($n - 1) + $fib($n - 2) }; [1..20].$fib($))',
  '($range := function($a, $b){ $a > $b ? [] : $append($a, $range($a + 1, $b)) }; $range(1, 10))',
  '($qs := function($l){ $count($l) <= 1 ? $l : ($p := $l[0]; $rest := $l[[1..$count($l)-1]]; $append($append($qs($rest[$ < $p]), $p), $qs($rest[$ >= $p]))) }; $qs([5, 3, 8, 1, 9, 2, 7]))',
  '($gcd := function($a, $b){ $b = 0 ? $a : $gcd($b, $a % $b) }; $gcd(1071, 462))',
  '($pow := function($b, $e){ $e = 0 ? 1 : $b * $pow($b, $e - 1) }; $pow(2, 30))',
  '($isPrime := function($n){ $n < 2 ? false : $count([2..$floor($sqrt($n))][$n % $ = 0]) = 0 }; [1..50][$isPrime($)])',
  '($words := $split("the quick brown fox jumps over the lazy dog the end", " "); $words{ $: $count($) })',
  '($s := "Hello, World"; $join($reverse($split($s, ""))))',
  '($caesar := function($s, $k){ $join($split($s, "").($c := $; $i := $string($c) ~> $lookup({"a":0,"b":1,"c":2}, ?); $c)) }; $caesar("abc", 1))',
  '[1..5].{ "n": $, "sq": $ * $, "even": $ % 2 = 0 }[even].sq',
  '$zip([1..3], ["a", "b", "c"]).{ $[1]: $[0] } ~> $merge()',
  '($acc := []; [1..5].($acc := $append($acc, $)); $acc)',
  '$map([1..5], function($v, $i, $a){ $a[$i - 1] ? $v - $a[$i - 1] : $v })',
  '$reduce([1..10], function($a, $v){ $a + ($v % 2 = 0 ? $v : 0) }, 0)',
  '$single([1..10], function($v){ $v * $v = 49 })', '$filter([1..20], function($v, $i){ $i % 5 = 0 })',
  '($t := $now(); $type($t))', '$eval("$sum([1..$count($)])", [1, 2, 3, 4])',
  '"2024-02-28T12:00:00Z" ~> $toMillis() ~> $fromMillis("[D01] [MNn] [Y]")',
  '($d := $toMillis("2024-02-28T00:00:00Z"); [0..2].$fromMillis($d + $ * 86400000, "[Y0001]-[M01]-[D01] [FNn]"))',
  '$formatInteger(2024, "I") & " / " & $formatInteger(2024, "w") & " / " & $formatInteger(24, "wo")',
  '{ "a": [1, 2, 3] } ~> |a|{ "x": 1 }|', '($o := { "a": { "b": { "c": 1 } } }; $o ~> |a.b|{ "c": c + 1, "d": 2 }|)',
  '[{ "k": "a", "v": 1 }, { "k": "b", "v": 2 }, { "k": "a", "v": 3 }]{ k: $sum(v) }',
  '[{ "k": "a", "v": 1 }, { "k": "b", "v": 2 }, { "k": "a", "v": 3 }]{ k: v }',
  '[{ "k": "a", "v": [1] }, { "k": "a", "v": [2, 3] }]{ k: v }', '[{ "k": "a", "v": [1] }]{ k: v }',
  '[[1, 2], [3, 4]].$sum($) ~> $sum()', '[[1, 2], [3, 4]] ~> $map(function($r){ $r ~> $map(function($c){ $c * 10 }) })',
];

export default [
  { group: 'programs', file: 'trees', ds: 'deep', cases: overDeep },
  { group: 'programs', file: 'invoice', ds: 'invoice', cases: overInvoice },
  { group: 'programs', file: 'items', ds: 'items', cases: overItems },
  { group: 'programs', file: 'library', ds: 'library', cases: overLibrary },
  { group: 'programs', file: 'address', ds: 'address', cases: overAddress },
  { group: 'programs', file: 'general', ds: 'emptyobj', cases: general },
];
