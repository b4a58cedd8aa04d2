// Static check of one link of a pipeline: may every value step N's output_schema allows be
// rejected by step N+1's input_schema? A small, conservative subset check (producer ⊆
// consumer) with three answers. "incompatible" is claimed only for a value the producer's
// schema explicitly allows (a type, a missing required property, an enum value, a declared
// property a closed schema rejects, a bound); whatever JSON Schema does not let us decide
// (patterns, formats, `not`, `if/then`, open objects, unknown keywords) is "cannot prove",
// a warning and never a pass in disguise. Schemas are hostile data: depth and reference
// chasing are bounded, nothing is compiled or executed.
import { isDeepStrictEqual } from 'node:util';
import { lowerBound, upperBound, type Bound } from './schema-bounds.js';

export type CompatibilityVerdict = 'compatible' | 'incompatible' | 'cannot-prove';

export interface CompatibilityFinding {
  verdict: 'incompatible' | 'cannot-prove';
  message: string;
  /** JSON pointer into the producing step's output_schema. */
  output_pointer: string;
  /** JSON pointer into the consuming step's input_schema. */
  input_pointer: string;
}

export interface CompatibilityResult {
  verdict: CompatibilityVerdict;
  findings: CompatibilityFinding[];
}

type Schema = Record<string, unknown>;
type Side = { schema: unknown; at: string };
/** A side whose schema is an object (a boolean schema has been turned into `{}` or handled). */
type ObjectSide = { schema: Schema; at: string };

interface Walk {
  outputRoot: unknown;
  inputRoot: unknown;
  depth: number;
  /** Pairs of (output, input) schema objects under comparison: a recursive schema meets itself. */
  assumed: Set<string>;
  ids: Map<object, number>;
}

/** Deeper than this, the answer is "cannot prove" (a hostile schema may nest 100,000 levels). */
const MAX_DEPTH = 64;

const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'] as const;
type JsonType = (typeof TYPES)[number];

/** Keywords that describe without constraining. */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', '$comment', '$schema', '$id', '$anchor', '$defs', 'definitions', 'readOnly', 'writeOnly', 'deprecated', 'contentMediaType', 'contentEncoding', 'contentSchema']);

/** Input-side keywords this checker reasons about; any other one is "cannot prove". */
const UNDERSTOOD = new Set([
  'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'format', 'items', 'minItems', 'maxItems', 'uniqueItems',
  'properties', 'required', 'additionalProperties', 'minProperties', 'allOf', 'anyOf', 'oneOf', '$ref',
]);

/** Input-side keywords about the inside of arrays and objects. */
const STRUCTURE_KEYWORDS = ['items', 'minItems', 'maxItems', 'uniqueItems', 'properties', 'required', 'additionalProperties', 'minProperties'];

/** Output-side keywords that may narrow what a step produces in ways this checker does not model. */
const OPAQUE_NARROWING = ['not', 'if', 'then', 'else', 'allOf', 'oneOf', 'dependentRequired', 'dependentSchemas', 'patternProperties', 'propertyNames', 'minProperties', 'unevaluatedProperties', 'contains', 'pattern', 'format', 'multipleOf'];

/** Compares a producer's output_schema with a consumer's input_schema. */
export function checkSchemaCompatibility(outputSchema: unknown, inputSchema: unknown): CompatibilityResult {
  const walk: Walk = { outputRoot: outputSchema, inputRoot: inputSchema, depth: 0, assumed: new Set(), ids: new Map() };
  const findings = compare(walk, { schema: outputSchema, at: '' }, { schema: inputSchema, at: '' });
  return { verdict: verdictOf(findings), findings };
}

export function verdictOf(findings: readonly CompatibilityFinding[]): CompatibilityVerdict {
  if (findings.some((f) => f.verdict === 'incompatible')) return 'incompatible';
  return findings.length > 0 ? 'cannot-prove' : 'compatible';
}

/** Findings no other output keyword can undo (the output's declared types): never softened. */
const definite = new WeakSet<CompatibilityFinding>();

