// `toolsmith serve` (governed: hash check, validation, a sandbox per call, metrics) against an
// ungoverned MCP server written with the same SDK that calls the same tool function in-process
// (bench/ungoverned-server.mjs: what MCP frameworks do). Both over stdio, driven by the SDK 1.x
// client (protocol 2025-11-25), measured in the same run and interleaved in blocks:
// - the tools/call round trip, p50 and p99 over BENCH_SERVE_CALLS (default 1000) sequential calls;
// - calls per second with 8 concurrent callers (BENCH_SERVE_CONCURRENT_CALLS, default 400 calls),
//   after one round of 8 concurrent calls has started the governed server's 8 warm sandboxes
//   (a one-off cost per server, not per call).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');
const TOOL = 'json_pointer_get';
const ARGS = { document: { a: { b: [1, 2, 3] } }, pointer: '/a/b/2' };
const CALLS = Number(process.env.BENCH_SERVE_CALLS ?? 1000);
const CONCURRENT_CALLS = Number(process.env.BENCH_SERVE_CONCURRENT_CALLS ?? 400);
const BLOCK = 50;

async function connect(command, args, cwd, env) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command, args, cwd, env, stderr: 'ignore' }));
  return client;
}

async function call(client) {
  const result = await client.callTool({ name: TOOL, arguments: ARGS }, undefined, { timeout: 60_000 });
  if (result.isError || result.structuredContent?.value !== 3) throw new Error(`unexpected result: ${JSON.stringify(result)}`);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

export async function run() {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-serve-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-cache-'));
  const env = { ...process.env, TOOLSMITH_CACHE_DIR: cache, NO_COLOR: '1' };
  const clients = [];
  try {
    cpSync(path.join(root, 'registry'), path.join(ws, 'registry'), { recursive: true });
    cpSync(path.join(root, 'toolsmith.config.json'), path.join(ws, 'toolsmith.config.json'));
    // A registry in use was promoted more than a moment ago: toolsmith re-hashes a tool's files on
    // every call until they are RACY_WINDOW_MS (2 s) old (src/stores/file-snapshot.ts), and keeps
    // the check while they stay unchanged after that. The copy ages first, so the figures are the
    // steady state, not a just-promoted tool (BENCH_SERVE_FRESH=1 measures that instead).
    const aged = Date.now() + 2_100;
    const metadata = JSON.parse(readFileSync(path.join(ws, 'registry', 'metadata.json'), 'utf8'));
    const entry = path.join(ws, 'registry', metadata.tools[TOOL].path, 'build', 'index.js');
    const governed = await connect(process.execPath, [bin, 'serve', '--max-concurrency', '8'], ws, env);
    const ungoverned = await connect(process.execPath, [path.join(root, 'bench', 'ungoverned-server.mjs'), TOOL, entry], ws, env);
    clients.push(governed, ungoverned);
    if (process.env.BENCH_SERVE_FRESH !== '1') await new Promise((resolve) => setTimeout(resolve, Math.max(0, aged - Date.now())));
    for (let i = 0; i < 5; i++) await Promise.all([call(governed), call(ungoverned)]);

    const samples = { governed: [], ungoverned: [] };
    for (let done = 0; done < CALLS; done += BLOCK) {
      for (const [name, client] of [['governed', governed], ['ungoverned', ungoverned]]) {
        for (let i = 0; i < Math.min(BLOCK, CALLS - done); i++) {
          const t = performance.now();
          await call(client);
          samples[name].push(performance.now() - t);
        }
      }
    }
    const g = samples.governed.sort((a, b) => a - b);
    const u = samples.ungoverned.sort((a, b) => a - b);
    const p50 = pct(g, 50) / pct(u, 50);
    console.log(`${`serve tools/call round trip, p50 (${CALLS} calls)`.padEnd(44)} ${pct(g, 50).toFixed(2).padStart(7)} ms vs ungoverned ${pct(u, 50).toFixed(2).padStart(7)} ms  ratio ${p50.toFixed(2)}x  (target <= 3x: ${p50 <= 3 ? 'met' : 'NOT met'})`);
    console.log(`${'serve tools/call round trip, p99'.padEnd(44)} ${pct(g, 99).toFixed(2).padStart(7)} ms vs ungoverned ${pct(u, 99).toFixed(2).padStart(7)} ms  ratio ${(pct(g, 99) / pct(u, 99)).toFixed(2)}x`);

    const throughput = async (client) => {
      let next = 0;
      const t = performance.now();
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next++ < CONCURRENT_CALLS) await call(client);
      }));
      return CONCURRENT_CALLS / ((performance.now() - t) / 1000);
    };
    await Promise.all(Array.from({ length: 8 }, () => Promise.all([call(governed), call(ungoverned)])));
    const gRate = await throughput(governed);
    const uRate = await throughput(ungoverned);
    console.log(`${'serve calls/s, 8 concurrent callers'.padEnd(44)} ${gRate.toFixed(1).padStart(7)} /s vs ungoverned ${uRate.toFixed(1).padStart(7)} /s  ratio ${(uRate / gRate).toFixed(2)}x slower`);
    return [{ label: 'serve p50', subject_ms: pct(g, 50), baseline_ms: pct(u, 50), ratio: p50 }];
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    rmSync(ws, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
if (import.meta.url === `file://${process.argv[1]}`) await run();
