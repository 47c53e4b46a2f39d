// Path navigation over every dataset shape: fields, arrays, singleton
// unwrapping and flattening, keep-array [], predicates and indexes,
// wildcards * and descendants **, the context $ and root $$.

const SHAPES = ['address', 'invoice', 'library', 'items', 'nested', 'deep', 'unicode', 'numbers', 'order',
  'employees', 'emptyobj', 'emptyarr', 'nullv', 'zero', 'emptystr', 'str', 'num', 'bool', 'arr', 'arrobj'];

// The same generic expressions over every shape.
const GENERIC = [
  '$', '$$', '*', '**', '*.*', '$[0]', '$[-1]', '$[]', '$.*', '$count($)', '$count(*)', '$count(**)',
  '$type($)', '$keys($)', 'a', 'a.b', 'a[0]', '$[0].*', '*[0]', '**[0]', '$string($)', '$[$type($) = "number"]',
  '$.$', '$$.$', '$[true]', '$[false]', '$[0][0]', '$[[0]]', '$[[0,1]]', '$[*]', '*[*]',
];

const address = [
  'FirstName', 'Surname', 'Age', 'Address', 'Address.City', 'Address.City.Nothing', 'Phone', 'Phone.number',
  'Phone[0]', 'Phone[0].number', 'Phone[1].number', 'Phone[-1].number', 'Phone[-4].number', 'Phone[4].number',
  'Phone[-5].number', 'Phone[0.5].number', 'Phone[1.9].number', 'Phone[-0.5].number', 'Phone[[0,2]].number',
  'Phone[[1..2]].number', 'Phone[[-1,0]].number', 'Phone[[0,0]].number', 'Phone[[]].number', 'Phone[[5]].number',
  'Phone[type="mobile"]', 'Phone[type="mobile"].number', 'Phone[type="office"].number', 'Phone[type="fax"].number',
  'Phone[type!="office"].number', 'Phone[type="office"][0].number', 'Phone[type="office"][1].number',
  'Phone[0][type="home"].number', 'Phone[type="office"].number[0]', '(Phone[type="office"].number)[0]',
  'Phone.number[0]', '(Phone.number)[0]', '(Phone.number)[-1]', 'Phone[]', 'Phone[].number', 'Phone[type="mobile"][]',
  'Phone[type="mobile"].number[]', 'Address[]', 'Address[].City', 'Address.City[]', 'Age[]', 'FirstName[0]',
  'FirstName[1]', 'FirstName[-1]', 'Age[0]', 'Address[0].City', 'Email.address', 'Email.address[0]',
  'Email.address[1]', 'Email[0].address', 'Email[0].address[0]', 'Email.address[-1]', '(Email.address)[-1]',
  'Email[type="home"].address', 'Email[type="home"].address[1]', 'Email.[address]', 'Email.[address[0]]',
  'Email.address.$length($)', '`FirstName`', '`Address`.`City`', 'Other.`Over 18 ?`', 'Other.Misc',
  'Other.`Alternative.Address`', 'Other.`Alternative.Address`.City', 'Other.Alternative.Address',
  'Other.Misc.x', 'Other.Misc[0]', 'Other.Misc = null', 'Address.*', '*.Postcode', '**.Postcode', '**.City',
  '**.number[0]', '**.type', '**[type="office"]', '*[type="office"].number', '$.FirstName', '$$.FirstName',
  'Address.($$.FirstName)', 'Address.$', 'Address.$$', 'Address.$.City', 'Phone.$$.Age', 'Phone.(number)',
  'Phone.(type & ": " & number)', 'Phone.{type: number}', 'Phone.[type, number]', 'Phone.type.$uppercase($)',
  'Phone[number ~> /^0/].type', 'Phone[$contains(number, "1234")].type', 'Phone[type in ["home","mobile"]].number',
  'Phone[$substring(number, 0, 1) = "0"][0].type', 'Phone[0].*', 'Phone.*', 'Phone.**', 'Phone[0].**',
  'Phone[type="office" and $contains(number, "5")].number', 'Phone[type="office" or type="home"].number',
  'Phone[0 = 0]', 'Phone[1 = 0]', 'Phone["x"]', 'Phone[""]', 'Phone[null]', 'Phone[{}]', 'Phone[[]]',
  'Phone[number]', 'Phone[nothing]', 'Phone[$]', 'Age[$ > 18]', 'Age[$ > 30]', 'Age[0 = 0]', 'Age[true]',
  'FirstName[$ = "Fred"]', '$[Age > 18].FirstName', 'Phone[-1]', 'Phone[[-2..-1]].type', 'Phone[3..4]',
  'Email[type = "work"].address[$contains($, "fsmith")]', 'Email.address[$contains($, "smith")]',
  '$count(Phone)', '$count(Phone[type="office"])', '$count(Email.address)', '$count(Nothing)', 'Nothing',
  'Nothing.Nothing', 'Nothing[0]', 'Phone.Nothing', 'Phone[0].Nothing', 'Address.City.Nothing[0]',
  '$exists(Nothing)', '$exists(Other.Misc)', 'Other.Misc ? "y" : "n"', 'Address."City"', 'Address.\'City\'',
  '"FirstName"', 'Phone."number"', 'Surname & ", " & FirstName', 'Phone[type="mobile"].number.$substring($, 0, 3)',
];

