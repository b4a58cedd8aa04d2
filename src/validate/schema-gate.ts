import type { z } from 'zod';
import { ToolSpec, TestCases } from '../models/index.js';
import type { TestCase } from '../models/index.js';
import { formatZodIssues } from '../models/format-issues.js';
import { compileSchema } from '../json-schema/compile-schema.js';
import { summarizeAjvErrors, validateWithin, type StandaloneValidator } from '../json-schema/standalone-runtime.js';
import { measureDepth } from '../runner/measure-depth.js';
import type { CandidateSnapshot } from './read-candidate.js';

export interface SchemaGateResult {
  ok: boolean;
  errors: string[];
  spec: ToolSpec | null;
  tests: TestCase[];
  /** Whether both schemas are usable tool schemas: typecheck and tests need them. */
  schemasUsable: boolean;
}

/** Parses a JSON file of the package, recording a problem instead of throwing. */
function parseJson(candidate: Pick<CandidateSnapshot, 'text'>, name: string, errors: string[]): unknown {
  const text = candidate.text(name);
  if (text === null) {
    errors.push(`${name}: missing (${name === 'spec.json' ? 'the tool spec' : 'the test cases'})`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** How deep a test's input or expected value may nest: the runner's limit on inputs and results. */
const MAX_TEST_DEPTH = 1_000;

/**
 * The schema gate (SPEC 7): the spec passes its zod schema, both JSON Schemas compile in
 * ajv strict mode, every test input matches input_schema and every `expected` output_schema.
 * tests.json and the schemas are the candidate's to choose, so checking them is bounded:
 * patterns run on RE2, and all the checks together get `timeoutMs` (the sandbox's time limit).
 */
export function checkSchemaGate(candidate: Pick<CandidateSnapshot, 'text'>, timeoutMs = 10_000): SchemaGateResult {
  const errors: string[] = [];
  const rawSpec = parseJson(candidate, 'spec.json', errors);
  const rawTests = parseJson(candidate, 'tests.json', errors);
  const spec = rawSpec === undefined ? null : parseOr(ToolSpec, rawSpec, 'spec.json', errors);
  const tests = rawTests === undefined ? null : parseOr(TestCases, rawTests, 'tests.json', errors);
  const schemaProblems = spec ? checkToolSchemas(spec) : [];
  errors.push(...schemaProblems.map((p) => `spec.json: ${p}`));
  const schemasUsable = spec !== null && schemaProblems.length === 0;
  if (spec && tests && schemasUsable) errors.push(...checkTestsAgainstSchemas(spec, tests, timeoutMs));
  return { ok: errors.length === 0, errors, spec, tests: tests ?? [], schemasUsable };
}

function parseOr<S extends z.ZodType>(schema: S, raw: unknown, file: string, errors: string[]): z.infer<S> | null {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  errors.push(`${file}: ${formatZodIssues(parsed.error.issues)}`);
  return null;
}

function checkTestsAgainstSchemas(spec: ToolSpec, tests: TestCase[], timeoutMs: number): string[] {
  const errors: string[] = [];
  const validateInput = compileSchema(spec.input_schema);
  const validateOutput = compileSchema(spec.output_schema);
  const deadline = performance.now() + timeoutMs;
  const check = (validate: StandaloneValidator, value: unknown, what: string, test: TestCase, schema: string): boolean => {
    if (measureDepth(value, MAX_TEST_DEPTH) > MAX_TEST_DEPTH) {
      errors.push(`tests.json "${test.name}": ${what} nests deeper than ${MAX_TEST_DEPTH} levels`);
      return true;
    }
    const result = validateWithin(validate, value, deadline - performance.now());
    if (result.status === 'timeout') {
      errors.push(`tests.json: checking the tests against the schemas did not finish within ${timeoutMs} ms (sandbox.timeout_ms); stopped at "${test.name}"`);
      return false;
    }
    if (result.status === 'invalid') errors.push(`tests.json "${test.name}": ${what} does not match ${schema}: ${summarizeAjvErrors(result.errors, what).join('; ')}`);
    return true;
  };
  for (const test of tests) {
    // A test expecting a ValidationError exists to feed an input that breaks input_schema.
    const expectsInputError = 'expect_error' in test && test.expect_error === 'ValidationError';
    if (!expectsInputError && !check(validateInput, test.input, 'input', test, 'input_schema')) break;
    if ('expected' in test && !check(validateOutput, test.expected, 'expected', test, 'output_schema')) break;
  }
  return errors;
}

/** The JSON Schema types a `type` keyword may name. */
const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
/** Keywords whose value is a schema or an array of schemas, and those holding a map of name -> schema. */
const SUBSCHEMA_KEYWORDS = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies']);
/** At most this many problems per schema: the first ones say what to fix. */
const MAX_PROBLEMS = 5;

/**
 * Checks that a spec's input_schema and output_schema are usable tool schemas: each a JSON
 * Schema whose root `type` is "object" (a tool takes and returns an object) and that compiles
 * with ajv in strict mode (so a bad keyword value, an unknown keyword or format is an error,
 * not a crash later). Returns one line per problem, naming where it is as a dotted path from
 * the spec (`input_schema.properties.text.minLength must be integer (got "x")`); empty when usable.
 */
export function checkToolSchemas(spec: { input_schema: unknown; output_schema: unknown }): string[] {
  return [...checkToolSchema(spec.input_schema, 'input_schema'), ...checkToolSchema(spec.output_schema, 'output_schema')];
}

/** checkToolSchemas for one schema; `root` names it in the messages. */
export function checkToolSchema(schema: unknown, root: string): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [`${root} must be a JSON Schema object (got ${describeValue(schema)})`];
  const type = (schema as Record<string, unknown>)['type']; // safe: a JSON Schema object, read through its keys
  if (type !== 'object') return [`${root}.type must be "object" (got ${describeValue(type)}): a tool takes and returns a JSON object`];
  try {
    compileSchema(schema);
    return [];
  } catch (error) {
    return explainSchemaError(error instanceof Error ? error.message : String(error), schema, root).slice(0, MAX_PROBLEMS);
  }
}

/** Turns ajv's compile error into lines that name the path in the spec and the value found there. */
function explainSchemaError(message: string, schema: object, root: string): string[] {
  const invalid = /^schema is invalid: (.*)$/s.exec(message);
  if (invalid?.[1] !== undefined) {
    // ajv lists every failed meta-schema check as `data/<pointer> <message>`, comma-separated; keep the first per path.
    const byPath = new Map<string, string>();
    for (const part of invalid[1].split(/, (?=data\b)/)) {
      const m = /^data(\S*) (.*)$/s.exec(part);
      if (!m) continue;
      const pointer = m[1] ?? '';
      if (!byPath.has(pointer)) byPath.set(pointer, m[2] ?? '');
    }
    return [...byPath].map(([pointer, problem]) => {
      const value = valueAt(schema, pointer);
      const text = pointer.endsWith('/type') ? `must be a JSON Schema type (${JSON_TYPES.join(', ')})` : problem;
      return `${dotted(root, pointer)} ${text} (got ${describeValue(value)})`;
    });
  }
  const keyword = /^strict mode: unknown keyword: "(.*)"$/.exec(message)?.[1];
  if (keyword !== undefined) {
    const found = findKeyword(schema, keyword, '');
    return (found.length > 0 ? found : ['']).map((pointer) => `${dotted(root, pointer)}${pointer ? '' : `.${keyword}`}: unknown keyword (schemas are compiled in strict mode: only JSON Schema keywords)`);
  }
  const format = /^unknown format "(.*)" ignored in schema at path "#(.*)"$/.exec(message);
  if (format) return [`${dotted(root, `${format[2] ?? ''}/format`)}: unknown format "${format[1] ?? ''}" (known: date, time, date-time, email, uri, uuid, ipv4, ipv6, regex, ...)`];
  const at = /at (?:path )?"#(\/[^"]*)?"/.exec(message);
  return [`${dotted(root, at?.[1] ?? '')}: ${message.replace(/^strict mode: /, '')}`];
}

/** `input_schema` + `/properties/a~1b` -> `input_schema.properties.a/b`. */
function dotted(root: string, pointer: string): string {
  return root + pointer.split('/').slice(1).map((seg) => `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`).join('');
}

function valueAt(schema: unknown, pointer: string): unknown {
  let value = schema;
  for (const seg of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')]; // safe: a JSON object at this step of the pointer, read through its keys
  }
  return value;
}

/** The pointers of every place a keyword appears as a keyword of a (sub)schema. */
function findKeyword(schema: unknown, keyword: string, pointer: string): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === keyword) found.push(at);
    if (SUBSCHEMA_KEYWORDS.has(key)) {
      if (Array.isArray(value)) value.forEach((item, i) => found.push(...findKeyword(item, keyword, `${at}/${i}`)));
      else found.push(...findKeyword(value, keyword, at));
    } else if (SCHEMA_MAP_KEYWORDS.has(key) && typeof value === 'object' && value !== null) {
      for (const [name, sub] of Object.entries(value)) found.push(...findKeyword(sub, keyword, `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`));
    }
  }
  return found;
}

/** A user's value as they wrote it, shortened: `"x"`, `5`, `["object","null"]`, `nothing`. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
