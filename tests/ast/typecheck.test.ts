import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('typecheckTool reads nothing outside the candidate (the type-check runs in the CLI)', () => {
  // A secret of the host the candidate should not learn, and a FIFO: reading it would block
  // the test for ever, so a passing test proves the host never opened it.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-typecheck-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const secretJson = path.join(dir, 'secret.json');
  writeFileSync(secretJson, JSON.stringify({ database_password_field: 'hunter2', nested: { private_key_field: 1 } }));
  const secretDts = path.join(dir, 'secret.d.ts');
  writeFileSync(secretDts, 'declare const LEAKED_HOST_SYMBOL: { api_token_field: string };\n');
  const fifo = path.join(dir, 'blocking.d.ts');
  execFileSync('mkfifo', [fifo]);
  const USE = `${CORRECT}`;

  it.each([
    ['an absolute JSON import with an import attribute', `import data from ${JSON.stringify(secretJson)} with { type: 'json' };\nconst leak: number = data;\n${USE}void leak;\n`, secretJson],
    ['a /// <reference path> to a declaration file', `/// <reference path=${JSON.stringify(secretDts)} />\nconst leak: number = LEAKED_HOST_SYMBOL;\n${USE}void leak;\n`, secretDts],
    ['a /// <reference path> to a FIFO (a read would block)', `/// <reference path=${JSON.stringify(fifo)} />\n${USE}`, fifo],
    ['an import climbing out with ..', `import data from '../..${secretJson}';\n${USE}void data;\n`, `../..${secretJson}`],
    ['an import of a FIFO (a read would block)', `import x from ${JSON.stringify(fifo.replace(/\.d\.ts$/, '.js'))};\n${USE}void x;\n`, fifo.replace(/\.d\.ts$/, '.js')],
  ])('%s is an error naming the path, and nothing of the file reaches the diagnostics', (_label, index, named) => {
    const diagnostics = check(index);
    const text = JSON.stringify(diagnostics);
    expect(diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'index.ts', line: expect.any(Number), message: expect.stringContaining(`${named} is outside the candidate's files`) })]));
    expect(text).not.toMatch(/database_password_field|private_key_field|api_token_field|hunter2/);
  });
});
