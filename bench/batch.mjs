// Batch mode on warm sandboxes (issue 11 items 5-6): 1,000 inputs through a 3-step pipeline
// of trivial tools (`toolsmith pipeline add split add --input-file X.jsonl`) against the floor:
// the same three functions called directly in one Node process on the same file (also one
// process start, read, parse and print). Printed: the overhead per step per input (target
// <= 1 ms), measured whole (CLI start, the check and the workers' start included) and at the
// margin (1,000 inputs against 200, so the fixed costs cancel), and the throughput at
// --concurrency 1 and 2 at the margin (target: it grows; a whole run at 2 also pays for starting
// twice the workers). Medians of interleaved runs: the machine is shared.
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchWorkspace, promoteBenchTool } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');
const closed = (properties) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
const NUM = { type: 'number' };
const TOOLS = [
  { name: 'add', input: closed({ a: NUM, b: NUM }), output: closed({ sum: NUM }), fn: 'function add(i) { return { sum: i.a + i.b }; }', code: 'export default function add(i: { a: number; b: number }) { return { sum: i.a + i.b }; }', tests: [{ name: 'one', input: { a: 1, b: 2 }, expected: { sum: 3 } }] },
  { name: 'split', input: closed({ sum: NUM }), output: closed({ a: NUM, b: NUM }), fn: 'function split(i) { return { a: i.sum, b: 1 }; }', code: 'export default function split(i: { sum: number }) { return { a: i.sum, b: 1 }; }', tests: [{ name: 'one', input: { sum: 3 }, expected: { a: 3, b: 1 } }] },
];
const STEPS = 3;
const RUNS = 5;

/** The floor: the three steps as plain functions in one process, reading and writing the same lines. */
const FLOOR = `
const fs = require('node:fs');
${TOOLS.map((t) => t.fn).join('\n')}
const out = [];
fs.readFileSync(process.argv[2], 'utf8').split('\\n').forEach((text, i) => {
  if (text.trim() === '') return;
  out.push(JSON.stringify({ line: i + 1, result: add(split(add(JSON.parse(text)))) }));
});
process.stdout.write(out.join('\\n') + '\\n');
`;

function time(argv, cwd) {
  const t = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function run() {
  const bench = benchWorkspace('toolsmith-bench-batch-');
  const { ws, cache, toolsmith } = bench;
  try {
    toolsmith(['init', '.']);
    for (const t of TOOLS) promoteBenchTool(bench, t);
    const files = {};
    for (const n of [200, 1_000]) {
      files[n] = path.join(ws, `inputs-${n}.jsonl`);
      writeFileSync(files[n], `${Array.from({ length: n }, (_, i) => JSON.stringify({ a: i, b: 1 })).join('\n')}\n`);
    }
    writeFileSync(path.join(ws, 'floor.cjs'), FLOOR);
    process.env.TOOLSMITH_CACHE_DIR = cache;
    const batch = (n, concurrency) => [process.execPath, bin, 'pipeline', 'add', 'split', 'add', '--input-file', files[n], '--concurrency', String(concurrency), '--quiet'];
    const floor = (n) => [process.execPath, path.join(ws, 'floor.cjs'), files[n]];
    // Same answers: the floor's lines are the batch's results.
    const check = JSON.parse(toolsmith(['pipeline', 'add', 'split', 'add', '--input-file', files[200], '--quiet']).split('\n')[7]);
    if (check.result.sum !== 7 + 1 + 1) throw new Error(`unexpected batch result ${JSON.stringify(check)}`);
    const samples = { floor1000: [], floor200: [], c1: [], c1small: [], c2: [], c2small: [] };
    for (let i = 0; i < RUNS + 1; i++) {
      const keep = i > 0; // the first round warms caches
      const add = (key, ms) => keep && samples[key].push(ms);
      add('floor1000', time(floor(1_000), ws));
      add('c1', time(batch(1_000, 1), ws));
      add('c2', time(batch(1_000, 2), ws));
      add('floor200', time(floor(200), ws));
      add('c1small', time(batch(200, 1), ws));
      add('c2small', time(batch(200, 2), ws));
    }
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    const calls = 1_000 * STEPS;
    const floorMargin = m.floor1000 - m.floor200;
    const whole = (ms) => (ms - m.floor1000) / calls;
    // 1,000 inputs against 200: CLI start, the check and starting the workers cancel out.
    const margin = (big, small) => ((big - small) - floorMargin) / (800 * STEPS);
    const met = (ok) => (ok ? 'met' : 'NOT met');
    for (const c of [1, 2]) {
      const [big, small] = c === 1 ? [m.c1, m.c1small] : [m.c2, m.c2small];
      console.log(`batch 1,000 x 3 steps, --concurrency ${c}     ${big.toFixed(0).padStart(7)} ms vs floor ${m.floor1000.toFixed(0).padStart(5)} ms  overhead ${whole(big).toFixed(3)} ms/step/input whole, ${margin(big, small).toFixed(3)} at the margin (target <= 1 ms: ${met(whole(big) <= 1)})`);
    }
    const rate = (big, small) => 800 / ((big - small) / 1000);
    const [r1, r2] = [rate(m.c1, m.c1small), rate(m.c2, m.c2small)];
    console.log(`throughput --concurrency 1 -> 2, at the margin  ${r1.toFixed(0)} -> ${r2.toFixed(0)} inputs/s  ratio ${(r2 / r1).toFixed(2)}x (target > 1: ${met(r2 > r1)}); whole runs of 1,000: ${(1e6 / m.c1).toFixed(0)} -> ${(1e6 / m.c2).toFixed(0)} inputs/s (c 2 starts 3 more workers)`);
    return m;
  } finally {
    delete process.env.TOOLSMITH_CACHE_DIR;
    bench.cleanup();
  }
}
if (import.meta.url === `file://${process.argv[1]}`) run();
