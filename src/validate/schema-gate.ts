import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import path from 'node:path';
import { ToolSpec, TestCases } from '../models/index.js';
import type { TestCase } from '../models/index.js';
import { formatZodIssues } from '../models/format-issues.js';
import { checkSchema, compileSchema, formatAjvErrors } from '../schema/compile-schema.js';

export interface SchemaGateResult {
  ok: boolean;
  errors: string[];
  spec: ToolSpec | null;
  tests: TestCase[];
}

/** Reads and parses a JSON file of the package, recording a problem instead of throwing. */
async function readJson(packageDir: string, name: string, errors: string[]): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(packageDir, name), 'utf8')) as unknown;
  } catch (error) {
    errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * The schema gate (SPEC 7): the spec passes its zod schema, both JSON Schemas compile in
 * ajv strict mode, every test input matches input_schema and every `expected` output_schema.
 */
export async function checkSchemaGate(packageDir: string): Promise<SchemaGateResult> {
  const errors: string[] = [];
  const rawSpec = await readJson(packageDir, 'spec.json', errors);
  const rawTests = await readJson(packageDir, 'tests.json', errors);
  const spec = rawSpec === undefined ? null : parseOr(ToolSpec, rawSpec, 'spec.json', errors);
  const tests = rawTests === undefined ? null : parseOr(TestCases, rawTests, 'tests.json', errors);
  if (spec) {
    const input = checkSchema(spec.input_schema, 'spec.json input_schema');
    const output = checkSchema(spec.output_schema, 'spec.json output_schema');
    errors.push(...input.errors, ...output.errors);
    if (tests && input.ok && output.ok) errors.push(...checkTestsAgainstSchemas(spec, tests));
  }
  return { ok: errors.length === 0, errors, spec, tests: tests ?? [] };
}

function parseOr<S extends z.ZodType>(schema: S, raw: unknown, file: string, errors: string[]): z.infer<S> | null {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  errors.push(`${file}: ${formatZodIssues(parsed.error.issues)}`);
  return null;
}

function checkTestsAgainstSchemas(spec: ToolSpec, tests: TestCase[]): string[] {
  const errors: string[] = [];
  const validateInput = compileSchema(spec.input_schema);
  const validateOutput = compileSchema(spec.output_schema);
  for (const test of tests) {
    // A test expecting a ValidationError exists to feed an input that breaks input_schema.
    const expectsInputError = 'expect_error' in test && test.expect_error === 'ValidationError';
    if (!expectsInputError && !validateInput(test.input)) {
      errors.push(`tests.json "${test.name}": input does not match input_schema: ${formatAjvErrors(validateInput.errors, 'input').join('; ')}`);
    }
    if ('expected' in test && !validateOutput(test.expected)) {
      errors.push(`tests.json "${test.name}": expected does not match output_schema: ${formatAjvErrors(validateOutput.errors, 'expected').join('; ')}`);
    }
  }
  return errors;
}
