// The input documents the golden cases run against. A case names one with
// `ds: 'NAME'`; the generator writes the document itself into the case (the
// golden files are self-contained: the C test needs nothing else).

// The JSONata documentation's running example (docs.jsonata.org: simple,
// complex, predicate, ...).
export const address = {
  FirstName: 'Fred',
  Surname: 'Smith',
  Age: 28,
  Address: { Street: 'Hursley Park', City: 'Winchester', Postcode: 'SO21 2JN' },
  Phone: [
    { type: 'home', number: '0203 544 1234' },
    { type: 'office', number: '01962 001234' },
    { type: 'office', number: '01962 001235' },
    { type: 'mobile', number: '077 7700 1234' },
  ],
  Email: [
    { type: 'work', address: ['fred.smith@my-work.com', 'fsmith@my-work.com'] },
    { type: 'home', address: ['freddy@my-social.com', 'frederic.smith@very-serious.com'] },
  ],
  Other: {
    'Over 18 ?': true,
    Misc: null,
    'Alternative.Address': { Street: 'Brick Lane', City: 'London', Postcode: 'E1 6RF' },
  },
};

// The documentation's invoice (an account with orders of products).
export const invoice = {
  Account: {
    'Account Name': 'Firefly',
    Order: [
      {
        OrderID: 'order103',
        Product: [
          {
            'Product Name': 'Bowler Hat', ProductID: 858383, SKU: '0406654608',
            Description: { Colour: 'Purple', Width: 300, Height: 200, Depth: 210, Weight: 0.75 },
            Price: 34.45, Quantity: 2,
          },
          {
            'Product Name': 'Trilby hat', ProductID: 858236, SKU: '0406634348',
            Description: { Colour: 'Orange', Width: 300, Height: 200, Depth: 210, Weight: 0.6 },
            Price: 21.67, Quantity: 1,
          },
        ],
      },
      {
        OrderID: 'order104',
        Product: [
          {
            'Product Name': 'Bowler Hat', ProductID: 858383, SKU: '040657863',
            Description: { Colour: 'Purple', Width: 300, Height: 200, Depth: 210, Weight: 0.75 },
            Price: 34.45, Quantity: 4,
          },
          {
            ProductID: 345664, SKU: '0406654603', 'Product Name': 'Cloak',
            Description: { Colour: 'Black', Width: 30, Height: 20, Depth: 210, Weight: 2 },
            Price: 107.99, Quantity: 1,
          },
        ],
      },
    ],
  },
};

// A library: books, customers and loans, for joins with @ and #.
export const library = {
  library: {
    books: [
      { title: 'Structure and Interpretation of Computer Programs', authors: ['Abelson', 'Sussman'], isbn: '9780262510875', price: 38.9, copies: 2 },
      { title: 'The C Programming Language', authors: ['Kernighan', 'Richie'], isbn: '9780131103627', price: 33.59, copies: 3 },
      { title: 'The AWK Programming Language', authors: ['Aho', 'Kernighan', 'Weinberger'], isbn: '9780201079814', copies: 1 },
      { title: 'Compilers: Principles, Techniques, and Tools', authors: ['Aho', 'Lam', 'Sethi', 'Ullman'], isbn: '9780201100884', price: 23.38, copies: 1 },
    ],
    loans: [
      { customer: '10001', isbn: '9780262510875', return: '2016-12-05' },
      { customer: '10003', isbn: '9780201100884', return: '2016-10-22' },
      { customer: '10003', isbn: '9780262510875', return: '2016-12-22' },
    ],
    customers: [
      { id: '10001', name: 'Joe Doe', address: { street: '2 Long Road', city: 'Winchester', postcode: 'SO22 5PU' } },
      { id: '10002', name: 'Fred Bloggs', address: { street: '56 Letsby Avenue', city: 'Winchester', postcode: 'SO22 4WD' } },
      { id: '10003', name: 'Jason Arthur', address: { street: '1 Preddy Gate', city: 'Southampton', postcode: 'SO14 0MG' } },
    ],
  },
};

// Items of a shop: filters, grouping, sorting, aggregation.
export const items = {
  items: [
    { id: 1, name: 'apple', category: 'fruit', price: 1.2, qty: 10, tags: ['red', 'sweet'] },
    { id: 2, name: 'banana', category: 'fruit', price: 0.5, qty: 25, tags: ['yellow'] },
    { id: 3, name: 'carrot', category: 'vegetable', price: 0.8, qty: 0, tags: [] },
    { id: 4, name: 'durian', category: 'fruit', price: 12.5, qty: 1 },
    { id: 5, name: 'eggplant', category: 'vegetable', price: 2.25, qty: 4, tags: ['purple'] },
    { id: 6, name: 'fig', category: 'fruit', price: 3, qty: 7, tags: ['sweet', 'purple'] },
    { id: 7, name: 'garlic', category: 'spice', price: 0.3, qty: 100, tags: 'strong' },
    { id: 8, name: 'honey', category: 'sweets', price: 15, qty: 2, tags: ['sweet'], discontinued: true },
    { id: 9, name: 'ice cream', category: 'sweets', price: 4.99, qty: 0, tags: ['cold', 'sweet'] },
    { id: 10, name: 'jalapeño', category: 'spice', price: 0.25, qty: 50, tags: ['green', 'hot'] },
  ],
  currency: 'EUR',
  threshold: 2,
};

