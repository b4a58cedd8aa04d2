import { isDeepStrictEqual } from 'node:util';
import type { SandboxConfig, SandboxProtections, TestCase, TestResult, ToolSpec } from '../models/index.js';
import { ToolRunner, discardMetricsSink, type ResolvedTool } from '../runner/index.js';
import { LIMIT_FAILURES } from '../runner/tool-runner.js';

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
  cwd: string;
  label: string;
}

/** Runs every test case of a built bundle through the ToolRunner (the only way to run tool code). */
export async function runTestCases(options: RunTestsOptions): Promise<TestRunSummary> {
  const tool: ResolvedTool = { toolId: options.toolId, version: 'candidate', codeHash: '', packageDir: options.bundleDir, permissions: options.spec.permissions };
  const runner = new ToolRunner({ resolver: { resolve: async () => tool }, metrics: discardMetricsSink, limits: options.limits, cwd: options.cwd });
  const summary: TestRunSummary = { results: [], outputs: new Map(), withinLimits: true, protections: null, logs: [] };
  for (const test of options.tests) {
    const outcome = await runner.run(options.toolId, test.input);
    summary.protections ??= outcome.protections;
    summary.logs.push(...outcome.logs.map((line) => `[${options.label} ${test.name}] ${line}`));
    const sandboxKind = outcome.error?.error.details['sandbox'];
    if (typeof sandboxKind === 'string' && LIMIT_FAILURES.has(sandboxKind as never)) summary.withinLimits = false;
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