/** `outKey`/`inKey`: the keyword (or keyword path, one segment per element) the finding is about. */
function finding(verdict: CompatibilityFinding['verdict'], message: string, out: Side, inp: Side, outKey: string | string[] = '', inKey: string | string[] = ''): CompatibilityFinding {
  return { verdict, message, output_pointer: pointer(out.at, ...[outKey].flat()), input_pointer: pointer(inp.at, ...[inKey].flat()) };
}

/** Appends unescaped segments to a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
function pointer(at: string, ...keys: string[]): string {
  return keys.filter((k) => k !== '').reduce((p, key) => `${p}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, at);
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The comparison of one (output, input) pair of subschemas. */
function compare(walk: Walk, out: Side, inp: Side): CompatibilityFinding[] {
  if (walk.depth >= MAX_DEPTH) return [finding('cannot-prove', `the schemas nest deeper than ${MAX_DEPTH} levels`, out, inp)];
  const produced = resolveRef(walk.outputRoot, out);
  const accepted = resolveRef(walk.inputRoot, inp);
  if ('problem' in produced) return [finding('cannot-prove', produced.problem, out, inp)];
  if ('problem' in accepted) return [finding('cannot-prove', accepted.problem, out, inp)];
  if (produced.schema === false || accepts(accepted.schema)) return [];
  if (accepted.schema === false) return [finding('incompatible', 'the input schema accepts nothing', produced, accepted)];
  const p: Schema = isObject(produced.schema) ? produced.schema : {};
  const c: Schema = isObject(accepted.schema) ? accepted.schema : {};
  const key = pairKey(walk, p, c);
  if (walk.assumed.has(key)) return []; // a recursive schema: assume the pair holds while proving it
  walk.assumed.add(key);
  walk.depth++;
  try {
    const pSide = { schema: p, at: produced.at };
    const cSide = { schema: c, at: accepted.at };
    if (Array.isArray(p['anyOf']) || Array.isArray(p['oneOf'])) return compareProducerUnion(walk, pSide, cSide);
    return soften(p, compareKeywords(walk, pSide, cSide));
  } finally {
    walk.depth--;
    walk.assumed.delete(key);
  }
}

/** True when a schema accepts every value (`true`, `{}` or annotations only). */
function accepts(schema: unknown): boolean {
  if (schema === true) return true;
  return isObject(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k));
}

function pairKey(walk: Walk, p: object, c: object): string {
  const id = (o: object): number => {
    const known = walk.ids.get(o);
    if (known !== undefined) return known;
    walk.ids.set(o, walk.ids.size + 1);
    return walk.ids.size;
  };
  return `${id(p)}:${id(c)}`;
}

/** Follows local `$ref`s (`#/...` JSON pointers) a bounded number of times. */
function resolveRef(root: unknown, side: Side): Side | { problem: string } {
  let current = side;
  for (let hops = 0; isObject(current.schema) && typeof current.schema['$ref'] === 'string'; hops++) {
    const ref = current.schema['$ref'];
    const siblings = Object.keys(current.schema).filter((k) => k !== '$ref' && !ANNOTATIONS.has(k));
    if (hops >= 32) return { problem: `more than 32 chained $refs at ${side.at || '/'}` };
    if (siblings.length > 0) return { problem: `$ref with sibling keywords (${siblings.join(', ')}) at ${current.at || '/'}` };
    if (!ref.startsWith('#')) return { problem: `the $ref ${JSON.stringify(ref)} is not local` };
    const target = followPointer(root, ref.slice(1));
    if (target === undefined) return { problem: `the $ref ${JSON.stringify(ref)} points at nothing` };
    current = { schema: target, at: ref.slice(1) };
  }
  return current;
}