// Arrays of arrays, and arrays of objects of arrays (flattening rules).
export const nested = {
  nest: [[1, 2], [3, [4, 5]], [], [[6]]],
  matrix: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
  a: [{ b: [{ c: 1 }, { c: 2 }] }, { b: { c: 3 } }, { b: [] }, { d: 4 }],
  deep: [[[['x']]]],
  empties: [[], [[]], {}, [{}]],
  single: [42],
  singleobj: [{ v: 1 }],
  mixed: [1, 'two', true, null, [3], { four: 4 }],
  objs: [{ k: 'a', v: [1, 2] }, { k: 'b', v: [3] }, { k: 'a', v: 4 }],
};

// Deep nesting (30 levels of objects, then arrays).
function deepObj(n) {
  let v = { value: 'bottom', n: 0 };
  for (let i = 1; i <= n; i++) v = { level: v, n: i };
  return v;
}
function deepArr(n) {
  let v = ['bottom'];
  for (let i = 1; i <= n; i++) v = [v, i];
  return v;
}
export const deep = { obj: deepObj(30), arr: deepArr(20), tree: { name: 'root', children: [
  { name: 'a', children: [{ name: 'a1', children: [] }, { name: 'a2', children: [{ name: 'a2x', children: [] }] }] },
  { name: 'b', children: [] },
  { name: 'c', children: [{ name: 'c1', children: [{ name: 'c1x', children: [{ name: 'c1xy', children: [] }] }] }] },
] } };

// Unicode: non-BMP characters count as two UTF-16 code units in JSONata.
export const unicode = {
  emoji: '😂😁😀',
  mixed: 'a😂b😁c',
  accents: 'café crème',
  cjk: '日本語テキスト',
  combining: 'e\u0301',
  zwj: '👩‍👩‍👧',
  rtl: 'שלום',
  escapes: 'tab\there\nnewline "quoted" back\\slash',
  control: '\u0001\u001f',
  keys: { 'ключ': 1, '😀': 2, '': 3, 'a.b': 4, 'with space': 5, 'Ünïcödé': 6 },
  words: ['zebra', 'Zebra', 'äpfel', 'apple', 'Äpfel', '😀', 'ß', 'straße'],
};

// Numbers at the edges of IEEE doubles and of JavaScript's printing.
export const numbers = {
  a: 0.1, b: 0.2, big: 1e21, bigger: 1.5e300, small: 1e-7, tiny: 5e-324,
  max: 1.7976931348623157e308, maxsafe: 9007199254740991, over: 9007199254740993,
  int20: 123456789012345680000, negzero: -0, zero: 0, half: 0.5, onehalf: 1.5, twohalf: 2.5,
  neg: -2.5, pi: 3.141592653589793, e6: 0.000001, e7: 1e-7, thousand: 1000, precise: 123.456,
  list: [0.1, 0.2, 0.3, 1e21, 1e-7, -0, 2.5, -2.5, 100, 1e20, 12345.6789],
  ints: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5],
  strs: ['1', '1.5', '-2', '1e3', '0x10', ' 7 ', '', 'abc', '0.1', '-0'],
};

// Step Functions style inputs (a state's $states.input).
export const order = {
  order: {
    id: 'ord-1001',
    customer: { id: 'c-77', name: 'Ada Lovelace', email: 'ada@example.com', vip: true },
    items: [
      { sku: 'A-1', name: 'Widget', price: 9.99, qty: 3 },
      { sku: 'B-2', name: 'Gadget', price: 24.5, qty: 1 },
      { sku: 'C-3', name: 'Doohickey', price: 4.25, qty: 10 },
      { sku: 'D-4', name: 'Thingamajig', price: 99, qty: 0 },
    ],
    shipping: { method: 'express', cost: 12.5, address: { city: 'London', country: 'GB' } },
    createdAt: '2024-11-20T10:15:30.000Z',
    coupon: null,
  },
  flags: { dryRun: false, region: 'eu-west-1' },
};

// Employees: grouping with {} and aggregation.
export const employees = {
  employees: [
    { name: 'Alice', dept: 'eng', salary: 120000, start: '2015-03-01', skills: ['c', 'go'] },
    { name: 'Bob', dept: 'eng', salary: 95000, start: '2019-07-15', skills: ['js'] },
    { name: 'Carol', dept: 'sales', salary: 70000, start: '2012-01-09', skills: [] },
    { name: 'Dan', dept: 'sales', salary: 72000, start: '2020-10-01' },
    { name: 'Eve', dept: 'ops', salary: 88000, start: '2017-05-23', skills: ['bash', 'c'] },
    { name: 'Frank', dept: 'eng', salary: 101000, start: '2021-02-28', skills: ['rust', 'c', 'js'] },
  ],
};

export const datasets = {
  address, invoice, library, items, nested, deep, unicode, numbers, order, employees,
  emptyobj: {}, emptyarr: [], nullv: null, zero: 0, emptystr: '', str: 'hello', num: 42, bool: true,
  arr: [1, 2, 3], arrobj: [{ a: 1 }, { a: 2 }, { a: [3, 4] }, { b: 5 }],
};
