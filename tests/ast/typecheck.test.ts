import { describe, expect, it } from 'vitest';
import { typecheckTool } from '../../src/ast/typecheck.js';

// Hand-written so these tests do not depend on schema-types; the shape it generates.
const TYPES = [
  'export interface Input {',
  'celsius: number',
  'label?: string',
  '}',
  'export interface Output {',
  'fahrenheit: number',
  '}',
  '',
].join('\n');

const CORRECT = `import { readFileSync } from 'node:fs';

interface Input { celsius: number; label?: string }
interface Output { fahrenheit: number }

export default async function convert(input: Input): Promise<Output> {
  void readFileSync;
  return { fahrenheit: (input.celsius * 9) / 5 + 32 };
}
`;

function check(index: string) {
  return typecheckTool({ index, types: TYPES });
}

describe('typecheckTool', () => {
  it('reports nothing for a correct implementation (node built-ins resolve)', () => {
    expect(check(CORRECT)).toEqual([]);
  });

  it('accepts a synchronous default export and a type-only import of the spec types', () => {
    const index = `import type { Input, Output } from './__spec_types.js';
const convert = (input: Input): Output => ({ fahrenheit: input.celsius });
export default convert;
`;
    expect(check(index)).toEqual([]);
  });

  it('reports a wrong output type on the line that returns it', () => {
    const index = CORRECT.replace('return { fahrenheit: (input.celsius * 9) / 5 + 32 };', "return { fahrenheit: 'hot' };");
    const diagnostics = check(index);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'index.ts', line: 8, code: 2322 });
    expect(diagnostics[0]?.message).toContain("'string' is not assignable to type 'number'");
  });

  it('reports a default export whose output does not match the spec on the export line', () => {
    const index = `interface Output { kelvin: number }
export default function convert(input: { celsius: number }): Output {
  return { kelvin: input.celsius + 273.15 };
}
`;
    const diagnostics = check(index);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'index.ts', line: 2, column: 1 });
    expect(diagnostics[0]?.message).toContain('the default export does not match the spec');
    expect(diagnostics[0]?.message).toContain("Property 'fahrenheit' is missing in type 'Output' but required in type 'Spec.Output'");
  });

  it('reports a wrong parameter type against the spec Input', () => {
    const index = `
export default function convert(input: { celsius: string }) {
  return { fahrenheit: Number(input.celsius) };
}
`;
    const diagnostics = check(index);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'index.ts', line: 2, column: 1, code: 2322 });
    expect(diagnostics[0]?.message).toContain("Type 'number' is not assignable to type 'string'");
  });

  it('reports a missing default export at line 1', () => {
    const diagnostics = check('export function convert() {\n  return { fahrenheit: 1 };\n}\n');
    expect(diagnostics).toEqual([
      expect.objectContaining({ file: 'index.ts', line: 1, column: 1, code: 1192, message: expect.stringContaining('no default export') }),
    ]);
  });

  it('reports a file that is not a module as missing its default export', () => {
    const diagnostics = check('const x = 1;\n');
    expect(diagnostics.map((d) => d.code)).toEqual([1192]);
  });

  it('reports a syntax error with its position', () => {
    const index = CORRECT.replace('return {', 'return {{');
    const diagnostics = check(index);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ file: 'index.ts', line: 8 });
    expect(diagnostics[0]?.column).toBeGreaterThan(1);
  });

  it('reports packages the sandbox could not load as unresolved imports', () => {
    const diagnostics = check(`import { z } from 'zod';\n${CORRECT}void z;\n`);
    expect(diagnostics).toEqual([expect.objectContaining({ file: 'index.ts', line: 1, code: 2307 })]);
  });

  it('gives the same answer on repeated calls (lib files are cached per process)', () => {
    const bad = CORRECT.replace('(input.celsius * 9) / 5 + 32', 'input.label');
    expect(check(bad)).toEqual(check(bad));
    expect(check(CORRECT)).toEqual([]);
  });
});
