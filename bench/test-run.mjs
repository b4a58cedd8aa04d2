// One sandboxed test run inside `validate` against `node -e 0`, measured in the same run:
// `validate` of the shipped examples is run a few times, interleaved with `node -e 0`, and
// the median of every test run's duration (as its report records it: input validation, the
// sandbox launch, the tool, output validation) is compared with the median `node -e 0`.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCommand } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function run({ rounds = 5, target = 1.5 } = {}) {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-test-run-'));
  const env = { ...process.env, TOOLSMITH_ACTOR: 'bench' };
  const toolsmith = (args) => spawnSync(process.execPath, [bin, ...args], { cwd: ws, encoding: 'utf8', env });
  try {
    toolsmith(['init', '.']);
    // Tool packages only (examples/pipelines/ holds Pipeline files).
    const examples = readdirSync(path.join(root, 'examples')).filter((id) => existsSync(path.join(root, 'examples', id, 'spec.json'))).sort();
    for (const id of examples) {
      toolsmith(['generate', '--spec', path.join(root, 'examples', id, 'spec.json')]);
      for (const f of ['index.ts', 'tests.json']) copyFileSync(path.join(root, 'examples', id, f), path.join(ws, 'staged', id, f));
    }
    const runs = [];
    const floor = [];
    let isolation = '?';
    for (let i = 0; i < rounds; i++) {
      const r = toolsmith(['validate', '--all', '--json']);
      const result = JSON.parse(r.stdout);
      for (const c of result.candidates) {
        isolation = c.report.protections?.isolation ?? isolation;
        for (const t of c.report.code_metrics.functional_correctness.test_results) runs.push(t.duration_ms);
      }
      for (let k = 0; k < 3; k++) floor.push(timeCommand([process.execPath, '-e', '0'], { runs: 1, warmup: i === 0 && k === 0 ? 2 : 0 }));
    }
    const subject = median(runs);
    const baseline = median(floor);
    const ratio = subject / baseline;
    const verdict = ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: NOT met)`;
    console.log(`${`one test run inside validate (${isolation} layer, n=${runs.length})`.padEnd(44)} ${subject.toFixed(1).padStart(7)} ms vs node -e 0 ${baseline.toFixed(1).padStart(7)} ms  ratio ${ratio.toFixed(2)}x${verdict}`);
    return [{ label: 'one test run inside validate', subject_ms: subject, baseline_ms: baseline, ratio }];
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}
if (import.meta.url === `file://${process.argv[1]}`) run();
