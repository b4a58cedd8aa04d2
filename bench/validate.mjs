// `validate` of the shipped example tools: time per candidate, and what dominates it
// (the report's duration against the process's wall time and a bare `node -e 0`).
import { mkdtempSync, copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');

function toolsmith(cwd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TOOLSMITH_ACTOR: 'bench' } });
  return { ...r, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

export function run() {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-validate-'));
  try {
    toolsmith(ws, ['init', '.']);
    // Tool packages only (examples/pipelines/ holds Pipeline files).
    const examples = readdirSync(path.join(root, 'examples')).filter((id) => existsSync(path.join(root, 'examples', id, 'spec.json'))).sort();
    for (const id of examples) {
      toolsmith(ws, ['generate', '--spec', path.join(root, 'examples', id, 'spec.json')]);
      for (const f of ['index.ts', 'tests.json']) copyFileSync(path.join(root, 'examples', id, f), path.join(ws, 'staged', id, f));
    }
    const all = toolsmith(ws, ['validate', '--all', '--json']);
    const result = JSON.parse(all.stdout);
    const tests = result.candidates.reduce((n, c) => n + c.report.code_metrics.functional_correctness.test_cases_total, 0);
    const inReports = result.candidates.reduce((n, c) => n + c.report.duration_ms, 0);
    const runMs = result.candidates.flatMap((c) => c.report.code_metrics.functional_correctness.test_results.map((t) => t.duration_ms)).reduce((a, b) => a + b, 0);
    console.log(`validate --all of ${examples.length} shipped examples (${tests} tests): ${all.ms.toFixed(0)} ms wall, ${(all.ms / examples.length).toFixed(0)} ms per candidate`);
    console.log(`  inside the reports: ${inReports} ms; sandboxed test runs: ${runMs.toFixed(0)} ms (${((runMs / all.ms) * 100).toFixed(0)}% of wall; ${(runMs / tests).toFixed(0)} ms per test run)`);
    console.log(`  the rest: type-check (TypeScript program, first one cold), transpile, schema compile, process start-up`);
    return [{ label: 'validate per candidate', subject_ms: all.ms / examples.length }];
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
if (import.meta.url === `file://${process.argv[1]}`) run();
