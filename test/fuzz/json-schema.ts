/**
 * fast-check arbitraries from the JSON Schemas of an OpenAPI document: a value that looks valid,
 * one that the schema must reject, and mutations that may or may not keep it valid.
 */
import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The part of JSON Schema that the services' OpenAPI documents use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Json[];
  const?: Json;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

const INT32 = 2 ** 31 - 1;

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 200);
  const min = Math.min(s.minLength ?? 0, max);
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).map((v) => (v.length > max ? v.slice(0, max) : v));
    } catch {
      // a pattern fast-check cannot generate from: fall through to the format or a plain string
    }
  }
  if (s.format === "uuid") return fc.uuid();
  if (s.format === "uri") return fc.webUrl();
  if (s.format === "email") return fc.emailAddress();
  if (s.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  return fc.string({ minLength: min, maxLength: max, unit: "grapheme" });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = Math.max(
    s.minimum ?? (s.exclusiveMinimum === undefined ? -1000 : s.exclusiveMinimum + 1),
    -INT32,
  );
  const hi = Math.min(s.maximum ?? (s.exclusiveMaximum === undefined ? 1000 : s.exclusiveMaximum - 1), INT32);
  const [min, max] = lo <= hi ? [lo, Math.min(hi, lo + 10_000)] : [hi, hi];
  return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function typesOf(s: JsonSchema): string[] {
  if (s.type === undefined) return [];
  return Array.isArray(s.type) ? s.type : [s.type];
}

/** A value the schema accepts, or close to it (patterns are honoured, cross-field rules are not). */
export function validValue(s: JsonSchema, depth = 0): fc.Arbitrary<Json> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => validValue(a, depth)));
  if (s.allOf?.length) return validValue(Object.assign({}, ...s.allOf) as JsonSchema, depth);
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => validValue({ ...s, type: t }, depth)));
  switch (types[0]) {
    case "string":
      return stringArb(s);
    case "integer":
      return numberArb(s, true);
    case "number":
      return numberArb(s, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const max = Math.min(s.maxItems ?? 3, 3);
      const min = Math.min(s.minItems ?? 0, max);
      return depth > 4
        ? fc.constant([])
        : fc.array(validValue(s.items ?? {}, depth + 1), { minLength: min, maxLength: max });
    }
    case "object": {
      const props = s.properties ?? {};
      const required = (s.required ?? []).filter((k) => k in props);
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = validValue(v, depth + 1);
      return fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>;
  }
}

/** The JSON types a schema admits, or undefined when it admits any. */
function admitted(s: JsonSchema): Set<string> | undefined {
  if (s.const !== undefined || s.enum?.length) {
    const values = s.const !== undefined ? [s.const] : (s.enum ?? []);
    return new Set(values.map((v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v)));
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) {
    const all = new Set<string>();
    for (const a of alternatives) {
      const t = admitted(a);
      if (!t) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  const types = typesOf(s);
  if (types.length === 0) return undefined;
  // A JSON integer is a number too, and vice versa for whole numbers.
  return new Set(types.map((t) => (t === "integer" ? "number" : t)));
}

const SAMPLES: Record<string, Json> = {
  string: "x",
  number: 7,
  boolean: true,
  null: null,
  array: [],
  object: { x: 1 },
};

/** Values of a type the schema does not admit (empty when it admits any type). */
export function wrongTypes(s: JsonSchema): Json[] {
  const ok = admitted(s);
  if (!ok) return [];
  return Object.entries(SAMPLES)
    .filter(([t]) => !ok.has(t))
    .map(([, v]) => v);
}

/** A place in a value: where it is, and the schema it answers to. */
export interface Site {
  path: (string | number)[];
  schema: JsonSchema;
  /** A property its object must have. */
  required: boolean;
}

/** Every place in `value` that `schema` describes, the root included. */
export function sitesOf(
  value: Json,
  schema: JsonSchema,
  path: (string | number)[] = [],
  required = true,
): Site[] {
  const here: Site = { path, schema, required };
  const plain = (schema.anyOf ?? schema.oneOf)?.find((a) => typesOf(a).includes("object")) ?? schema;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && plain.properties) {
    const req = new Set(plain.required ?? []);
    return [
      here,
      ...Object.entries(plain.properties).flatMap(([k, sub]) =>
        k in value ? sitesOf(value[k] as Json, sub, [...path, k], req.has(k)) : [],
      ),
    ];
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    return [here, ...value.flatMap((v, i) => sitesOf(v, items, [...path, i], false))];
  }
  return [here];
}

const DELETE = Symbol("delete");

function valueAt(value: Json, path: (string | number)[]): Json | undefined {
  let node: Json | undefined = value;
  for (const k of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, Json>)[k as string];
  }
  return node;
}