const invoice = [
  'Account', 'Account.`Account Name`', 'Account.Order', 'Account.Order.OrderID', 'Account.Order[0].OrderID',
  'Account.Order.Product', 'Account.Order.Product.`Product Name`', 'Account.Order.Product.Price',
  'Account.Order.Product[0].Price', 'Account.Order[0].Product[0].Price', 'Account.Order.Product[0]',
  '(Account.Order.Product)[0]', '(Account.Order.Product)[-1].`Product Name`', 'Account.Order.Product[-1].SKU',
  'Account.Order.Product.Description.Colour', 'Account.Order.Product.Description[Colour="Purple"].Weight',
  'Account.Order.Product[Description.Colour="Purple"].SKU', 'Account.Order[Product.Price > 100].OrderID',
  'Account.Order[Product[Price > 100]].OrderID', 'Account.Order.Product[Price > 30 and Quantity > 1].SKU',
  'Account.Order.Product.ProductID', 'Account.Order.Product.ProductID[0]', 'Account.Order[1].Product.Quantity',
  'Account.Order.Product.Quantity[]', 'Account.Order[0].Product[].Quantity', 'Account.Order.Product[].SKU',
  'Account.Order[].OrderID', 'Account.Order.Product.Description.*', 'Account.Order.Product.*.Colour',
  'Account.**.Colour', 'Account.**.Price', '**.OrderID', 'Account.Order.**.Weight', 'Account.*.OrderID',
  'Account.Order.Product.(Price * Quantity)', 'Account.Order.(OrderID & ":" & $count(Product))',
  'Account.Order.Product.{"name": `Product Name`, "cost": Price * Quantity}',
  'Account.Order.{"id": OrderID, "total": $sum(Product.(Price * Quantity))}',
  'Account.Order.Product[$.Price = $max($$.Account.Order.Product.Price)].`Product Name`',
  'Account.Order.Product[SKU = "0406654608"].Description.Width', 'Account.Order[0].Product.`Product Name`[1]',
  'Account.Order.Product.`Product Name`[1]', 'Account.Order[OrderID="order104"].Product[0].`Product Name`',
  'Account.Order.Product[`Product Name` ~> /hat/i].SKU', 'Account.Order.Product[ProductID = 858383].Quantity',
  '$sum(Account.Order.Product.Quantity)', '$count(Account.Order.Product)', '$average(Account.Order.Product.Price)',
  'Account.Order.Product.Description.Weight[$ > 0.7]', 'Account.Order.Product.Price[$ > 30][0]',
  'Account.Order.Product.Price[[0,2]]', 'Account.Order.Product[[0..2]].SKU',
];

const nested = [
  'nest', 'nest[0]', 'nest[1]', 'nest[1][1]', 'nest[1][1][0]', 'nest.$', 'nest.$[0]', 'nest[[0,1]]', 'nest[-1]',
  'nest[3][0]', 'nest[3][0][0]', 'nest.*', 'nest[0][0]', 'nest.($)', 'nest.[$]', '[nest]', '[nest][0]',
  'nest[$count($) > 1]', 'nest[$type($) = "array"]', '$count(nest)', '$count(nest[])', '$count(nest.$)',
  'matrix', 'matrix[1]', 'matrix[1][2]', 'matrix.$[0]', 'matrix.($[0])', 'matrix[0][-1]', 'matrix.$sum($)',
  'matrix.[$sum($)]', 'matrix[*]', 'matrix[]', 'matrix[[0,2]][1]', '$sum(matrix)', '$sum(matrix.$)', '$max(matrix)',
  'a', 'a.b', 'a.b.c', 'a.b[0].c', 'a.b.c[0]', 'a[0].b.c', 'a.b[0]', 'a.b[]', 'a.b[].c', 'a.b.c[]', 'a.d',
  'a[b].d', 'a[d].b', 'a[b.c > 1].b.c', 'a.b[c > 1].c', 'a[1].b.c', 'a[2].b.c', 'a[2].b', 'a.(b.c)',
  'deep', 'deep[0]', 'deep[0][0]', 'deep[0][0][0]', 'deep[0][0][0][0]', 'deep[0][0][0][0][0]', 'deep.$', 'deep.$.$',
  'empties', 'empties[0]', 'empties[1]', 'empties[1][0]', 'empties[2]', 'empties[3]', 'empties[3][0]',
  'empties.$', 'empties[$count($) = 0]', '$count(empties)', 'single', 'single[0]', 'single[]', 'single.$',
  'singleobj', 'singleobj.v', 'singleobj[].v', 'singleobj.v[]', 'singleobj[0].v', 'mixed', 'mixed[3]', 'mixed[4]',
  'mixed[5].four', 'mixed.four', 'mixed[$type($) = "string"]', 'mixed[$ = null]', 'mixed.$type($)',
  'objs', 'objs.v', 'objs.k', 'objs[k = "a"].v', 'objs.v[0]', 'objs.(v)[0]', 'objs.v[1]', 'objs[].v',
  'objs.v[]', 'objs[k="b"].v[]', 'objs[k="b"].v', '$count(objs.v)', 'objs.{k: v}', 'objs{k: v}', 'objs{k: $count(v)}',
  'objs[0].v', '**.c', '**.v', '**.four', '**[0]', '$.nest.$[0]',
];

