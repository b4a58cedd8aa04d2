import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSpecTypes } from '../../src/json-schema/schema-types.js';
import { typecheckTool } from '../../src/ast/typecheck.js';
import { createExampleValue, templateBackend, toFunctionName } from '../../src/generate/template-backend.js';
import { UserError } from '../../src/models/errors.js';
import { TestCases, ToolSpec } from '../../src/models/index.js';
import type { ToolSpecInput } from '../../src/models/index.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

function createSpec(overrides: Partial<ToolSpecInput> = {}): ToolSpec {
  return ToolSpec.parse({
    tool_name: 'celsius_table',
    description: 'Builds a table of Celsius to Fahrenheit conversions.',
    when_to_use: 'When a user needs several temperatures converted at once.',
    what_it_does: 'Converts each value from Celsius to Fahrenheit.',
    returns: 'One row per input value.',
    prerequisites: 'None',
    input_schema: {
      type: 'object',
      properties: {
        values: { type: 'array', items: { type: 'number' }, minItems: 1 },
        precision: { type: 'integer', minimum: 0, maximum: 4, default: 1 },
        unit: { type: 'string', enum: ['C', 'K'] },
        note: { type: 'string' },
      },
      required: ['values', 'precision', 'unit'],
      additionalProperties: false,
    },
    output_schema: {
      type: 'object',
      properties: {
        rows: {
          type: 'array',
          items: { type: 'object', properties: { c: { type: 'number' }, f: { type: 'number' } }, required: ['c', 'f'] },
        },
        generated_at: { type: 'string', format: 'date-time' },
      },
      required: ['rows', 'generated_at'],
    },
    ...overrides,
  });
}

function generate(spec: ToolSpec, options: { samples?: number; templateName?: string; templatesDir?: string } = {}) {
  return templateBackend.generate({
    spec,
    samples: options.samples ?? 1,
    templatesDir: options.templatesDir ?? TEMPLATES_DIR,
    templateName: options.templateName ?? 'default',
  });
}

const temporaryDirs: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function createTemplatesDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'toolsmith-templates-'));
  temporaryDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

describe('templateBackend', () => {
  it('renders a skeleton that type-checks against the spec types and a schema-valid first test', async () => {
    const spec = createSpec();
    const generated = await generate(spec);

    expect(generated.createdBy).toBe('template:default');
    expect(Object.keys(generated.files).sort()).toEqual(['index.ts', 'tests.json']);
    const index = generated.files['index.ts'] ?? '';
    expect(index).toContain('export default async function celsiusTable(input: Input): Promise<Output> {');
    expect(index).toContain('throw new Error("not implemented: celsius_table");');
    expect(index).toContain(' * When to use: When a user needs several temperatures converted at once.');
    expect(typecheckTool({ index, types: await generateSpecTypes(spec) })).toEqual([]);

    const tests = TestCases.parse(JSON.parse(generated.files['tests.json'] ?? ''));
    expect(tests).toEqual([
      {
        name: 'example',
        input: { values: [0], precision: 1, unit: 'C' },
        expected: { rows: [], generated_at: '1970-01-01T00:00:00Z' },
      },
    ]);
    // No ajv-formats here: formats are not what this test is about.
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const [test] = tests;
    expect(ajv.validate(spec.input_schema, test?.input), ajv.errorsText()).toBe(true);
    expect(test !== undefined && 'expected' in test && ajv.validate(spec.output_schema, test.expected)).toBe(true);
  });

  it('is deterministic', async () => {
    const spec = createSpec();
    expect(await generate(spec)).toEqual(await generate(spec));
  });

  it('keeps spec text that contains */ or line breaks inside the header comment', async () => {
    const spec = createSpec({
      description: 'Ends the comment */ throw new Error("escaped"); /*',
      what_it_does: 'Line one.\nLine two */ still comment.',
    });
    const index = (await generate(spec)).files['index.ts'] ?? '';
    expect(index).toContain('Ends the comment *\\/ throw new Error("escaped"); /*');
    expect(index).toContain(' * What it does: Line one.\n * Line two *\\/ still comment.');
    // The header comment's first terminator is the template's own, after its last line.
    expect(index.indexOf('*/')).toBeGreaterThan(index.indexOf('toolsmith validate'));
    expect(typecheckTool({ index, types: await generateSpecTypes(spec) })).toEqual([]);
  });

  it('writes samples/2.ts ... samples/N.ts as copies of the skeleton', async () => {
    const generated = await generate(createSpec(), { samples: 3 });
    expect(Object.keys(generated.files).sort()).toEqual(['index.ts', 'samples/2.ts', 'samples/3.ts', 'tests.json']);
    expect(generated.files['samples/2.ts']).toBe(generated.files['index.ts']);
    expect(generated.files['samples/3.ts']).toBe(generated.files['index.ts']);
  });

  it('refuses a sample count below 1', async () => {
    await expect(generate(createSpec(), { samples: 0 })).rejects.toThrow(UserError);
  });

  it('names the available templates when the template is unknown', async () => {
    const error: unknown = await generate(createSpec(), { templateName: 'fancy' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ message: 'unknown template "fancy"', hint: 'available templates: default' });
  });

  it('treats a template name that is a path as unknown', async () => {
    await expect(generate(createSpec(), { templateName: '../templates/default' })).rejects.toThrow(/unknown template/);
  });

  it('gives a reserved tool name a usable function name', async () => {
    const spec = createSpec({ tool_name: 'delete' });
    const index = (await generate(spec)).files['index.ts'] ?? '';
    expect(index).toContain('function deleteTool(');
    expect(typecheckTool({ index, types: await generateSpecTypes(spec) })).toEqual([]);
  });

  it('renders reference.ts when a template ships one, and rejects unknown placeholders', async () => {
    const good = await createTemplatesDir({
      'mini/index.ts.tmpl': 'export default function {{function_name}}() { return {}; }\n',
      'mini/tests.json.tmpl': '[{ "name": "t", "input": {{example_input|json}}, "expected": {} }]\n',
      'mini/reference.ts.tmpl': '// reference for {{tool_name}}\n',
      'broken/index.ts.tmpl': '{{nope}}\n',
      'broken/tests.json.tmpl': '[]\n',
    });
    const generated = await generate(createSpec(), { templatesDir: good, templateName: 'mini' });
    expect(generated.files['reference.ts']).toBe('// reference for celsius_table\n');
    expect(generated.createdBy).toBe('template:mini');
    await expect(generate(createSpec(), { templatesDir: good, templateName: 'broken' })).rejects.toThrow(
      /unknown placeholder \{\{nope\}\}/,
    );
  });

  it('reports a template whose tests.json is not a valid test list', async () => {
    const dir = await createTemplatesDir({ 'empty/index.ts.tmpl': 'x\n', 'empty/tests.json.tmpl': '[]\n' });
    await expect(generate(createSpec(), { templatesDir: dir, templateName: 'empty' })).rejects.toThrow(
      /renders an invalid tests.json/,
    );
  });
});