/** `value` with the thing at `path` replaced (or deleted); the root is replaced by returning the new value. */
export function setAt(value: Json, path: (string | number)[], to: Json | typeof DELETE): Json {
  if (path.length === 0) return to === DELETE ? {} : to;
  const copy: Json = structuredClone(value);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return copy;
    node = (node as Record<string, Json>)[key as string] as Json;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node) && typeof last === "number") {
    if (to === DELETE) node.splice(last, 1);
    else node[last] = to;
  } else if (node !== null && typeof node === "object") {
    const obj = node as Record<string, Json>;
    if (to === DELETE) delete obj[last as string];
    else obj[last as string] = to;
  }
  return copy;
}

export const deleteValue: typeof DELETE = DELETE;

/** Strings that have broken servers: NUL, lone surrogates, right-to-left marks, injections. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff\ud800",
    "\u202e\u200f",
    "Nguyễn Văn Ánh 👨‍👩‍👧",
    "' OR 1=1 --",
    "'); DROP TABLE dossiers; --",
    "$" + "{7*7}{{7*7}}",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "-1",
    "1e999",
    "NaN",
    "null",
    "__proto__",
    "9".repeat(400),
  ),
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 50 }),
);

/** Numbers at and past the edges. */
export const nastyNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, -1e308, 1e308, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 2 ** 64, -(2 ** 63), 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** A string of `n` characters, sometimes multi-byte (so that its UTF-8 size is several times `n`). */
export const hugeString = fc
  .tuple(
    fc.constantFrom(1_000, 20_000, 120_000, 262_144, 300_000),
    fc.constantFrom("a", "ệ", "😀", "\\", "\u0000"),
  )
  .map(([n, ch]) => ch.repeat(Math.ceil(n / ch.length)));

/** Any value at all, in the ways a client gets it wrong. */
export const strangeValue: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: nastyString, weight: 4 },
  { arbitrary: nastyNumber, weight: 3 },
  { arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [null], { "": null }), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, weight: 2 },
);

/** One change at one site that may or may not keep the value valid. */
export function mutation(value: Json, schema: JsonSchema): fc.Arbitrary<Json> {
  const sites = sitesOf(value, schema);
  const objects = sites.filter((s) => {
    const node = valueAt(value, s.path);
    return node !== null && typeof node === "object" && !Array.isArray(node);
  });
  const site = fc.constantFrom(...sites);
  return fc.oneof(
    fc.tuple(site, strangeValue).map(([s, v]) => setAt(value, s.path, v)),
    site.map((s) => setAt(value, s.path, s.path.length === 0 ? null : deleteValue)),
    fc
      .tuple(
        fc.constantFrom(...(objects.length ? objects : sites)),
        fc.oneof(
          fc.constantFrom("__proto__", "constructor", "id", "version", "state", "$where"),
          fc.string(),
        ),
        strangeValue,
      )
      .map(([s, k, v]) => setAt(value, [...s.path, k], v)),
  );
}

/** One change the schema must reject: a required field dropped, or a value of the wrong type. */
export function breakingMutation(value: Json, schema: JsonSchema): fc.Arbitrary<Json> {
  const options: Json[] = [];
  for (const s of sitesOf(value, schema)) {
    for (const wrong of wrongTypes(s.schema)) options.push(setAt(value, s.path, wrong));
    if (s.required && s.path.length > 0 && typeof s.path[s.path.length - 1] === "string")
      options.push(setAt(value, s.path, deleteValue));
  }
  return options.length ? fc.constantFrom(...options) : fc.constant([value]);
}
