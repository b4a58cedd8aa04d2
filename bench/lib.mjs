// Timing helpers: every figure is a median of repeated wall-clock runs, printed beside a
// baseline measured in the same run, as a ratio (machines are shared and noisy).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Median wall-clock milliseconds of running `argv` `runs` times (after `warmup` unmeasured runs). */
export function timeCommand(argv, { runs = 15, warmup = 3, cwd, input } = {}) {
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { cwd, input, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * Runs the measurements interleaved (A, B, A, B, ...) so machine load hits both alike.
 * `baseline.times` (default 1): the baseline is that many runs of its command in a row, e.g.
 * the two-process floor of `run` is `node -e 0` twice.
 */
export function compare(label, subject, baseline, { runs = 15, target } = {}) {
  const s = [];
  const b = [];
  const times = baseline.times ?? 1;
  for (let i = 0; i < runs; i++) {
    s.push(timeCommand(subject.argv, { runs: 1, warmup: i === 0 ? 2 : 0, cwd: subject.cwd, input: subject.input }));
    let sum = 0;
    for (let k = 0; k < times; k++) sum += timeCommand(baseline.argv, { runs: 1, warmup: i === 0 && k === 0 ? 2 : 0, cwd: baseline.cwd, input: baseline.input });
    b.push(sum);
  }
  const med = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const sm = med(s);
  const bm = med(b);
  const ratio = sm / bm;
  const verdict = target === undefined ? '' : ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: NOT met)`;
  console.log(`${label.padEnd(44)} ${sm.toFixed(1).padStart(7)} ms vs ${baseline.label} ${bm.toFixed(1).padStart(7)} ms  ratio ${ratio.toFixed(2)}x${verdict}`);
  return { label, subject_ms: sm, baseline_ms: bm, ratio };
}

/**
 * Source files under 1 MB below `dirs` whose extension is in `extensions`, sorted by their path
 * relative to `root` (the scan benchmarks' corpus of code nobody here wrote).
 */
export function sourceCorpus(root, dirs, extensions) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && extensions.has(path.extname(entry.name)) && statSync(full).size < 1024 * 1024) {
        files.push({ absolute: full, relative: path.relative(root, full).split(path.sep).join('/') });
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return files.sort((a, b) => (a.relative < b.relative ? -1 : 1));
}

/**
 * A scratch workspace for a benchmark with its own validator cache: `toolsmith(args, actor)`
 * runs the real binary in it (throwing on a non-zero exit) and returns its stdout;
 * `cleanup()` removes both folders.
 */
export function benchWorkspace(prefix) {
  const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'toolsmith.js');
  const ws = mkdtempSync(path.join(os.tmpdir(), prefix));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-cache-'));
  const toolsmith = (args, actor = 'bench') => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: ws, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TOOLSMITH_ACTOR: actor, TOOLSMITH_CACHE_DIR: cache } });
    if (r.status !== 0) throw new Error(`toolsmith ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const cleanup = () => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  };
  return { ws, cache, toolsmith, cleanup };
}

/** Promotes `{ name, input, output, code, tests }` through the real lifecycle: generate, implement, validate, stage, approve (by another), promote. */
export function promoteBenchTool({ ws, toolsmith }, tool) {
  writeFileSync(path.join(ws, `${tool.name}.json`), JSON.stringify({ tool_name: tool.name, description: 'A step.', input_schema: tool.input, output_schema: tool.output, when_to_use: 'Bench.', what_it_does: 'A step.', returns: 'An object.', prerequisites: 'None.' }));
  toolsmith(['generate', '--spec', `${tool.name}.json`]);
  writeFileSync(path.join(ws, 'staged', tool.name, 'index.ts'), `${tool.code}\n`);
  writeFileSync(path.join(ws, 'staged', tool.name, 'tests.json'), JSON.stringify(tool.tests));
  for (const args of [['validate', tool.name], ['stage', tool.name]]) toolsmith(args);
  toolsmith(['approve', tool.name, '--reviewer', 'r'], 'r');
  toolsmith(['promote', tool.name]);
}