function followPointer(root: unknown, ptr: string): unknown {
  if (ptr === '') return root;
  let node = root;
  for (const raw of ptr.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else if (isObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/**
 * The output is a union: every branch must fit. A branch's counterexample may be excluded by
 * the union's siblings or by oneOf's exclusivity, so those findings are only "cannot prove".
 */
function compareProducerUnion(walk: Walk, out: ObjectSide, inp: Side): CompatibilityFinding[] {
  const keyword = Array.isArray(out.schema['anyOf']) ? 'anyOf' : 'oneOf';
  const branches = out.schema[keyword] as unknown[]; // `as`: checked to be an array by the caller
  const rest = Object.keys(out.schema).filter((k) => k !== keyword && !ANNOTATIONS.has(k));
  const findings = branches.flatMap((branch, i) => compare(walk, { schema: branch, at: `${out.at}/${keyword}/${i}` }, inp));
  const exact = keyword === 'anyOf' && rest.length === 0;
  return exact ? findings : findings.map((f) => ({ ...f, verdict: 'cannot-prove' as const }));
}

/**
 * Findings about an output schema that also narrows by keywords this checker does not model
 * (a pattern, a `not`, a dependency...) may have no real counterexample: they become "cannot prove".
 */
function soften(produced: Schema, findings: CompatibilityFinding[]): CompatibilityFinding[] {
  if (!OPAQUE_NARROWING.some((k) => k in produced)) return findings;
  return findings.map((f) => (f.verdict === 'incompatible' && !definite.has(f) ? { ...f, verdict: 'cannot-prove' as const, message: `${f.message} (unless the output's other constraints exclude it)` } : f));
}

/** The input schema's keywords, one family at a time. */
function compareKeywords(walk: Walk, out: ObjectSide, inp: ObjectSide): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  for (const k of Object.keys(inp.schema)) {
    if (!ANNOTATIONS.has(k) && !UNDERSTOOD.has(k)) findings.push(finding('cannot-prove', `the input schema uses \`${k}\`, which cannot be compared statically`, out, inp, '', k));
  }
  findings.push(...compareComposition(walk, out, inp));
  const types = compareTypes(out, inp, findings);
  findings.push(...compareValues(out, inp));
  if (types.has('number') || types.has('integer')) findings.push(...compareNumbers(out, inp, types));
  if (types.has('string')) findings.push(...compareStrings(out, inp));
  const structured = finiteValues(out.schema)?.some((v) => typeof v === 'object' && v !== null);
  if (structured && STRUCTURE_KEYWORDS.some((k) => k in inp.schema)) {
    findings.push(finding('cannot-prove', 'the output lists object or array values; they are not compared one by one', out, inp));
    return findings;
  }
  if (types.has('array')) findings.push(...compareArrays(walk, out, inp));
  if (types.has('object')) findings.push(...compareProperties(walk, out, inp));
  return findings;
}

/** The input's allOf (each must hold), anyOf and oneOf (some branch must take everything). */
function compareComposition(walk: Walk, out: ObjectSide, inp: ObjectSide): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  const allOf = inp.schema['allOf'];
  if (Array.isArray(allOf)) allOf.forEach((member, i) => findings.push(...compare(walk, out, { schema: member, at: `${inp.at}/allOf/${i}` })));
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const list = inp.schema[keyword];
    if (!Array.isArray(list)) continue;
    const branches = list.map((schema, i): Side => ({ schema, at: `${inp.at}/${keyword}/${i}` }));
    const fitting = branches.filter((b) => compare(walk, out, b).length === 0);
    const disjoint = branches.filter((b) => typesDisjoint(walk, out.schema, b));
    if (keyword === 'anyOf' && fitting.length > 0) continue;
    if (keyword === 'oneOf' && fitting.length === 1 && disjoint.length === branches.length - 1) continue;
    findings.push(disjoint.length === branches.length
      ? certain(finding('incompatible', `type: no branch of ${keyword} accepts a type the output produces`, out, inp, '', keyword))
      : finding('cannot-prove', `${keyword}: no single branch is shown to accept everything the output produces`, out, inp, '', keyword));
  }
  return findings;
}

/** The JSON types a schema's values can have; null means any. */
function typesOf(schema: Schema): Set<JsonType> | null {
  const values = finiteValues(schema);
  if (values !== null) return new Set(values.map(jsonType));
  const type = schema['type'];
  if (typeof type === 'string') return new Set([type as JsonType]); // `as`: an unknown name simply matches nothing
  if (Array.isArray(type)) return new Set(type.filter((t): t is JsonType => typeof t === 'string') as JsonType[]);
  return null;
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  const t = typeof value;
  return t === 'boolean' || t === 'string' || t === 'object' ? t : 'null';
}

