import { describe, expect, it } from 'vitest';
import { createAnnotations, createManifest, createTitle, describePipeline, describeTool, type SpecText } from '../../src/serve/describe-tool.js';

const spec = (name: string, permissions: SpecText['permissions'] = []): SpecText => ({
  tool_name: name,
  description: 'One sentence.',
  what_it_does: `Does ${name}.`,
  when_to_use: `When ${name} is needed.`,
  input_schema: { type: 'object', properties: { b: { type: 'string' }, a: { type: 'integer' } } },
  output_schema: { type: 'object', properties: { out: { type: 'string' } } },
  permissions,
});

describe('annotations from permissions', () => {
  it.each([
    [[], { readOnlyHint: true, destructiveHint: false, openWorldHint: false }],
    [['fs:read', 'env'], { readOnlyHint: true, destructiveHint: false, openWorldHint: false }],
    [['net'], { readOnlyHint: true, destructiveHint: false, openWorldHint: true }],
    [['fs:write'], { readOnlyHint: false, openWorldHint: false }],
    [['fs:write', 'net'], { readOnlyHint: false, openWorldHint: true }],
  ] as const)('%j -> %j', (permissions, expected) => {
    expect(createAnnotations(permissions)).toEqual(expected);
  });
});

describe('how a tool is described', () => {
  it('titles from the name, description from what_it_does and when_to_use, both schemas as promoted', () => {
    expect(createTitle('csv_group_count')).toBe('Csv group count');
    const served = describeTool(spec('word_count', ['net']));
    expect(served.definition).toEqual({
      name: 'word_count',
      title: 'Word count',
      description: 'Does word_count.\n\nWhen to use: When word_count is needed.',
      inputSchema: spec('word_count').input_schema,
      outputSchema: spec('word_count').output_schema,
      annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: true },
    });
  });

  it('a pipeline: first step input, last step output, every step\'s permissions', () => {
    const first = { ...spec('first', ['fs:read']), input_schema: { type: 'object' as const, properties: { x: {} } } };
    const last = { ...spec('last', ['fs:write']), output_schema: { type: 'object' as const, properties: { y: {} } } };
    const served = describePipeline('chain', ['first', 'last@1.0.0'], first, last, ['fs:read', 'fs:write', 'fs:read'], 'Does both.');
    expect(served.steps).toEqual(['first', 'last@1.0.0']);
    expect(served.permissions).toEqual(['fs:read', 'fs:write']);
    expect(served.definition.inputSchema).toBe(first.input_schema);
    expect(served.definition.outputSchema).toBe(last.output_schema);
    expect(served.definition.annotations).toEqual({ readOnlyHint: false, openWorldHint: false });
    expect(served.definition.description).toBe('Does both.\n\nRuns the pipeline first -> last@1.0.0: each step\'s output is the next step\'s input.');
  });

  it('the manifest has the reference shape: id, title, description, inputs, outputs, invoke_endpoint, permissions', () => {
    const manifest = createManifest([describeTool(spec('word_count', ['env']))], { name: 'toolsmith', version: '9.9.9' });
    expect(manifest).toEqual({
      tools: [{ id: 'word_count', title: 'Word count', description: 'Does word_count.\n\nWhen to use: When word_count is needed.', inputs: ['a', 'b'], outputs: ['out'], invoke_endpoint: 'mcp:tools/call?name=word_count', permissions: ['env'] }],
      server: { name: 'toolsmith', version: '9.9.9' },
      version: '1',
    });
  });
});
