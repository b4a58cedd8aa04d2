// A 3-step `toolsmith pipeline` against the same three steps as three separate
// `toolsmith run` calls (one shell running them in a row), measured in the same run: a chain
// pays one CLI start instead of three, and must come out faster than the three together.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchWorkspace, compare, promoteBenchTool } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'toolsmith.js');
const closed = (properties) => ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false });
const NUM = { type: 'number' };
const TOOLS = [
  { name: 'add', input: closed({ a: NUM, b: NUM }), output: closed({ sum: NUM }), code: 'export default function add(i: { a: number; b: number }) { return { sum: i.a + i.b }; }', tests: [{ name: 'one', input: { a: 1, b: 2 }, expected: { sum: 3 } }] },
  { name: 'split', input: closed({ sum: NUM }), output: closed({ a: NUM, b: NUM }), code: 'export default function split(i: { sum: number }) { return { a: i.sum, b: 1 }; }', tests: [{ name: 'one', input: { sum: 3 }, expected: { a: 3, b: 1 } }] },
];
/** A shell-quoted word. */
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

export function run() {
  const bench = benchWorkspace('toolsmith-bench-pipeline-');
  const { ws, cache, toolsmith } = bench;
  try {
    toolsmith(['init', '.']);
    for (const t of TOOLS) promoteBenchTool(bench, t);
    // The measured commands inherit the environment: the bench's own validator cache.
    process.env.TOOLSMITH_CACHE_DIR = cache;
    toolsmith(['pipeline', 'add', 'split', 'add', '--input', '{"a":1,"b":2}']);
    const node = q(process.execPath);
    const separate = [
      `${node} ${q(bin)} run add --input '{"a":1,"b":2}'`,
      `${node} ${q(bin)} run split --input '{"sum":3}'`,
      `${node} ${q(bin)} run add --input '{"a":3,"b":1}'`,
    ].join(' >/dev/null && ');
    return [compare('toolsmith pipeline add split add', { argv: [process.execPath, bin, 'pipeline', 'add', 'split', 'add', '--input', '{"a":1,"b":2}', '--quiet'], cwd: ws }, { label: '3 separate runs', argv: ['sh', '-c', `${separate} >/dev/null`], cwd: ws }, { runs: 11, target: 1 })];
  } finally {
    delete process.env.TOOLSMITH_CACHE_DIR;
    bench.cleanup();
  }
}
if (import.meta.url === `file://${process.argv[1]}`) run();