/** The values a schema allows when it lists them (`const`, `enum`); null when open. */
function finiteValues(schema: Schema): unknown[] | null {
  if ('const' in schema) return [schema['const']];
  return Array.isArray(schema['enum']) ? schema['enum'] : null;
}

function typeAccepted(accepted: Set<JsonType> | null, t: JsonType): boolean {
  return accepted === null || accepted.has(t) || (t === 'integer' && accepted.has('number'));
}

/** Records type findings; returns the types the output produces that the input accepts. */
function compareTypes(out: ObjectSide, inp: ObjectSide, findings: CompatibilityFinding[]): Set<JsonType> {
  const produced = typesOf(out.schema);
  const accepted = typesOf(inp.schema);
  const candidates: JsonType[] = produced === null ? [...TYPES] : [...produced];
  const kept = new Set(candidates.filter((t) => typeAccepted(accepted, t)));
  if (accepted === null || !('type' in inp.schema)) return kept; // const/enum: compareValues
  const wanted = [...accepted].join(' or ');
  const rejected = candidates.filter((t) => !typeAccepted(accepted, t));
  if (kept.size === 0) findings.push(certain(finding('incompatible', `type: the output is ${candidates.join(' or ')}, the input must be ${wanted}`, out, inp, 'type', 'type')));
  else if (produced === null) findings.push(finding('incompatible', `type: the output does not declare a type (any value), the input must be ${wanted}`, out, inp, '', 'type'));
  else if (rejected.length > 0) findings.push(finding('incompatible', `type: the output may be ${rejected.join(' or ')}, the input must be ${wanted}`, out, inp, 'type', 'type'));
  return kept;
}

function certain(f: CompatibilityFinding): CompatibilityFinding {
  definite.add(f);
  return f;
}

/** True when no value of the output's declared types can satisfy `branch`'s types. */
function typesDisjoint(walk: Walk, out: Schema, branch: Side): boolean {
  const resolved = resolveRef(walk.inputRoot, branch);
  if ('problem' in resolved) return false;
  if (resolved.schema === false) return true;
  if (!isObject(resolved.schema)) return false;
  const produced = typesOf(out);
  const accepted = typesOf(resolved.schema);
  return produced !== null && accepted !== null && ![...produced].some((t) => typeAccepted(accepted, t));
}

/** The input's const/enum against what the output lists or leaves open. */
function compareValues(out: ObjectSide, inp: ObjectSide): CompatibilityFinding[] {
  const allowed = finiteValues(inp.schema);
  if (allowed === null) return [];
  const inKey = 'const' in inp.schema ? 'const' : 'enum';
  const produced = finiteValues(out.schema);
  if (produced !== null) {
    const outKey = 'const' in out.schema ? 'const' : 'enum';
    const missing = produced.filter((v) => !allowed.some((a) => isDeepStrictEqual(a, v)));
    if (missing.length === 0) return [];
    return [finding('incompatible', `${inKey}: the output may be ${missing.map((v) => JSON.stringify(v)).join(', ')}, which the input does not allow`, out, inp, outKey, inKey)];
  }
  const types = typesOf(out.schema);
  if (types?.size === 1 && types.has('boolean') && allowed.includes(true) && allowed.includes(false)) return [];
  if (types?.size === 1 && types.has('null') && allowed.includes(null)) return [];
  return [finding('incompatible', `${inKey}: the output is not limited to the input's ${allowed.length} allowed value(s)`, out, inp, '', inKey)];
}

