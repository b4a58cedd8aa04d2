// `toolsmith run` of a trivial promoted tool against the two-process floor: a minimal Node
// script that spawns `node child.js`, where child.js reads the same JSON, calls the same
// function and prints the result.
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');

function toolsmith(cwd, args) {
  // The reviewer records their own approval (the author may not).
  const actor = args[0] === 'approve' ? args[args.indexOf('--reviewer') + 1] : 'bench';
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TOOLSMITH_ACTOR: actor } });
  if (r.status !== 0) throw new Error(`toolsmith ${args.join(' ')}: ${r.stderr}${r.stdout}`);
}

const IMPL = `export interface Input { a: number; b: number }
export interface Output { sum: number }
export default function add(input: Input): Output { return { sum: input.a + input.b }; }
`;

export function run() {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-bench-run-'));
  toolsmith(ws, ['init', '.']);
  const spec = {
    tool_name: 'add', description: 'Adds two numbers.',
    input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
    output_schema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'], additionalProperties: false },
    when_to_use: 'To add.', what_it_does: 'Adds a and b.', returns: 'The sum.', prerequisites: 'None.',
  };
  writeFileSync(path.join(ws, 'add.json'), JSON.stringify(spec));
  toolsmith(ws, ['generate', '--spec', 'add.json']);
  writeFileSync(path.join(ws, 'staged/add/index.ts'), IMPL);
  writeFileSync(path.join(ws, 'staged/add/tests.json'), JSON.stringify([{ name: 'one', input: { a: 1, b: 2 }, expected: { sum: 3 } }]));
  for (const args of [['validate', 'add'], ['stage', 'add'], ['approve', 'add', '--reviewer', 'r'], ['promote', 'add']]) toolsmith(ws, args);

  const floorDir = path.join(ws, 'floor');
  mkdirSync(floorDir);
  writeFileSync(path.join(floorDir, 'child.mjs'), `import { readFileSync } from 'node:fs';
const input = JSON.parse(readFileSync(0, 'utf8'));
function add(input) { return { sum: input.a + input.b }; }
process.stdout.write(JSON.stringify(add(input)));
`);
  writeFileSync(path.join(floorDir, 'parent.mjs'), `import { spawn } from 'node:child_process';
const child = spawn(process.execPath, [new URL('./child.mjs', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stdin.end(process.argv[2]);
child.on('close', () => console.log(out));
`);
  const input = '{"a":1,"b":2}';
  return [compare('toolsmith run add (promoted, sandboxed)', { argv: [process.execPath, bin, 'run', 'add', '--input', input], cwd: ws }, { label: 'two-process floor', argv: [process.execPath, path.join(floorDir, 'parent.mjs'), input] }, { target: 1.5 })];
}
if (import.meta.url === `file://${process.argv[1]}`) run();
