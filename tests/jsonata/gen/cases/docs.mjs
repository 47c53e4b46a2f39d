// The examples of the JSONata documentation (docs.jsonata.org: the function
// pages' "Examples" and the language pages' tables), as the reference
// evaluates them today; and Step Functions style expressions ($states bound
// as a state's JSONata sees it).

const functionPages = [
  // string functions
  '$string(5)', '[1..5].$string()', '$length("Hello World")', '$substring("Hello World", 3)', '$substring("Hello World", 3, 5)',
  '$substring("Hello World", -4)', '$substring("Hello World", -4, 2)', '$substringBefore("Hello World", " ")', '$substringAfter("Hello World", " ")',
  '$uppercase("Hello World")', '$lowercase("Hello World")', '$trim(" Hello \n World ")', '$pad("foo", 5)', '$pad("foo", -5)', '$pad("foo", 5, "#")',
  '$formatNumber(1234.5678, "##0.00")', '$pad($formatBase(35, 2), -8, "0")', '$contains("abracadabra", "bra")', '$contains("abracadabra", /a.*a/)',
  '$contains("abracadabra", /ar.*a/)', '$contains("Hello World", /wo/)', '$contains("Hello World", /wo/i)', '$split("so many words", " ")',
  '$split("so many words", " ", 2)', '$split("too much, punctuation. hard; to read", /[ ,.;]+/)', '$join(["a","b","c"])', '$join(["a","b","c"], ", ")',
  '$match("ababbabbcc",/a(b+)/)', '$replace("John Smith and John Jones", "John", "Mr")', '$replace("John Smith and John Jones", "John", "Mr", 1)',
  '$replace("abracadabra", /a.*?a/, "*")', '$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")', '$replace("265USD", /([0-9]+)USD/, "$$$1")',
  '$replace("265USD", /([0-9]+)USD/, "$$$1.00")', '$base64encode("myuser:mypass")', '$base64decode("bXl1c2VyOm15cGFzcw==")',
  '$encodeUrlComponent("?x=test")', '$encodeUrl("https://mozilla.org/?x=шеллы")', '$decodeUrlComponent("%3Fx%3Dtest")',
  '$decodeUrl("https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B")', '$eval("[1,2,3]")', '$eval(\'[1,$string(2),3]\')',
  // numeric functions
  '$number("5")', '$number("0x12")', '["1", "2", "3", "4", "5"].$number()', '$abs(5)', '$abs(-5)', '$floor(5)', '$floor(5.3)', '$floor(5.8)',
  '$floor(-5.3)', '$ceil(5)', '$ceil(5.3)', '$ceil(5.8)', '$ceil(-5.3)', '$round(123.456)', '$round(123.456, 2)', '$round(123.456, -1)',
  '$round(123.456, -2)', '$round(11.5)', '$round(12.5)', '$round(125, -1)', '$power(2, 8)', '$power(2, 0.5)', '$power(2, -2)', '$sqrt(4)',
  '$sqrt(2)', '$formatNumber(12345.6, "#,###.00")', '$formatNumber(1234.5678, "00.000e0")', '$formatNumber(34.555, "#0.00;(#0.00)")',
  '$formatNumber(-34.555, "#0.00;(#0.00)")', '$formatNumber(0.14, "01%")', '$formatNumber(0.4857,"###.###‰")',
  '$formatNumber(1234.5678, "①①.①①①e①", {"zero-digit": "\u245f"})', '$formatBase(100, 2)', '$formatBase(2555, 16)',
  '$formatInteger(2789, "w")', '$formatInteger(1999, "I")', '$parseInteger("twelve thousand, four hundred and seventy-six", "w")',
  '$parseInteger("12,345,678", "#,##0")',
  // aggregation, boolean
  '$sum([5,1,3,7,4])', '$max([5,1,3,7,4])', '$min([5,1,3,7,4])', '$average([5,1,3,7,4])',
  // array functions
  '$count([1,2,3,1])', '$count("hello")', '$append([1,2,3], [4,5,6])', '$append([1,2,3], 4)', '$append("Hello", "World")', '$sort(["b","a"])',
  '$reverse(["Hello", "World"])', '[1..5] ~> $reverse()', '$zip([1,2,3], [4,5,6])', '$zip([1,2,3],[4,5],[7,8,9])', '$distinct([1,2,3,3,4,3,5])',
  // object functions
  '$merge([{"a":1},{"b":2}])', '$type("Hello World")', '$type(1)', '$type(true)', '$type(null)', '$type([])', '$type({})', '$type(undefined)',
  // higher-order
  '$map([1,2,3], $string)', '$map([1..5], $string)', '$map([1..5], function($v, $i){$v * $i})', '$reduce([1..5], function($i, $j){$i * $j})',
  '$filter([1..10], function($v){$v % 2 = 0})',
  // date/time
  '$fromMillis(1510067557121)', '$fromMillis(1510067557121, "[M01]/[D01]/[Y0001] [h#1]:[m01][P]")',
  '$fromMillis(1510067557121, "[H01]:[m01]:[s01] [z]", "-0500")', '$toMillis("2017-11-07T15:07:37.121Z")',
  '$toMillis("2018-10-21", "[Y0001]-[M01]-[D01]")', '$fromMillis(1521801216617, "[D1o] [MNn] [Y]")', '$fromMillis(1521801216617, "[FNn], [D1o] [MNn] [Y]")',
  '$fromMillis(1521801216617, "[Y]-[M01]-[D01]")', '$fromMillis(1521801216617, "[M]/[D]/[Y0001]")', '$fromMillis(1521801216617, "[D01]/[M01]/[Y0001] [H01]:[m01]:[s01]")',
  '$fromMillis(1521801216617, "[D w] [MNn] [Y w]")', '$fromMillis(1521801216617, "[h]:[m01][P] [Z0]")', '$fromMillis(1521801216617, "[Y0001]-[d001]")',
  '$toMillis("13:45", "[H]:[m]") > 0',
];

