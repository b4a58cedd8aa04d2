import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateSpecTypes } from '../json-schema/schema-types.js';
import { UserError } from '../models/errors.js';
import { TestCases } from '../models/index.js';
import type { JsonSchemaObject, ToolSpec } from '../models/index.js';
import type { GeneratedPackage, GenerateRequest, GeneratorBackend } from './backend.js';
import { renderTemplate } from './render-template.js';
import type { TemplateValues } from './render-template.js';

/** Template files: output name -> whether the template must ship it. */
const TEMPLATE_FILES = { 'index.ts': true, 'tests.json': true, 'reference.ts': false } as const;
/** A template name is a plain folder name, never a path (`../x` must not escape templatesDir). */
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Deep enough for real schemas, shallow enough that a recursive `$ref` cannot loop forever. */
const MAX_EXAMPLE_DEPTH = 12;

/** The template backend: deterministic typed skeletons rendered from `templates/<name>/`. */
export const templateBackend: GeneratorBackend = {
  name: 'template',
  generate: generateFromTemplate,
};

/**
 * Renders a DRAFT package from a template: a typed skeleton index.ts that type-checks but
 * fails its test, and a first test case built from the schemas.
 * @throws UserError for an unknown template, a bad sample count or unusable schemas.
 */
export async function generateFromTemplate(request: GenerateRequest): Promise<GeneratedPackage> {
  assertSampleCount(request.samples);
  const templateDir = await resolveTemplateDir(request.templatesDir, request.templateName);
  const label = `"${request.templateName}"`;
  const values = createTemplateValues(request.spec, await generateSpecTypes(request.spec), request.templateName);
  const files: Record<string, string> = {};
  for (const [output, required] of Object.entries(TEMPLATE_FILES)) {
    const template = await readTemplate(templateDir, `${output}.tmpl`, required);
    if (template !== undefined) files[output] = ensureTrailingNewline(renderTemplate(template, values, label));
  }
  assertTestsJson(files['tests.json'] ?? '', label);
  // The template backend has no randomness: every sample is the same skeleton. Samples
  // exist so pass@k has n files; an LLM backend fills them with different attempts.
  for (let n = 2; n <= request.samples; n++) files[`samples/${n}.ts`] = files['index.ts'] ?? '';
  return { files, createdBy: `template:${request.templateName}` };
}

/** The names of the templates in `templatesDir`: folders that hold an index.ts.tmpl. */
export async function listTemplates(templatesDir: string): Promise<string[]> {
  const entries = await readdir(templatesDir, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await isFile(path.join(templatesDir, entry.name, 'index.ts.tmpl')))) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

function assertSampleCount(samples: number): void {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new UserError(`--samples must be a whole number >= 1, got ${samples}`, 'e.g. --samples 3 (index.ts is sample 1)');
  }
}

async function resolveTemplateDir(templatesDir: string, name: string): Promise<string> {
  const dir = path.join(templatesDir, name);
  if (TEMPLATE_NAME.test(name) && (await isFile(path.join(dir, 'index.ts.tmpl')))) return dir;
  const available = await listTemplates(templatesDir);
  throw new UserError(
    `unknown template "${name}"`,
    available.length > 0 ? `available templates: ${available.join(', ')}` : `no templates found in ${templatesDir}`,
  );
}

async function readTemplate(dir: string, fileName: string, required: boolean): Promise<string | undefined> {
  const file = path.join(dir, fileName);
  if (await isFile(file)) return readFile(file, 'utf8');
  if (required) throw new UserError(`template ${path.basename(dir)} has no ${fileName}`, `add ${file}`);
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}

/** The spec's own words as template values: what the code templates and the prompts both show. */
export function specTextValues(spec: ToolSpec): TemplateValues {
  return {
    tool_name: spec.tool_name,
    function_name: toFunctionName(spec.tool_name),
    description: spec.description,
    when_to_use: spec.when_to_use,
    what_it_does: spec.what_it_does,
    returns: spec.returns,
    prerequisites: spec.prerequisites,
    permissions: spec.permissions.length > 0 ? spec.permissions.join(', ') : 'none',
  };
}

/** The placeholders every template can use (documented in templates/README.md). */
function createTemplateValues(spec: ToolSpec, types: string, templateName: string): TemplateValues {
  return {
    ...specTextValues(spec),
    created_by: `template:${templateName}`,
    types: types.trimEnd(),
    not_implemented: `not implemented: ${spec.tool_name}`,
    example_input: createExampleValue(spec.input_schema),
    example_expected: createExampleValue(spec.output_schema),
  };
}

