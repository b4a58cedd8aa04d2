/**
 * `toolsmith pipeline` and `pipeline check` through the real binary (exit codes, stdout,
 * NDJSON events), on tools promoted in-process through the core (issue 11, items 1-4).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as InitModule from '../../src/workspace/init-workspace.js';
import { Pipeline, PipelineEvent } from '../../src/models/pipeline.js';
import { toolsmith } from '../helpers.js';
import { closedObject, promoteStepTool, type StepTool } from './e2e-helpers.js';

const dist = (rel: string) => fileURLToPath(new URL(`../../dist/${rel}`, import.meta.url));
// `as`: each dist module is compiled from the src module whose types these are.
const { initWorkspace } = (await import(dist('workspace/init-workspace.js'))) as typeof InitModule;

const NUM = { type: 'number' };

/** Three tools that chain: add {a,b} -> {sum}; split {sum} -> {a,b}; and a step that fails on a negative sum. */
const TOOLS: StepTool[] = [
  { name: 'add', input: closedObject({ a: NUM, b: NUM }), output: closedObject({ sum: NUM }), code: 'export default function add(i: { a: number; b: number }) { return { sum: i.a + i.b }; }', tests: [{ name: 'one', input: { a: 1, b: 2 }, expected: { sum: 3 } }] },
  { name: 'split', input: closedObject({ sum: NUM }), output: closedObject({ a: NUM, b: NUM }), code: 'export default function split(i: { sum: number }) { if (i.sum < 0) throw new Error("negative sum"); return { a: i.sum, b: 1 }; }', tests: [{ name: 'one', input: { sum: 3 }, expected: { a: 3, b: 1 } }] },
  { name: 'label', input: closedObject({ sum: NUM }), output: closedObject({ text: { type: 'string', pattern: '^[0-9-]+$' } }), code: 'export default function label(i: { sum: number }) { return { text: String(i.sum) }; }', tests: [{ name: 'one', input: { sum: 3 }, expected: { text: '3' } }] },
  { name: 'shout', input: closedObject({ text: { type: 'string', pattern: '^[a-z0-9]+$' } }), output: closedObject({ text: { type: 'string' } }), code: 'export default function shout(i: { text: string }) { return { text: i.text.toUpperCase() }; }', tests: [{ name: 'one', input: { text: 'a' }, expected: { text: 'A' } }] },
];

let ws: string;
let cache: string;

beforeAll(async () => {
  ws = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-pipeline-'));
  cache = mkdtempSync(path.join(os.tmpdir(), 'toolsmith-pipeline-cache-'));
  await initWorkspace({ dir: ws });
  for (const def of TOOLS) await promoteStepTool(ws, def);
}, 120_000);

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

const cli = (args: string[]) => toolsmith(ws, args, { env: { TOOLSMITH_CACHE_DIR: cache } });
const successes = (tool: string): number => {
  const metrics = JSON.parse(readFileSync(path.join(ws, 'registry', 'metrics.json'), 'utf8')) as Record<string, { success_count: number }>;
  return metrics[tool]?.success_count ?? 0;
};

