// CodeBLEU throughput on tests/fixtures/codebleu/dev.jsonl (391 pairs), in pairs per second:
// one process, and both cores (worker_threads, the pairs split between workers). Baselines:
// - measured in this run: parsing alone (ts.createSourceFile of both texts of every pair),
//   the floor any compiler-API CodeBLEU pays;
// - documented, NOT measured here: the Python reference (k4black/codebleu 0.7.1) does about
//   360 pairs/s on this kind of machine (tests/fixtures/codebleu/README.md). Target: >= 10x.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEV = path.join(root, 'tests', 'fixtures', 'codebleu', 'dev.jsonl');
const PYTHON_PAIRS_PER_SECOND = 360;
const ROUNDS = 7;

const load = () => readFileSync(DEV, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const codeBleuModule = () => import(pathToFileURL(path.join(root, 'dist', 'metrics', 'code-bleu.js')).href);

/** Median milliseconds of `rounds` calls of fn (after one warm-up call). */
function timeRounds(fn, rounds = ROUNDS) {
  fn();
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

async function workerMain() {
  const { codeBleu } = await codeBleuModule();
  const { pairs, rounds } = workerData;
  for (let r = 0; r < 2; r++) for (const p of pairs) codeBleu(p.reference, p.candidate); // warm-up (each worker JITs its own copy)
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    for (let r = 0; r < rounds; r++) for (const p of pairs) codeBleu(p.reference, p.candidate);
    parentPort.postMessage('done');
  });
}

/** Wall-clock pairs per second with `n` workers sharing the pairs, `rounds` passes each, started together. */
async function parallelPairsPerSecond(pairs, n, rounds) {
  const shares = Array.from({ length: n }, (_, i) => pairs.filter((_, j) => j % n === i));
  const workers = shares.map((share) => new Worker(fileURLToPath(import.meta.url), { workerData: { pairs: share, rounds } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const t = process.hrtime.bigint();
  await Promise.all(workers.map((w) => new Promise((resolve) => {
    w.once('message', resolve);
    w.postMessage('go');
  })));
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  await Promise.all(workers.map((w) => w.terminate()));
  return (pairs.length * rounds) / (ms / 1000);
}

export async function run() {
  const pairs = load();
  const { codeBleu, codeBleuCorpus } = await codeBleuModule();
  const ts = (await import('typescript')).default;
  const parse = (text) => ts.createSourceFile('code.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const perPair = timeRounds(() => { for (const p of pairs) codeBleu(p.reference, p.candidate); });
  const corpus = timeRounds(() => codeBleuCorpus(pairs));
  const parseOnly = timeRounds(() => { for (const p of pairs) { parse(p.reference); parse(p.candidate); } });
  const rate = (ms) => pairs.length / (ms / 1000);
  const cores = Math.min(2, os.cpus().length);
  const parallel = await parallelPairsPerSecond(pairs, cores, ROUNDS);
  const line = (label, pps, extra) => console.log(`${label.padEnd(52)} ${pps.toFixed(0).padStart(6)} pairs/s  ${extra}`);
  console.log(`CodeBLEU on dev.jsonl (${pairs.length} pairs; median of ${ROUNDS} rounds; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores when measured)`);
  line('one process, per-pair calls (each pair parsed anew)', rate(perPair), `ratio ${(rate(perPair) / PYTHON_PAIRS_PER_SECOND).toFixed(1)}x the Python reference's documented ${PYTHON_PAIRS_PER_SECOND} pairs/s (target >= 10x: ${rate(perPair) >= 10 * PYTHON_PAIRS_PER_SECOND ? 'met' : 'NOT met'})`);
  line(`${cores} cores (worker_threads), per-pair calls`, parallel, `ratio ${(parallel / PYTHON_PAIRS_PER_SECOND).toFixed(1)}x documented Python; ${(parallel / rate(perPair)).toFixed(2)}x one process`);
  line('one process, corpus call (each distinct text parsed once)', rate(corpus), `ratio ${(rate(corpus) / PYTHON_PAIRS_PER_SECOND).toFixed(1)}x documented Python`);
  line('baseline measured here: parsing both texts only', rate(parseOnly), `CodeBLEU per pair costs ${(perPair / parseOnly).toFixed(2)}x parsing alone`);
  console.log('  (the Python figure is documented in tests/fixtures/codebleu/README.md, not measured in this run)');
  return [{ label: 'codebleu pairs/s (one process)', pairs_per_second: rate(perPair), ratio_vs_python: rate(perPair) / PYTHON_PAIRS_PER_SECOND }];
}

if (!isMainThread) await workerMain();
else if (import.meta.url === `file://${process.argv[1]}`) await run();