function compareNumbers(out: ObjectSide, inp: ObjectSide, types: Set<JsonType>): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  const integerOnly = !types.has('number');
  const values = finiteValues(out.schema)?.filter((v): v is number => typeof v === 'number') ?? null;
  const checks: Array<[Bound | null, Bound | null, 'minimum' | 'maximum']> = [
    [lowerBound(inp.schema, false), lowerBound(out.schema, integerOnly, values), 'minimum'],
    [upperBound(inp.schema, false), upperBound(out.schema, integerOnly, values), 'maximum'],
  ];
  for (const [need, have, side] of checks) {
    if (need === null) continue;
    const inKey = need.keyword;
    if (have === null) findings.push(finding('incompatible', `${inKey}: the output has no ${side}; the input needs ${need.exclusive ? (side === 'minimum' ? '>' : '<') : side === 'minimum' ? '>=' : '<='} ${need.value}`, out, inp, '', inKey));
    else if (!within(have, need, side)) findings.push(finding('incompatible', `${inKey}: the output's ${side} ${have.value}${have.exclusive ? ' (exclusive)' : ''} is outside the input's ${need.value}${need.exclusive ? ' (exclusive)' : ''}`, out, inp, have.keyword, inKey));
  }
  const multipleOf = inp.schema['multipleOf'];
  if (typeof multipleOf === 'number' && !isMultipleProven(out.schema, multipleOf, integerOnly, values)) {
    findings.push(finding('cannot-prove', `multipleOf: the output is not shown to be a multiple of ${multipleOf}`, out, inp, '', 'multipleOf'));
  }
  return findings;
}

function within(have: Bound, need: Bound, side: 'minimum' | 'maximum'): boolean {
  const beyond = side === 'minimum' ? have.value > need.value : have.value < need.value;
  return beyond || (have.value === need.value && (!need.exclusive || have.exclusive));
}

function isMultipleProven(out: Schema, divisor: number, integerOnly: boolean, values: number[] | null): boolean {
  const isMultiple = (n: number): boolean => Number.isInteger(n / divisor);
  if (values !== null) return values.every(isMultiple);
  const own = out['multipleOf'];
  if (typeof own === 'number' && isMultiple(own)) return true;
  return integerOnly && Number.isInteger(1 / divisor);
}

function compareStrings(out: ObjectSide, inp: ObjectSide): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  const values = finiteValues(out.schema)?.filter((v): v is string => typeof v === 'string') ?? null;
  const lengths = values?.map((v) => [...v].length) ?? null;
  findings.push(...compareCount(out, inp, 'minLength', 'maxLength', lengths, 'characters'));
  for (const keyword of ['pattern', 'format'] as const) {
    const wanted = inp.schema[keyword];
    if (wanted === undefined || wanted === out.schema[keyword]) continue;
    findings.push(finding('cannot-prove', `${keyword}: the output is not shown to match ${JSON.stringify(wanted)}`, out, inp, out.schema[keyword] === undefined ? '' : keyword, keyword));
  }
  return findings;
}

/** minLength/maxLength, minItems/maxItems: the output's own bounds must sit inside the input's. */
function compareCount(out: ObjectSide, inp: ObjectSide, minKey: string, maxKey: string, known: number[] | null, unit: string): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  const have = (key: string, pick: (xs: number[]) => number): number | null => {
    if (known !== null && known.length > 0) return pick(known);
    const v = out.schema[key];
    return typeof v === 'number' ? v : null;
  };
  const needMin = inp.schema[minKey];
  if (typeof needMin === 'number' && needMin > 0) {
    const min = have(minKey, (xs) => Math.min(...xs));
    if (min === null || min < needMin) findings.push(finding('incompatible', `${minKey}: the output may have ${min ?? 0} ${unit}; the input needs at least ${needMin}`, out, inp, min === null ? '' : minKey, minKey));
  }
  const needMax = inp.schema[maxKey];
  if (typeof needMax === 'number') {
    const max = have(maxKey, (xs) => Math.max(...xs));
    if (max === null || max > needMax) findings.push(finding('incompatible', `${maxKey}: the output may have ${max === null ? 'any number of' : `${max}`} ${unit}; the input allows at most ${needMax}`, out, inp, max === null ? '' : maxKey, maxKey));
  }
  return findings;
}

