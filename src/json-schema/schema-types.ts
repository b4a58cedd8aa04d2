import type { compile as compileSchema } from 'json-schema-to-typescript';
import { UserError } from '../models/errors.js';
import type { ToolSpec } from '../models/index.js';

type CompileSchema = Parameters<typeof compileSchema>[0];
type CompileOptions = NonNullable<Parameters<typeof compileSchema>[2]>;
type SchemaRecord = Record<string, unknown>;

/**
 * The two names callers rely on, plus the wrapper that lets one compile call see both
 * schemas (so json-schema-to-typescript de-duplicates nested names across them).
 */
const INPUT_NAME = 'Input';
const OUTPUT_NAME = 'Output';
const WRAPPER_NAME = 'ToolsmithSpecTypes';
/** A private keyword marking the roots; `customName` reads it to pin their names. */
const ROOT_MARK = 'x-toolsmith-root';

/** Keywords whose value is a map of name -> schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies']);
/** Keywords whose value is a schema or an array of schemas. */
const SCHEMA_VALUES = new Set([
  'items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
  'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'allOf', 'anyOf', 'oneOf', 'prefixItems',
]);
/**
 * json-schema-to-typescript extensions that paste raw TypeScript (`tsType`) or emit runtime
 * enums (`tsEnumNames`). The types are inlined into index.ts, which runs, so a spec must
 * not be able to inject code through them; they are not JSON Schema anyway.
 */
const INJECTING_KEYWORDS = new Set(['tsType', 'tsEnumNames']);

/**
 * Options, decided once:
 * - `additionalProperties: false` (the default when a schema does not say): the types
 *   describe the declared contract, so a typo like `input.nmae` or an undeclared output
 *   key is a type error. A schema that sets `additionalProperties` explicitly still gets
 *   an index signature, so nothing it allows is rejected.
 * - `strictIndexSignatures`: index signatures read as `T | undefined` under strict mode.
 * - `format: false` and no banner: faster (no prettier) and byte-for-byte deterministic.
 * - external `$ref`s are never fetched: generation must not touch the network or disk.
 */
const COMPILE_OPTIONS: Partial<CompileOptions> = {
  bannerComment: '',
  format: false,
  additionalProperties: false,
  strictIndexSignatures: true,
  unknownAny: true,
  $refOptions: { resolve: { external: false } },
  customName: (schema, keyNameFromDefinition) => pinnedName(schema, keyNameFromDefinition),
};

/**
 * TypeScript source declaring `export interface Input` and `export interface Output` (or
 * type aliases for non-object schemas) from a spec's schemas; nested named schemas become
 * further exported declarations whose names never clash with those two.
 * @throws UserError when a schema uses a non-local `$ref` or cannot be compiled.
 */
export async function generateSpecTypes(spec: Pick<ToolSpec, 'input_schema' | 'output_schema'>): Promise<string> {
  // Lazy: the compiler pulls in prettier and a ref parser (~50 ms) that start-up must not pay.
  const { compile } = await import('json-schema-to-typescript');
  const wrapper = createWrapperSchema(spec);
  let source: string;
  try {
    // Safe: the wrapper is a plain JSON object shaped like a JSON Schema (built above).
    source = await compile(wrapper as CompileSchema, WRAPPER_NAME, COMPILE_OPTIONS);
  } catch (error) {
    throw new UserError(
      `cannot generate types from the spec's schemas: ${error instanceof Error ? error.message : String(error)}`,
      'check input_schema and output_schema; only local $refs (#/...) are supported',
    );
  }
  return indentDeclarations(stripWrapper(source));
}

function createWrapperSchema(spec: Pick<ToolSpec, 'input_schema' | 'output_schema'>): SchemaRecord {
  return {
    [ROOT_MARK]: WRAPPER_NAME,
    type: 'object',
    properties: {
      input: { ...prepareSchema(spec.input_schema, '/properties/input', 'input_schema'), [ROOT_MARK]: INPUT_NAME },
      output: { ...prepareSchema(spec.output_schema, '/properties/output', 'output_schema'), [ROOT_MARK]: OUTPUT_NAME },
    },
    required: ['input', 'output'],
    additionalProperties: false,
  };
}

/**
 * Copies a schema for embedding under `pointer` in the wrapper: local `$ref`s are re-rooted
 * (`#/definitions/x` -> `#/properties/input/definitions/x`) and injecting keywords dropped.
 * Data keywords (`enum`, `const`, `default`, `examples`, unknown ones) are copied verbatim.
 */