/** Rendered tests.json must be a valid TestCases array, or the template is broken. */
function assertTestsJson(text: string, label: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`template ${label} renders tests.json that is not JSON: ${String(error)}`, `fix templates/${label.replace(/"/g, '')}/tests.json.tmpl`);
  }
  const result = TestCases.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(
      `template ${label} renders an invalid tests.json: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      'a tool takes and returns a JSON object: input_schema and output_schema need "type": "object"',
    );
  }
}

function ensureTrailingNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Words a function declaration cannot be named in strict-mode ESM. */
const RESERVED = new Set(
  ('arguments await break case catch class const continue debugger default delete do else enum eval export ' +
    'extends false finally for function if implements import in instanceof interface let new null package ' +
    'private protected public return static super switch this throw true try typeof var void while with yield')
    .split(' '),
);

/** `celsius_table` -> `celsiusTable`; a reserved word gets a `Tool` suffix (`delete` -> `deleteTool`). */
export function toFunctionName(toolName: string): string {
  const camel = toolName.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/_+$/, '');
  return RESERVED.has(camel) ? `${camel}Tool` : camel;
}

/**
 * An example value for a schema: its own `const`, `examples[0]`, `default` or `enum[0]`
 * when present, else a placeholder for its type that still satisfies the common bounds
 * (minLength, minimum, minItems, well-known formats) so the test input validates. Objects
 * get their required properties only.
 */
export function createExampleValue(schema: JsonSchemaObject): unknown {
  return exampleFor(schema, schema, 0);
}

function exampleFor(schema: unknown, root: JsonSchemaObject, depth: number): unknown {
  if (!isRecord(schema) || depth > MAX_EXAMPLE_DEPTH) return null;
  if (typeof schema['$ref'] === 'string') return exampleFor(resolveLocalRef(schema['$ref'], root), root, depth + 1);
  const given = givenExample(schema);
  if (given.found) return given.value;
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(branches) && branches.length > 0) return exampleFor(branches[0], root, depth + 1);
  if (Array.isArray(schema['allOf'])) return mergeExamples(schema, root, depth);
  switch (primaryType(schema)) {
    case 'string': return exampleString(schema);
    case 'number': return exampleNumber(schema, false);
    case 'integer': return exampleNumber(schema, true);
    case 'boolean': return false;
    case 'array': return exampleArray(schema, root, depth);
    case 'object': return exampleObject(schema, root, depth);
    default: return null;
  }
}

function givenExample(schema: Record<string, unknown>): { found: boolean; value?: unknown } {
  if ('const' in schema) return { found: true, value: schema['const'] };
  const examples = schema['examples'];
  if (Array.isArray(examples) && examples.length > 0) return { found: true, value: examples[0] };
  if ('default' in schema) return { found: true, value: schema['default'] };
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0) return { found: true, value: values[0] };
  return { found: false };
}

function primaryType(schema: Record<string, unknown>): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null') ?? 'null';
  if (isRecord(schema['properties'])) return 'object';
  return undefined;
}

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '1970-01-01T00:00:00Z',
  date: '1970-01-01',
  time: '00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uuid: '00000000-0000-0000-0000-000000000000',
};

function exampleString(schema: Record<string, unknown>): string {
  const format = typeof schema['format'] === 'string' ? FORMAT_EXAMPLES[schema['format']] : undefined;
  if (format !== undefined) return format;
  const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  return 'x'.repeat(minLength);
}

function exampleNumber(schema: Record<string, unknown>, integer: boolean): number {
  const min = bound(schema, 'minimum', 'exclusiveMinimum', 1);
  const max = bound(schema, 'maximum', 'exclusiveMaximum', -1);
  let value = 0;
  if (min !== undefined && value < min) value = integer ? Math.ceil(min) : min;
  if (max !== undefined && value > max) value = integer ? Math.floor(max) : max;
  return value;
}

/** An inclusive bound; an exclusive one (draft 6+ numeric form) is stepped inwards by 1. */
function bound(schema: Record<string, unknown>, inclusive: string, exclusive: string, step: number): number | undefined {
  const value = schema[inclusive];
  if (typeof value === 'number') return value;
  const strict = schema[exclusive];
  return typeof strict === 'number' ? strict + step : undefined;
}

function exampleArray(schema: Record<string, unknown>, root: JsonSchemaObject, depth: number): unknown[] {
  const tuple = schema['prefixItems'] ?? (Array.isArray(schema['items']) ? schema['items'] : undefined);
  if (Array.isArray(tuple)) return tuple.map((item) => exampleFor(item, root, depth + 1));
  const minItems = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
  return Array.from({ length: minItems }, () => exampleFor(schema['items'], root, depth + 1));
}

function exampleObject(schema: Record<string, unknown>, root: JsonSchemaObject, depth: number): Record<string, unknown> {
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  const result: Record<string, unknown> = {};
  for (const name of required) {
    if (typeof name === 'string') result[name] = exampleFor(properties[name] ?? {}, root, depth + 1);
  }
  return result;
}

/** `allOf`: the object parts are merged (the usual use); otherwise the first part wins. */
function mergeExamples(schema: Record<string, unknown>, root: JsonSchemaObject, depth: number): unknown {
  const { allOf, ...rest } = schema;
  const parts = [rest, ...(Array.isArray(allOf) ? allOf : [])].map((part) => exampleFor(part, root, depth + 1));
  const objects = parts.filter(isRecord);
  return objects.length > 0 ? Object.assign({}, ...objects) : (parts.find((p) => p !== null) ?? null);
}

function resolveLocalRef(ref: string, root: JsonSchemaObject): unknown {
  if (!ref.startsWith('#')) return undefined;
  const segments = ref.slice(1).split('/').filter((s) => s !== '');
  let node: unknown = root;
  for (const segment of segments) {
    const key = decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
