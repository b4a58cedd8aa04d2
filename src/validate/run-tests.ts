import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { SandboxConfig, SandboxProtections, TestCase, TestResult, ToolSpec } from '../models/index.js';
import { ToolRunner, createBundleResolver, discardMetricsSink, hitLimit } from '../runner/index.js';
import { UserError } from '../models/errors.js';
import { compileSchema } from '../json-schema/compile-schema.js';
import type { SpecValidators } from '../json-schema/standalone-runtime.js';

export interface TestRunSummary {
  results: TestResult[];
  /** Outputs by test name, for comparing a candidate with its reference. */
  outputs: Map<string, unknown>;
  /** False when any run hit a limit or a permission denial (the sandbox gate). */
  withinLimits: boolean;
  protections: SandboxProtections | null;
  logs: string[];
}

export interface RunTestsOptions {
  toolId: string;
  bundleDir: string;
  spec: ToolSpec;
  tests: readonly TestCase[];
  limits: SandboxConfig;
  label: string;
  /** The caller's environment, for tools granted `env` (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Runs every test case of a built bundle through the ToolRunner (the only way to run tool code). */
export async function runTestCases(options: RunTestsOptions): Promise<TestRunSummary> {
  // The sandbox runs exactly the bundle's compiled build/ files, nothing else of the package
  // (not tests.json, not reference.ts, not the samples), with the schemas that passed the schema gate.
  const resolver = await createBundleResolver({ toolId: options.toolId, bundleDir: options.bundleDir, spec: options.spec });
  const validators = compileValidators(options.spec);
  const fixtures = path.join(options.bundleDir, 'fixtures');
  const runner = new ToolRunner({
    resolver,
    metrics: discardMetricsSink,
    limits: options.limits,
    validators: async () => {
      if ('problem' in validators) throw new UserError(validators.problem, 'fix the schema: the schema gate names what is wrong');
      return validators;
    },
    // During validation fs:read means the package's fixtures/, never the read paths.
    readPaths: [],
    maskedPaths: [],
    fixturesDir: existsSync(fixtures) ? fixtures : null,
    env: options.env ?? process.env,
  });
  const summary: TestRunSummary = { results: [], outputs: new Map(), withinLimits: true, protections: null, logs: [] };
  for (const test of options.tests) {
    const outcome = await runner.run(options.toolId, test.input);
    if (summary.protections === null && outcome.protections !== null) {
      summary.protections = outcome.protections;
      for (const warning of outcome.protections.warnings ?? []) summary.logs.push(`[sandbox] warning: ${warning}`);
    }
    summary.logs.push(...outcome.logs.map((line) => `[${options.label} ${test.name}] ${line}`));
    if (hitLimit(outcome)) summary.withinLimits = false;
    const result: TestResult = { name: test.name, passed: false, duration_ms: round(outcome.durationMs) };
    if ('expected' in test) {
      if (outcome.error) result.error = outcome.error;
      else if (isDeepStrictEqual(outcome.result, test.expected)) result.passed = true;
      else result.diff = await jsonDiff(test.expected, outcome.result);
    } else if (outcome.error?.error.type === test.expect_error) {
      result.passed = true;
    } else if (outcome.error) {
      result.error = outcome.error;
      result.diff = `expected error ${test.expect_error}, got ${outcome.error.error.type}`;
    } else {
      result.diff = `expected error ${test.expect_error}, got a result: ${JSON.stringify(outcome.result)}`;
    }
    if (outcome.result) {
      summary.outputs.set(test.name, outcome.result);
      result.actual = outcome.result; // what a reviewer reads in `show`, passing tests included
    }
    summary.results.push(result);
  }
  return summary;
}

/**
 * validate has ajv loaded already: the validators are compiled in memory, once per bundle,
 * not through the run cache. A schema that does not compile (the schema gate says why) makes
 * every test fail with a ValidationError instead of ending validate.
 */
function compileValidators(spec: ToolSpec): SpecValidators | { problem: string } {
  try {
    return { input: compileSchema(spec.input_schema), output: compileSchema(spec.output_schema) };
  } catch (error) {
    return { problem: `the spec's schemas do not compile: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** A unified diff of expected vs actual JSON, for a reviewer reading a failing test. */
async function jsonDiff(expected: unknown, actual: unknown): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const a = `${JSON.stringify(expected, null, 2)}\n`;
  const b = `${JSON.stringify(actual, null, 2)}\n`;
  return createTwoFilesPatch('expected', 'actual', a, b, '', '', { context: 3 }).split('\n').slice(2).join('\n').trimEnd();
}