const languagePages = [
  // simple queries, predicates, wildcards
  { ds: 'address', expr: 'Surname' }, { ds: 'address', expr: 'Age' }, { ds: 'address', expr: 'Address.City' }, { ds: 'address', expr: 'Other.Misc' },
  { ds: 'address', expr: 'Other.Nothing' }, { ds: 'address', expr: 'Other.`Over 18 ?`' }, { ds: 'address', expr: 'Phone[0]' },
  { ds: 'address', expr: 'Phone[1]' }, { ds: 'address', expr: 'Phone[-1]' }, { ds: 'address', expr: 'Phone[-2]' }, { ds: 'address', expr: 'Phone[8]' },
  { ds: 'address', expr: 'Phone[0].number' }, { ds: 'address', expr: 'Phone.number' }, { ds: 'address', expr: 'Phone.number[0]' },
  { ds: 'address', expr: '(Phone.number)[0]' }, { ds: 'address', expr: 'Phone[[0..1]]' }, { ds: 'address', expr: 'Phone[type="mobile"]' },
  { ds: 'address', expr: 'Phone[type="mobile"].number' }, { ds: 'address', expr: 'Phone[type="office"].number' }, { ds: 'address', expr: 'Address.*' },
  { ds: 'address', expr: '*.Postcode' }, { ds: 'address', expr: '**.Postcode' }, { ds: 'address', expr: 'Address[].City' },
  { ds: 'address', expr: 'Phone[type="mobile"][].number' }, { ds: 'address', expr: 'Phone[type="office"][].number' },
  // construction
  { ds: 'address', expr: 'Email.address' }, { ds: 'address', expr: 'Email.[address]' }, { ds: 'address', expr: '[Address, Other.`Alternative.Address`].City' },
  { ds: 'address', expr: 'Phone.{type: number}' }, { ds: 'address', expr: 'Phone{type: number}' }, { ds: 'address', expr: 'Phone{type: number[]}' },
  // operators
  { ds: 'address', expr: 'FirstName & " " & Surname' }, { ds: 'address', expr: 'Address.(Street & ", " & City)' },
  { ds: 'address', expr: '5&0&true' }, { ds: 'address', expr: 'Age > 18 ? "adult" : "minor"' },
  { ds: 'address', expr: 'Phone.(type = "mobile" ? number : "not mobile")' }, { ds: 'address', expr: 'Age in [18, 28, 38]' },
  { ds: 'address', expr: '"01962 001234" in Phone.number' }, { ds: 'address', expr: 'Address.City in ["London", "Winchester"]' },
  // invoice examples: expressions, sorting, grouping, aggregation
  { ds: 'invoice', expr: 'Account.Order[0].Product[0].Price * Account.Order[0].Product[0].Quantity' },
  { ds: 'invoice', expr: 'Account.Order[0].Product.(Price * Quantity)' }, { ds: 'invoice', expr: '$sum(Account.Order[0].Product.(Price * Quantity))' },
  { ds: 'invoice', expr: 'Account.Order.Product.(Price * Quantity)' }, { ds: 'invoice', expr: '$sum(Account.Order.Product.(Price * Quantity))' },
  { ds: 'invoice', expr: 'Account.Order.$sum(Product.(Price * Quantity))' },
  { ds: 'invoice', expr: 'Account.Order.Product{`Product Name`: Price}' }, { ds: 'invoice', expr: 'Account.Order.Product{`Product Name`: $.Price}' },
  { ds: 'invoice', expr: 'Account.Order.Product{`Product Name`: $sum(Price)}' },
  { ds: 'invoice', expr: 'Account.Order.Product{`Product Name`: {"Price": Price, "Qty": Quantity}}' },
  { ds: 'invoice', expr: 'Account.Order.Product{`Product Name`: {"Price": Price, "Qty": $sum(Quantity)}}' },
  { ds: 'invoice', expr: 'Account.Order.Product^(Price)' }, { ds: 'invoice', expr: 'Account.Order.Product^(>Price)' },
  { ds: 'invoice', expr: 'Account.Order.Product^(>Price, <Quantity)' }, { ds: 'invoice', expr: 'Account.Order.Product^(Price * Quantity)' },
  { ds: 'invoice', expr: 'Account.Order.Product.{"name": `Product Name`, "cost": Price * Quantity}' },
  { ds: 'invoice', expr: 'Account.Order.{"OrderID": OrderID, "Items": Product.{"SKU": SKU, "total": Price * Quantity}}' },
  { ds: 'invoice', expr: 'Account.Order.Product.Description.{"area": Width * Height}' },
  { ds: 'invoice', expr: '$sum(Account.Order.Product.Price)' }, { ds: 'invoice', expr: '$max(Account.Order.Product.Price)' },
  { ds: 'invoice', expr: '$average(Account.Order.Product.Price)' }, { ds: 'invoice', expr: '$count(Account.Order.Product)' },
  { ds: 'invoice', expr: 'Account.Order.Product[$.Price > 50]' },
  { ds: 'invoice', expr: '(Account.Order.Product[Price > 30])[0]' },
  { ds: 'invoice', expr: 'Account.Order.Product.{"Product": `Product Name`, "Order": %.OrderID, "Account": %.%.`Account Name`}' },
  // programming: functions, recursion, higher order
  { ds: 'invoice', expr: '(\n  $volume := function($l, $w, $h){ $l * $w * $h };\n  $volume(10, 10, 5);\n)' },
  { ds: 'invoice', expr: 'Account.(\n  $AccName := function() { $.\'Account Name\' };\n  Order[OrderID = "order104"].Product.{\n    "Account": $AccName(),\n    "SKU-" & $string(ProductID): $.\'Product Name\'\n  }\n)' },
  { ds: 'invoice', expr: '(\n  $factorial := function($x){ $x <= 1 ? 1 : $x * $factorial($x-1) };\n  $factorial(4)\n)' },
  { ds: 'invoice', expr: '(\n  $factorial:= function($x){(\n    $iter := function($x, $acc) {\n      $x <= 1 ? $acc : $iter($x - 1, $x * $acc)\n    };\n    $iter($x, 1)\n  )};\n  $factorial(170)\n)' },
  { ds: 'invoice', expr: '(\n  $twice := function($f) { function($x){ $f($f($x)) } };\n  $add3 := function($y){ $y + 3 };\n  $add6 := $twice($add3);\n  $add6(7)\n)' },
  { ds: 'invoice', expr: '(\n  $first5 := $substring(?, 0, 5);\n  $first5("Hello, World")\n)' },
  { ds: 'invoice', expr: '(\n  $uppertrim := $trim ~> $uppercase;\n  $uppertrim("   Hello    World   ")\n)' },
  { ds: 'invoice', expr: 'Account.Order.Product.SKU ~> $map(function($v){$substring($v, 0, 4)})' },
  { ds: 'invoice', expr: '$ ~> |Account.Order.Product|{"Price": Price * 1.2}|' },
  { ds: 'invoice', expr: '$ ~> |Account.Order.Product|{}, "Description"|' },
  { ds: 'invoice', expr: '$ ~> |Account.Order.Product|{"Total": Price * Quantity}, ["Price", "Quantity"]|' },
  { ds: 'library', expr: 'library.loans@$l.books@$b[$l.isbn=$b.isbn].{\n  "title": $b.title,\n  "customer": $l.customer\n}' },
  { ds: 'library', expr: 'library.books#$i[$i<2].title' },
  { ds: 'library', expr: 'library.loans@$L.books[$L.isbn=isbn].{\n  "title": title,\n  "author": authors[0],\n  "due": $L.return\n}' },
  // regex
  { ds: 'address', expr: 'Phone[$contains(number, /^077/)]' }, { ds: 'address', expr: 'Phone.number ~> $replace(/\\s/, "-")' },
  { ds: 'address', expr: '$match(FirstName, /r(e)/)' },
];