describe('createExampleValue', () => {
  it.each([
    ['const', { type: 'string', const: 'fixed', default: 'other' }, 'fixed'],
    ['examples[0]', { type: 'string', examples: ['first', 'second'], default: 'd' }, 'first'],
    ['default', { type: 'integer', default: 7 }, 7],
    ['enum[0]', { type: 'string', enum: ['a', 'b'] }, 'a'],
    ['string', { type: 'string' }, ''],
    ['string minLength', { type: 'string', minLength: 3 }, 'xxx'],
    ['string format', { type: 'string', format: 'email' }, 'user@example.com'],
    ['number', { type: 'number' }, 0],
    ['number minimum', { type: 'number', minimum: 2.5 }, 2.5],
    ['integer exclusiveMinimum', { type: 'integer', exclusiveMinimum: 0 }, 1],
    ['number maximum', { type: 'number', maximum: -1 }, -1],
    ['boolean', { type: 'boolean' }, false],
    ['nullable', { type: ['null', 'string'] }, ''],
    ['array', { type: 'array', items: { type: 'string' } }, []],
    ['array minItems', { type: 'array', items: { type: 'boolean' }, minItems: 2 }, [false, false]],
    ['anyOf', { type: 'object', anyOf: [{ type: 'string' }, { type: 'number' }] }, ''],
    [
      'object: required properties only, recursively',
      {
        type: 'object',
        properties: { a: { type: 'object', properties: { b: { type: 'number' }, c: { type: 'string' } }, required: ['b'] }, d: { type: 'string' } },
        required: ['a'],
      },
      { a: { b: 0 } },
    ],
    [
      'local $ref',
      { type: 'object', properties: { p: { $ref: '#/definitions/P' } }, required: ['p'], definitions: { P: { type: 'string', default: 'x' } } },
      { p: 'x' },
    ],
    [
      'allOf merges object parts',
      { type: 'object', allOf: [{ properties: { a: { type: 'number' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } }, required: ['b'] }] },
      { a: 0, b: false },
    ],
  ])('%s', (_name, schema, expected) => {
    expect(createExampleValue(schema)).toEqual(expected);
  });

  it('stops on a schema that requires itself', () => {
    const schema = { type: 'object', properties: { self: { $ref: '#' } }, required: ['self'] };
    expect(() => createExampleValue(schema)).not.toThrow();
  });
});

describe('toFunctionName', () => {
  it.each([
    ['celsius_table', 'celsiusTable'],
    ['a', 'a'],
    ['get_v2_data', 'getV2Data'],
    ['trailing_', 'trailing'],
    ['class', 'classTool'],
  ])('%s -> %s', (toolName, functionName) => {
    expect(toFunctionName(toolName)).toBe(functionName);
  });
});
