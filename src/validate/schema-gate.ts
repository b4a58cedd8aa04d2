import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import path from 'node:path';
import { ToolSpec, TestCases } from '../models/index.js';
import type { TestCase } from '../models/index.js';
import { formatZodIssues } from '../models/format-issues.js';
import { checkSchema, compileSchema } from '../schema/compile-schema.js';
import { summarizeAjvErrors, validateWithin, type StandaloneValidator } from '../schema/standalone-runtime.js';
import { measureDepth } from '../runner/measure-depth.js';

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

/** How deep a test's input or expected value may nest: the runner's limit on inputs and results. */
const MAX_TEST_DEPTH = 1_000;

/**
 * The schema gate (SPEC 7): the spec passes its zod schema, both JSON Schemas compile in
 * ajv strict mode, every test input matches input_schema and every `expected` output_schema.
 * tests.json and the schemas are the candidate's to choose, so checking them is bounded:
 * patterns run on RE2, and all the checks together get `timeoutMs` (the sandbox's time limit).
 */
export async function checkSchemaGate(packageDir: string, timeoutMs = 10_000): Promise<SchemaGateResult> {
  const errors: string[] = [];
  const rawSpec = await readJson(packageDir, 'spec.json', errors);
  const rawTests = await readJson(packageDir, 'tests.json', errors);
  const spec = rawSpec === undefined ? null : parseOr(ToolSpec, rawSpec, 'spec.json', errors);
  const tests = rawTests === undefined ? null : parseOr(TestCases, rawTests, 'tests.json', errors);
  if (spec) {
    const input = checkSchema(spec.input_schema, 'spec.json input_schema');
    const output = checkSchema(spec.output_schema, 'spec.json output_schema');
    errors.push(...input.errors, ...output.errors);
    if (tests && input.ok && output.ok) errors.push(...checkTestsAgainstSchemas(spec, tests, timeoutMs));
  }
  return { ok: errors.length === 0, errors, spec, tests: tests ?? [] };
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