const STATES = {
  states: {
    input: {
      order: { id: 'ord-1001', total: 123.45, items: Array.from({ length: 20 }, (_, i) => ({ sku: `S-${i}`, price: (i * 7) % 23 + 0.5, qty: i % 4 })) },
      customer: { name: 'Ada', email: 'ada@example.com', tier: 'gold' },
      flags: ['fast', 'gift'],
    },
    context: {
      Execution: { Id: 'arn:aws:states:eu-west-1:123456789012:execution:m:e-1', Name: 'e-1', StartTime: '2024-11-20T10:15:30.123Z', Input: {} },
      State: { Name: 'Compute', EnteredTime: '2024-11-20T10:15:31.000Z', RetryCount: 0 },
      StateMachine: { Id: 'arn:aws:states:eu-west-1:123456789012:stateMachine:m', Name: 'm' },
    },
    result: { Payload: { ok: true, count: 3, ids: ['a', 'b', 'c'] }, StatusCode: 200 },
    errorOutput: { Error: 'States.TaskFailed', Cause: '{"errorMessage":"boom","errorType":"Error"}' },
  },
  threshold: 10,
};

const stepFunctions = [
  '$states.input.order.id', '$sum($states.input.order.items.price)', '$sum($states.input.order.items.(price * qty))',
  '$states.input.order.items[price > 10]', '$states.input.order.items[price > $threshold].sku', '$count($states.input.order.items[qty = 0])',
  '$map($states.input.order.items, function($v){ $v.price * 2 })', '{"id": $states.input.order.id, "total": $sum($states.input.order.items.price)}',
  '"Order " & $states.input.order.id & " for " & $states.input.customer.name', '$join($states.input.flags, ", ")',
  '$formatNumber($states.input.order.total, "#,##0.00")', '$string($states.input.customer)', '$states.result.Payload.count',
  '$states.result.Payload.ids[1]', '$states.result.StatusCode = 200 ? "ok" : "retry"', '$parse := 1', '$states.context.Execution.Name',
  '$states.context.State.RetryCount < 3', '$states.context.Execution.StartTime', '$toMillis($states.context.State.EnteredTime) - $toMillis($states.context.Execution.StartTime)',
  '$eval($states.errorOutput.Cause).errorMessage', '$states.errorOutput.Error in ["States.TaskFailed", "States.Timeout"]',
  '$states.input.customer.tier = "gold" and $states.input.order.total > 100', '$merge([$states.input.customer, {"seen": true}])',
  '$states.input ~> |order|{"status": "done"}, "items"|', '$states.input.order.items^(>price)[0].sku', '$states.input.order.items{sku: price}',
  '$states.input.order.items.sku[$contains($, "1")]', '$distinct($states.input.order.items.qty)', '$states.nothing', '$states.input.order.items[0..2]',
  '$states.input.order.items[[0..2]].sku', '$reduce($states.input.order.items, function($a, $i){$a + $i.qty}, 0)', '$uppercase($states.input.customer.name)',
  '$substringBefore($states.input.customer.email, "@")', '$keys($states.context)', '$type($states.result.Payload.ok)', '$exists($states.input.order.coupon)',
  '$states.input.order.items.{"sku": sku, "line": price * qty}[line > 20]', '$round($average($states.input.order.items.price), 2)',
  '$split($states.context.Execution.Id, ":")[-1]', '$fromMillis($toMillis($states.context.Execution.StartTime) + 86400000)',
  '$states.input.order.items#$i[$i % 5 = 0].sku', '{"items": [$states.input.order.items[qty > 2].sku]}', '[$states.input.flags]',
  '$count($states.input.order.items) > 10 ? "big" : "small"', '$states.input.order.{"id": id, "n": $count(items)}',
];