const deep = [
  'obj.n', 'obj.level.n', 'obj.level.level.level.n', 'obj.**.value', '**.n', '$count(**.n)', '$max(**.n)',
  'obj.level.level.level.level.level.level.level.level.level.level.n', 'obj.**.level.n', '$count(obj.**)',
  'arr', 'arr[0]', 'arr[1]', 'arr[0][0][0][0][0][1]', '$count(arr)', 'tree.name', 'tree.children.name',
  'tree.children.children.name', 'tree.**.name', 'tree.children[name="c"].**.name', '**.children[0].name',
  'tree.children[$count(children) > 0].name', 'tree.**[$count(children) = 0].name', 'tree.children.children[]',
  'tree.children[0].children[1].children[0].name', '**[name = "c1xy"].name',
];

const unicode = [
  'emoji', 'mixed', 'keys', 'keys.`ключ`', 'keys.`😀`', 'keys.``', 'keys.`a.b`', 'keys.`with space`',
  'keys.`Ünïcödé`', 'keys.*', '$keys(keys)', 'keys.ключ', 'words', 'words[0]', 'words[-1]', 'words[$ = "ß"]',
  'escapes', 'control', 'rtl', 'zwj', 'cjk', 'combining', 'accents', '**[$type($) = "string"]',
];

const numbers = [
  'a', 'b', 'a + b', 'big', 'bigger', 'small', 'tiny', 'max', 'maxsafe', 'over', 'int20', 'negzero', 'zero',
  'half', 'onehalf', 'twohalf', 'neg', 'pi', 'e6', 'e7', 'thousand', 'precise', 'list', 'list[0] + list[1]',
  'ints', 'ints[$ > 4]', 'ints[$ = 5]', 'strs', 'list[3]', 'list[5]', 'list[-1]', 'max * 2', 'tiny / 2',
  'negzero = zero', '-negzero', 'negzero * -1', 'big + 1 = big', 'over - maxsafe', 'int20 / 10', 'precise * 1000',
  '$string(list)', '$string(negzero)', '$string(big)', '$string(small)', '$string(int20)', '$string(max)',
  '$string(tiny)', '$string(over)', '$string(e6)', 'list.$string($)', 'ints[[0..2]]',
];

const order = [
  'order.id', 'order.customer.name', 'order.items.sku', 'order.items[price > 10].name', 'order.items[qty = 0].sku',
  '$sum(order.items.(price * qty))', 'order.items.(price * qty)', 'order.shipping.address.city',
  'order.coupon', 'order.coupon.code', 'order.coupon ? "y" : "n"', 'order.items[-1].name', 'flags.region',
  'order.items[0]', '$count(order.items[qty > 0])', 'order.items{sku: price}', 'order.items.{"sku": sku}',
  'order.customer.vip and order.shipping.method = "express"', 'order.createdAt',
];

const itemsDs = [
  'items.name', 'items[price > 2].name', 'items[price > $$.threshold].name', 'items[category = "fruit"].price',
  'items[tags = "sweet"].name', 'items[tags = "purple"].name', 'items[$count(tags) > 1].name',
  'items[tags[0] = "sweet"].name', 'items.tags', 'items.tags[0]', 'items[discontinued].name', 'items[not(discontinued)].name',
  'items[qty = 0 or price > 10].name', 'items[id in [1,3,5]].name', 'items[id % 2 = 0].id', 'items[0].name',
  'items[-2].name', 'items[[1,3,5]].id', 'items[name ~> /an/].name', 'items[$length(name) > 5].name',
  'items.price[$ < 1]', 'items[price < 1].price', 'items[price<1][qty>20].name', 'items[price < 1][0].name',
  'items[price < 1][-1].name', 'items[category="spice"].tags', 'items.category', '$distinct(items.category)',
  'items[price = $max($$.items.price)].name', 'items[0].tags[1]', 'items.tags[1]', 'items.(tags)[1]',
  'items[tags].name', 'items[tags[1]].name', '$count(items[tags])', 'currency', 'items[0].$$.currency',
];

