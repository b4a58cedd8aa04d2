// `toolsmith run` of a trivial promoted tool, sandboxed as configured (bubblewrap where it
// works), against the two-process floor: `node -e 0` twice, measured in the same run. A run
// is at least two Node processes (the CLI and the tool's), so the floor is what any design
// of this shape pays; the ratio is what the CLI, the OS layer and the checks add.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');

const IMPL = `export interface Input { a: number; b: number }
export interface Output { sum: number }
export default function add(input: Input): Output { return { sum: input.a + input.b }; }
`;

export function run() {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-run-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-cache-'));
  const env = { ...process.env, TOOLSMITH_ACTOR: 'bench', TOOLSMITH_CACHE_DIR: cache };
  const toolsmith = (args) => {
    // The reviewer records their own approval (the author may not).
    const actor = args[0] === 'approve' ? args[args.indexOf('--reviewer') + 1] : 'bench';
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: ws, encoding: 'utf8', env: { ...env, TOOLSMITH_ACTOR: actor } });
    if (r.status !== 0) throw new Error(`toolsmith ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  try {
    toolsmith(['init', '.']);
    const spec = {
      tool_name: 'add', description: 'Adds two numbers.',
      input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
      output_schema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'], additionalProperties: false },
      when_to_use: 'To add.', what_it_does: 'Adds a and b.', returns: 'The sum.', prerequisites: 'None.',
    };
    writeFileSync(path.join(ws, 'add.json'), JSON.stringify(spec));
    toolsmith(['generate', '--spec', 'add.json']);
    writeFileSync(path.join(ws, 'staged/add/index.ts'), IMPL);
    writeFileSync(path.join(ws, 'staged/add/tests.json'), JSON.stringify([{ name: 'one', input: { a: 1, b: 2 }, expected: { sum: 3 } }]));
    for (const args of [['validate', 'add'], ['stage', 'add'], ['approve', 'add', '--reviewer', 'r'], ['promote', 'add']]) toolsmith(args);
    const input = '{"a":1,"b":2}';
    // The first run compiles the validators into the cache, as a user's first run does.
    const first = JSON.parse(toolsmith(['run', 'add', '--json', '--input', input]));
    const layers = first.metadata.protections.layers.join('; ');
    console.log(`  sandbox of the measured runs: ${layers}`);
    // The measured runs inherit the environment: they use the bench's own cache, not ~/.cache.
    process.env.TOOLSMITH_CACHE_DIR = cache;
    return [compare('toolsmith run add (promoted, sandboxed)', { argv: [process.execPath, bin, 'run', 'add', '--input', input], cwd: ws }, { label: 'node -e 0 twice', argv: [process.execPath, '-e', '0'], times: 2 }, { target: 1.5 })];
  } finally {
    delete process.env.TOOLSMITH_CACHE_DIR;
    rmSync(ws, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
if (import.meta.url === `file://${process.argv[1]}`) run();