function prepareSchema(schema: unknown, pointer: string, label: string): SchemaRecord {
  if (!isRecord(schema)) return {};
  const copy: SchemaRecord = {};
  for (const [key, value] of Object.entries(schema)) {
    if (INJECTING_KEYWORDS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') copy[key] = rerootRef(value, pointer, label);
    else if (SCHEMA_MAPS.has(key) && isRecord(value)) copy[key] = mapValues(value, (v) => prepareNested(v, pointer, label));
    else if (SCHEMA_VALUES.has(key)) copy[key] = prepareNested(value, pointer, label);
    else copy[key] = value;
  }
  // A schema that constrains nothing about the shape (e.g. only a description) accepts any
  // JSON value; without this json-schema-to-typescript would type it as an object.
  if (!SHAPE_KEYWORDS.some((k) => k in copy)) copy['tsType'] = 'unknown';
  return copy;
}

const SHAPE_KEYWORDS = ['type', 'properties', 'items', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf', 'additionalProperties', 'patternProperties', 'required'];

function prepareNested(value: unknown, pointer: string, label: string): unknown {
  if (Array.isArray(value)) return value.map((item) => prepareNested(item, pointer, label));
  // `dependencies` may hold string arrays and `additionalProperties` a boolean: keep those.
  return isRecord(value) ? prepareSchema(value, pointer, label) : value;
}

function rerootRef(ref: string, pointer: string, label: string): string {
  if (ref === '#' || ref.startsWith('#/')) return `#${pointer}${ref.slice(1)}`;
  throw new UserError(
    `${label}: unsupported $ref "${ref}"`,
    'only local JSON-pointer refs (#/definitions/...) are supported; inline external schemas',
  );
}

/**
 * The roots get their fixed names; a nested schema whose title, $id or definition key
 * would produce `Input`/`Output` is renamed `<name>Type` so the roots keep theirs (the
 * library hands out names first come, first served, and nested input types come first).
 */
function pinnedName(schema: SchemaRecord, keyNameFromDefinition: string | undefined): string | undefined {
  const root = schema[ROOT_MARK];
  if (typeof root === 'string') return root;
  // The library's own order of preference: title, then $id, then the definition key.
  const candidates = [schema['title'], schema['$id'], keyNameFromDefinition];
  const name = candidates.find((c): c is string => typeof c === 'string' && c !== '');
  if (name !== undefined && isReservedName(name)) return `${name}Type`;
  return undefined;
}

function isReservedName(name: string): boolean {
  const normalized = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return [INPUT_NAME, OUTPUT_NAME, WRAPPER_NAME].some((reserved) => reserved.toLowerCase() === normalized);
}

/** Removes the wrapper interface, always emitted first, which only existed to share names. */
function stripWrapper(source: string): string {
  const head = `export interface ${WRAPPER_NAME} {\n`;
  if (!source.startsWith(head)) throw new Error(`generateSpecTypes: unexpected compiler output:\n${source}`);
  // A line that is exactly `}` cannot occur inside the wrapper: its members are one-line
  // `input: Input` / `output: Output` (comments are ` * ` prefixed).
  const end = source.indexOf('\n}\n', head.length - 1);
  if (end === -1) throw new Error(`generateSpecTypes: unterminated wrapper interface:\n${source}`);
  return `${source.slice(end + 3).trim()}\n`;
}

/**
 * `format: false` skips prettier (the slow part) but leaves every line flush left; these
 * declarations are pasted into a file people edit, so indent by bracket depth. Lines of
 * the library's output open or close at most one bracket at their ends (`a?: {`, `}[]`,
 * `} | {`), and comment lines (` * ...`) never count.
 */
function indentDeclarations(source: string): string {
  let depth = 0;
  const lines = source.split('\n').map((raw) => {
    const line = raw.trim();
    const isComment = line.startsWith('/*') || line.startsWith('*');
    if (!isComment && /^[}\])]/.test(line)) depth = Math.max(0, depth - 1);
    const indented = line === '' ? '' : '  '.repeat(depth) + (line.startsWith('*') ? ` ${line}` : line);
    if (!isComment && /[{[(]$/.test(line)) depth++;
    return indented;
  });
  return lines.join('\n');
}

function mapValues(record: SchemaRecord, fn: (value: unknown) => unknown): SchemaRecord {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

function isRecord(value: unknown): value is SchemaRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