const library = [
  'library.books.title', 'library.books[price > 30].title', 'library.books[authors = "Kernighan"].title',
  'library.books.authors', 'library.books.authors[0]', 'library.books[price].title', 'library.books[$not(price)].title',
  'library.loans.customer', 'library.customers[id = "10003"].name', 'library.customers.address.city',
  'library.books[isbn = $$.library.loans.isbn].title', '$count(library.books.authors)', 'library.**.city',
  'library.books[copies > 1][price < 35].title',
];

function over(ds, list) {
  return list.map((e) => ({ expr: e, ds }));
}

export default [
  { group: 'paths', file: 'generic', cases: SHAPES.flatMap((ds) => over(ds, GENERIC)) },
  { group: 'paths', file: 'address', ds: 'address', cases: address },
  { group: 'paths', file: 'invoice', ds: 'invoice', cases: invoice },
  { group: 'paths', file: 'nested', ds: 'nested', cases: nested },
  { group: 'paths', file: 'deep', ds: 'deep', cases: deep },
  { group: 'paths', file: 'unicode', ds: 'unicode', cases: unicode },
  { group: 'paths', file: 'numbers', ds: 'numbers', cases: numbers },
  { group: 'paths', file: 'order', ds: 'order', cases: order },
  { group: 'paths', file: 'items', ds: 'items', cases: itemsDs },
  { group: 'paths', file: 'library', ds: 'library', cases: library },
  {
    group: 'paths', file: 'input-arrays', cases: [
      { expr: '$', data: [1, 2, 3] }, { expr: '$[0]', data: [1, 2, 3] }, { expr: '$[1]', data: [[1, 2], [3]] },
      { expr: 'a', data: [{ a: 1 }, { a: 2 }] }, { expr: 'a', data: [{ a: 1 }] }, { expr: '$.a', data: [{ a: [1] }] },
      { expr: '$[0].a', data: [{ a: [1] }] }, { expr: 'a[0]', data: [{ a: [1, 2] }, { a: [3] }] },
      { expr: '$.a[0]', data: [{ a: [1, 2] }, { a: [3] }] }, { expr: '$count($)', data: [] }, { expr: '$', data: [] },
      { expr: '$[]', data: [] }, { expr: '$', data: [[]] }, { expr: '$[0]', data: [[]] }, { expr: '$', data: [5] },
      { expr: '$[0]', data: [5] }, { expr: '$.$', data: [5] }, { expr: '$$', data: [5] }, { expr: '$$[0]', data: [5] },
      { expr: '*', data: [{ a: 1 }, { b: 2 }] }, { expr: '**', data: [{ a: [1, { b: 2 }] }] },
      { expr: '$', nodata: true }, { expr: 'a', nodata: true }, { expr: '$$', nodata: true }, { expr: '$count($)', nodata: true },
      { expr: '$exists($)', nodata: true }, { expr: '1 + 1', nodata: true }, { expr: '$', data: null },
      { expr: 'a', data: null }, { expr: '$', data: 'str' }, { expr: '$.a', data: 'str' }, { expr: '$[0]', data: 'str' },
      { expr: '$length($)', data: 'str' }, { expr: '$', data: 1e21 }, { expr: '$', data: -0 }, { expr: '$ = 0', data: -0 },
      { expr: '$', data: 0.1 }, { expr: '$ + 0.2', data: 0.1 }, { expr: '$', data: true }, { expr: '$', data: false },
      { expr: '$[0]', data: false }, { expr: '$[$]', data: [true, false] }, { expr: '$[0]', data: { a: 1 } },
      { expr: '$[1]', data: { a: 1 } }, { expr: '$.a', data: { a: null } }, { expr: 'a.b', data: { a: [null, { b: 1 }] } },
      { expr: 'a', data: { a: [] } }, { expr: 'a[]', data: { a: [] } }, { expr: 'a[0]', data: { a: [] } },
      { expr: 'a', data: { a: [[]] } }, { expr: 'a.b', data: { a: [{ b: [] }, { b: [[]] }] } },
      { expr: 'a.b', data: { a: { b: [1, [2, [3]]] } } }, { expr: 'a.b[]', data: { a: { b: 1 } } },
      { expr: 'a.b.c', data: { a: [{ b: [{ c: [1, 2] }, { c: 3 }] }, { b: { c: [[4]] } }] } },
    ],
  },
];