function compareArrays(walk: Walk, out: ObjectSide, inp: ObjectSide): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  const items = inp.schema['items'];
  if (Array.isArray(items)) findings.push(finding('cannot-prove', 'items: tuple forms are not compared statically', out, inp, '', 'items'));
  else if (items !== undefined) {
    const produced = out.schema['items'];
    if (Array.isArray(produced) || 'prefixItems' in out.schema) findings.push(finding('cannot-prove', 'items: the output uses a tuple form', out, inp, 'items', 'items'));
    else findings.push(...compare(walk, { schema: produced ?? true, at: pointer(out.at, 'items') }, { schema: items, at: pointer(inp.at, 'items') }));
  }
  findings.push(...compareCount(out, inp, 'minItems', 'maxItems', null, 'items'));
  if (inp.schema['uniqueItems'] === true && out.schema['uniqueItems'] !== true) {
    const maxItems = out.schema['maxItems'];
    if (!(typeof maxItems === 'number' && maxItems < 2)) findings.push(finding('incompatible', 'uniqueItems: the output may repeat an item; the input requires unique items', out, inp, '', 'uniqueItems'));
  }
  return findings;
}

function compareProperties(walk: Walk, out: ObjectSide, inp: ObjectSide): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  const pProps = isObject(out.schema['properties']) ? out.schema['properties'] : {};
  const cProps = isObject(inp.schema['properties']) ? inp.schema['properties'] : {};
  const pRequired = new Set(Array.isArray(out.schema['required']) ? out.schema['required'] : []);
  const pExtra = out.schema['additionalProperties'] ?? true;
  const cExtra = inp.schema['additionalProperties'] ?? true;
  findings.push(...compareRequired(out, inp, pProps, pRequired, pExtra));
  for (const [name, want] of Object.entries(cProps)) {
    const inSide = { schema: want, at: pointer(inp.at, 'properties', name) };
    if (Object.hasOwn(pProps, name)) findings.push(...compare(walk, { schema: pProps[name], at: pointer(out.at, 'properties', name) }, inSide));
    else if (pExtra === false) continue;
    else if (isObject(pExtra)) findings.push(...compare(walk, { schema: pExtra, at: pointer(out.at, 'additionalProperties') }, inSide));
    else if (!accepts(want)) findings.push(finding('cannot-prove', `properties: the output is open (additionalProperties is not false) and may carry \`${name}\` with any value`, out, inp, '', ['properties', name]));
  }
  for (const [name, have] of Object.entries(pProps)) {
    if (Object.hasOwn(cProps, name)) continue;
    const outSide = { schema: have, at: pointer(out.at, 'properties', name) };
    if (cExtra === false) findings.push(finding('incompatible', `additionalProperties: the output produces \`${name}\`, which the input's closed schema rejects`, outSide, inp, '', 'additionalProperties'));
    else if (isObject(cExtra)) findings.push(...compare(walk, outSide, { schema: cExtra, at: pointer(inp.at, 'additionalProperties') }));
  }
  if (isObject(pExtra) && !accepts(pExtra) && cExtra !== true) findings.push(...compare(walk, { schema: pExtra, at: pointer(out.at, 'additionalProperties') }, { schema: cExtra, at: pointer(inp.at, 'additionalProperties') }));
  else if (cExtra !== true && !accepts(cExtra) && pExtra !== false) findings.push(finding('cannot-prove', 'additionalProperties: the output is open and may carry properties the input restricts', out, inp, '', 'additionalProperties'));
  const minProperties = inp.schema['minProperties'];
  if (typeof minProperties === 'number' && pRequired.size < minProperties) findings.push(finding('cannot-prove', `minProperties: the output requires only ${pRequired.size} properties`, out, inp, '', 'minProperties'));
  return findings;
}

function compareRequired(out: ObjectSide, inp: ObjectSide, pProps: Schema, pRequired: Set<unknown>, pExtra: unknown): CompatibilityFinding[] {
  const required = Array.isArray(inp.schema['required']) ? inp.schema['required'] : [];
  const findings: CompatibilityFinding[] = [];
  for (const name of required) {
    if (typeof name !== 'string' || pRequired.has(name)) continue;
    const declared = Object.hasOwn(pProps, name);
    const never = !declared && pExtra === false;
    const message = never ? `required: the input requires \`${name}\`, which the output never produces` : `required: the input requires \`${name}\`, which the output may omit (it is not in the output's required)`;
    findings.push(finding('incompatible', message, out, inp, declared ? ['properties', name] : 'required', 'required'));
  }
  return findings;
}
