import { describe, expect, it } from 'vitest';
import { generateSpecTypes } from '../../src/json-schema/schema-types.js';
import { typecheckTool } from '../../src/ast/typecheck.js';
import { UserError } from '../../src/models/errors.js';

const EMPTY = { type: 'object', properties: {} };

describe('generateSpecTypes', () => {
  it('declares Input and Output with required and optional properties', async () => {
    const types = await generateSpecTypes({
      input_schema: {
        type: 'object',
        properties: { city: { type: 'string', description: 'the city' }, days: { type: 'integer' } },
        required: ['city'],
      },
      output_schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
    });
    expect(types).toBe(
      [
        'export interface Input {',
        '  /**',
        '   * the city',
        '   */',
        '  city: string',
        '  days?: number',
        '}',
        'export interface Output {',
        '  ok: boolean',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('types nested objects, arrays and enums', async () => {
    const types = await generateSpecTypes({
      input_schema: {
        type: 'object',
        properties: {
          unit: { type: 'string', enum: ['C', 'F'] },
          points: {
            type: 'array',
            items: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] },
          },
          meta: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } },
        },
        required: ['unit', 'points'],
      },
      output_schema: EMPTY,
    });
    expect(types).toContain('unit: ("C" | "F")');
    expect(types).toContain('  points: {\n    x: number\n    y: number\n  }[]');
    expect(types).toContain('  meta?: {\n    tags?: string[]\n  }');
    expect(types).toMatch(/export interface Output \{\s*\}/);
  });

  it('adds an index signature only where a schema allows extra properties', async () => {
    const types = await generateSpecTypes({
      input_schema: {
        type: 'object',
        properties: { closed: { type: 'object' }, open: { type: 'object', additionalProperties: { type: 'number' } } },
      },
      output_schema: EMPTY,
    });
    expect(types).toMatch(/closed\?: \{\s*\}/);
    expect(types).toContain('  open?: {\n    [k: string]: number | undefined\n  }');
  });

  it('keeps Input and Output for the roots when nested schemas and definitions claim those names', async () => {
    const types = await generateSpecTypes({
      input_schema: {
        title: 'Something else',
        type: 'object',
        properties: {
          target: { title: 'Output', type: 'object', properties: { path: { type: 'string' } } },
          item: { $ref: '#/definitions/Item' },
        },
        definitions: { Item: { type: 'object', properties: { id: { type: 'integer' } } } },
      },
      output_schema: {
        type: 'object',
        properties: { item: { $ref: '#/definitions/Item' }, next: { $ref: '#' } },
        definitions: { Item: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    });
    const names = [...types.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(names).toContain('Input');
    expect(names).toContain('Output');
    expect(new Set(names).size).toBe(names.length);
    expect(types).not.toContain('ToolsmithSpecTypes');
    expect(types).toContain('export interface Output {\n  item?: Item1\n  next?: Output\n}');
    // The whole file compiles: no clashes, every reference declared.
    const index = 'import type { Input, Output } from "./__spec_types.js";\nexport default (input: Input): Output => ({});\n';
    expect(typecheckTool({ index, types })).toEqual([]);
  });

  it('is deterministic', async () => {
    const spec = { input_schema: { type: 'object', properties: { a: { type: 'string' } } }, output_schema: EMPTY };
    expect(await generateSpecTypes(spec)).toBe(await generateSpecTypes(spec));
  });

  it('does not let a spec inject code through tsType or a description', async () => {
    const types = await generateSpecTypes({
      input_schema: {
        type: 'object',
        properties: { a: { type: 'string', tsType: 'string }\nconsole.log("pwned")\ninterface X {', description: 'ends */ here' } },
      },
      output_schema: EMPTY,
    });
    expect(types).not.toContain('pwned');
    expect(types).not.toContain('ends */');
    expect(types).toContain('a?: string');
  });

  it('rejects external $refs with a UserError instead of fetching them', async () => {
    const spec = {
      input_schema: { type: 'object', properties: { a: { $ref: 'https://example.com/schema.json' } } },
      output_schema: EMPTY,
    };
    await expect(generateSpecTypes(spec)).rejects.toThrow(UserError);
    await expect(generateSpecTypes(spec)).rejects.toThrow(/input_schema: unsupported \$ref/);
  });
});