describe('toolsmith pipeline', () => {
  it('a three-step chain gives the expected result; each step gets exactly the previous output', () => {
    const r = cli(['pipeline', 'add', 'split', 'add', '--input', '{"a":1,"b":2}', '--events']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown> });
    const partial = events.filter((e) => e.type === 'partial_result').map((e) => e.payload['result']);
    // add(1,2) = {sum:3}; split({sum:3}) = {a:3,b:1}; add(3,1) = {sum:4}.
    expect(partial).toEqual([{ sum: 3 }, { a: 3, b: 1 }, { sum: 4 }]);
    expect(events.at(-1)).toMatchObject({ type: 'result', payload: { result: { sum: 4 } } });
  });

  it('--json prints { result, steps } with each step\'s tool, version, status and time', () => {
    const r = cli(['pipeline', 'add', 'split', '--input', '{"a":2,"b":2}', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { result: unknown; steps: Array<Record<string, unknown>> };
    expect(body.result).toEqual({ a: 4, b: 1 });
    expect(body.steps).toHaveLength(2);
    for (const [i, tool] of ['add', 'split'].entries()) expect(body.steps[i]).toMatchObject({ tool, version: '1.0.0', status: 'ok' });
    expect(typeof body.steps[0]?.['duration_ms']).toBe('number');
  });

  it('a failure in step 2 of 3 stops the chain: step 3 never starts, exit 1, failed_step 1, the envelope is step 2\'s', () => {
    const before = successes('add');
    const r = cli(['pipeline', 'add', 'split', 'add', '--input', '{"a":-5,"b":1}', '--json']);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { error: { type: string; message: string; tool: string }; failed_step: number; steps: Array<{ status: string }> };
    expect(body.failed_step).toBe(1);
    expect(body.error).toMatchObject({ type: 'ToolError', tool: 'split' });
    expect(body.error.message).toContain('negative sum');
    expect(body.steps.map((s) => s.status)).toEqual(['ok', 'error', 'skipped']);
    // Step 1's add ran once; step 3's add never did.
    expect(successes('add')).toBe(before + 1);
  });

  it('--events: valid NDJSON in order, every start before its end, progress monotonic, one final line', () => {
    const r = cli(['pipeline', 'add', 'split', 'add', '--input', '{"a":1,"b":1}', '--events']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; payload: Record<string, unknown>; timestamp: string });
    const open = new Set<number>();
    let done = -1;
    for (const e of events) expect(PipelineEvent.safeParse(e).success, JSON.stringify(e)).toBe(true);
    for (const e of events.slice(0, -1)) {
      expect(['plugin_status', 'progress', 'partial_result', 'warning']).toContain(e.type);
      expect(Number.isNaN(Date.parse(e.timestamp))).toBe(false);
      if (e.type === 'plugin_status' && e.payload['status'] === 'started') open.add(e.payload['step'] as number);
      else if (e.type === 'plugin_status') expect(open.delete(e.payload['step'] as number)).toBe(true);
      if (e.type === 'progress') {
        expect(e.payload['done'] as number).toBeGreaterThanOrEqual(done);
        done = e.payload['done'] as number;
      }
    }
    expect(done).toBe(3);
    expect(open.size).toBe(0);
    expect(events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('result');
  });

  it('--events on a failure: the final line is the error, with the failed step', () => {
    const r = cli(['pipeline', 'add', 'split', '--input', '{"a":-5,"b":1}', '--events']);
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { type: string; payload: { failed_step: number } };
    expect(last).toMatchObject({ type: 'error', payload: { failed_step: 1 } });
  });

  it('refuses an incompatible chain before any step runs (exit 1), unless --no-check', () => {
    const before = successes('add');
    const refused = cli(['pipeline', 'add', 'add', '--input', '{"a":1,"b":2}']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing ran');
    expect(successes('add')).toBe(before);
    const forced = cli(['pipeline', 'add', 'add', '--no-check', '--input', '{"a":1,"b":2}', '--json']);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout)).toMatchObject({ failed_step: 1, error: { type: 'ValidationError' } });
  });

  it('--file and --name read the Pipeline model (payload included); a saved pipeline lives in pipelines/', () => {
    const file = path.join(ws, 'chain.json');
    const chain = { tools: ['add', 'split'], payload: { a: 5, b: 5 } };
    expect(Pipeline.safeParse(chain).success).toBe(true);
    writeFileSync(file, JSON.stringify(chain));
    const fromFile = cli(['pipeline', '--file', 'chain.json', '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ result: { a: 10, b: 1 } });
    mkdirSync(path.join(ws, 'pipelines'), { recursive: true });
    writeFileSync(path.join(ws, 'pipelines', 'double.json'), JSON.stringify({ tools: ['add', 'split', 'add'] }));
    const named = cli(['pipeline', '--name', 'double', '--input', '{"a":1,"b":1}', '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ result: { sum: 3 } });
  });

  it.each([
    [['pipeline', '--input', '{}'], 'needs its steps'],
    [['pipeline', 'add', '--input', '[1]'], 'must be a JSON object'],
    [['pipeline', 'add', 'nope', '--input', '{"a":1,"b":1}'], 'no promoted tool "nope"'],
    [['pipeline', 'add', '../x', '--input', '{}'], 'invalid'],
    [['pipeline', '--name', 'missing', '--input', '{}'], 'does not exist'],
    [['pipeline', '--file', 'chain.json', '--input', '{"a":1,"b":1}'], 'has a payload'],
    [['pipeline', 'add'], 'needs an input'],
  ])('bad input %j is exit 2 with one line and a hint', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('saved pipelines in list and validate --all', () => {
  it('list shows each saved pipeline (a broken file as BROKEN); validate --all checks them and exits 1 for an incompatible or broken one', () => {
    mkdirSync(path.join(ws, 'pipelines'), { recursive: true });
    writeFileSync(path.join(ws, 'pipelines', 'round.json'), JSON.stringify({ tools: ['add', 'split', 'add'], description: 'round trip' }));
    const good = cli(['validate', '--all', '--json']);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect((JSON.parse(good.stdout) as { pipelines: Array<{ name: string; verdict: string }> }).pipelines).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'round', verdict: 'compatible' })]));
    writeFileSync(path.join(ws, 'pipelines', 'bad.json'), JSON.stringify({ tools: ['add', 'add'] }));
    writeFileSync(path.join(ws, 'pipelines', 'broken.json'), '{"tools":');
    writeFileSync(path.join(ws, 'pipelines', 'ghost.json'), JSON.stringify({ tools: ['add', 'nope'] }));
    try {
      const list = cli(['list', '--json']);
      expect(list.code, list.stderr).toBe(0);
      const listed = (JSON.parse(list.stdout) as { pipelines: Array<{ name: string; tools: string[] | null; problem?: string }> }).pipelines;
      expect(listed.find((p) => p.name === 'round')).toMatchObject({ tools: ['add', 'split', 'add'] });
      expect(listed.find((p) => p.name === 'broken')).toMatchObject({ tools: null, problem: expect.stringContaining('invalid JSON') });
      expect(cli(['list']).stdout).toMatch(/round +add -> split -> add +round trip/);
      const all = cli(['validate', '--all', '--json']);
      expect(all.code).toBe(1);
      const verdicts = Object.fromEntries((JSON.parse(all.stdout) as { pipelines: Array<{ name: string; verdict: string }> }).pipelines.map((p) => [p.name, p.verdict]));
      expect(verdicts).toMatchObject({ round: 'compatible', bad: 'incompatible', broken: 'broken', ghost: 'broken' });
    } finally {
      for (const name of ['bad', 'broken', 'ghost']) rmSync(path.join(ws, 'pipelines', `${name}.json`));
    }
  });
});

describe('toolsmith pipeline check', () => {
  it('a compatible chain passes (exit 0), with the test cases as evidence', () => {
    const r = cli(['pipeline', 'check', 'add', 'split', 'add', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { verdict: string; links: Array<{ verdict: string; evidence: { accepted: number; tried: number } }> };
    expect(body.verdict).toBe('compatible');
    expect(body.links.map((l) => l.evidence)).toEqual([{ accepted: 1, tried: 1 }, { accepted: 1, tried: 1 }]);
  });

  it('finds planted incompatibilities and names both schema locations (exit 1)', () => {
    const r = cli(['pipeline', 'check', 'add', 'add', '--json']);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { verdict: string; links: Array<{ findings: Array<{ verdict: string; message: string; output_pointer: string; input_pointer: string }> }> };
    expect(body.verdict).toBe('incompatible');
    const findings = body.links[0]?.findings ?? [];
    expect(findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ verdict: 'incompatible', output_pointer: '/required', input_pointer: '/required' }),
      expect.objectContaining({ verdict: 'incompatible', output_pointer: '/properties/sum', input_pointer: '/additionalProperties' }),
    ]));
    const text = cli(['pipeline', 'check', 'add', 'add']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('output_schema#/properties/sum  input_schema#/additionalProperties');
  });

  it('a pattern-only constraint is "cannot prove", not a pass: exit 0 with a warning, and pipeline runs with it', () => {
    const r = cli(['pipeline', 'check', 'add', 'label', 'shout']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('label@1.0.0 -> shout@1.0.0: cannot prove');
    expect(r.stdout).toContain('pipeline: cannot prove');
    const run = cli(['pipeline', 'add', 'label', 'shout', '--input', '{"a":1,"b":2}']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: step 2 -> 3: cannot prove: pattern/);
    expect(JSON.parse(run.stdout)).toEqual({ text: '3' });
  });
});