export default [
  { group: 'docs', file: 'function-examples', ds: 'emptyobj', cases: functionPages },
  { group: 'docs', file: 'language-examples', cases: languagePages },
  { group: 'stepfunctions', file: 'states', ds: 'emptyobj', bindings: STATES, cases: stepFunctions },
  { group: 'stepfunctions', file: 'order', ds: 'order', cases: [
    'order.id', '$sum(order.items.(price * qty))', 'order.items[qty > 0].{"sku": sku, "cost": price * qty}', '$string(order)',
    '{"orderId": order.id, "email": order.customer.email, "total": $sum(order.items.(price * qty)) + order.shipping.cost}',
    '$formatNumber($sum(order.items.(price * qty)), "#,##0.00")', 'order.items^(>price).name', '$join(order.items.name, ", ")',
    'order.customer.vip ? "priority" : "standard"', '$toMillis(order.createdAt)', '$fromMillis($toMillis(order.createdAt), "[D01]/[M01]/[Y0001]")',
    'order.coupon ?? "NONE"', 'order.shipping.address.country in ["GB", "IE"]', '$lookup(order.shipping, "method")', '$count(order.items[price < 10])',
    '$map(order.items, function($i){ $i.sku & "x" & $i.qty })', '$filter(order.items, function($i){ $i.qty = 0 }).sku', '$keys(order)',
    '$sift(order, function($v){ $type($v) = "string" })', '$each(order.shipping, function($v, $k){ $k })', '$merge(order.items.{sku: qty})',
  ] },
];
