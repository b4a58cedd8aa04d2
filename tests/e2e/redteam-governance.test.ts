/**
 * Red team of issue 8's governance, through the real binary: what got through before the
 * fixes. (1) One person with one key listed under two names in allowed_signers (git users
 * list `bob,bob@example.com KEY`) gave two "distinct" approvals, and the author approved
 * under another of her names. (2) Invisible characters other than the zero-width ones (the
 * Hangul filler U+3164 that JavaScript takes for a letter, tag characters, the soft hyphen)
 * reached the reviewer's terminal raw in show, diff and list, unflagged. (3) An older
 * version's folder (still runnable as `run tool@1.0.0`) was changed and `verify` stayed
 * green, while `run` refused it and sent the user to `verify`. (4) `show`, the reviewer's
 * page, printed index.ts only: a helper module it imports (compiled and run) was a file name
 * and a size.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync } from 'node:fs';
import { createWorkspace, snapshot, toolsmith, writeSpec } from '../helpers.js';
import { echoSpec, ECHO_IMPL, ECHO_TESTS, expectOneLineError, implement, ok, patchConfig, runAllOk } from './e2e-helpers.js';
import { createKeyRing, type KeyRing, type TestKey } from '../stores/keys.js';

let ring: KeyRing;
let bob: TestKey;
let mallory: TestKey;
let ws: string;

beforeAll(() => {
  ring = createKeyRing();
  bob = ring.make('bob');
  mallory = ring.make('mallory');
  ws = createWorkspace();
  writeFileSync(path.join(ws, 'allowed_signers'), `bob,bob@example.com ${bob.publicKey}\nmallory,mallory@home.example ${mallory.publicKey}\n`);
  patchConfig(ws, { policy: { allowed_signers: 'allowed_signers', approvals_required: 2 } });
  for (const [id, author] of [['two_names', 'author'], ['own_work', 'mallory']] as const) {
    ok(ws, ['generate', '--spec', writeSpec(ws, echoSpec(id), `${id}.spec.json`)], { TOOLSMITH_ACTOR: author });
    implement(ws, id, ECHO_IMPL, ECHO_TESTS);
  }
  ok(ws, ['validate', '--all']);
  for (const id of ['two_names', 'own_work']) ok(ws, ['stage', id]);
}, 120_000);

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
  ring.cleanup();
});

function approve(id: string, reviewer: string, key: TestKey) {
  return toolsmith(ws, ['approve', id, '--reviewer', reviewer, '--sign-key', key.file], { env: { TOOLSMITH_ACTOR: reviewer } });
}

describe('one key is one reviewer (allowed_signers lists a person under several names)', () => {
  it('the same key under a second name is refused, nothing written, and promote still lacks an approval', () => {
    expect(approve('two_names', 'bob', bob).code).toBe(0);
    const before = snapshot(ws);
    const r = approve('two_names', 'bob@example.com', bob);
    expectOneLineError(r, 1, /cannot approve as bob@example\.com: it is signed with the same key as the approval by bob/);
    expect(snapshot(ws)).toEqual(before);
    expectOneLineError(toolsmith(ws, ['promote', 'two_names']), 1, /1 valid approval of these files, 2 required/);
  });

  it('the author cannot approve her own candidate under another name listed with her key', () => {
    const before = snapshot(ws);
    const r = approve('own_work', 'mallory@home.example', mallory);
    expectOneLineError(r, 1, /cannot approve as mallory@home\.example: it is signed with the key allowed_signers lists for the author mallory/);
    expect(snapshot(ws)).toEqual(before);
  });
});

describe('invisible characters never reach the reviewer raw', () => {
  const FILLER = '\u3164';
  const TAGS = '\u{e0072}\u{e006d}'; // "rm" in tag characters: invisible
  const SHY = '\u00ad';
  const RAW = /[\u3164\u00ad\u{e0000}-\u{e007f}]/u;

  it('show, diff and list escape and flag them', () => {
    const id = 'backdoor';
    const spec = { ...echoSpec(id), description: `Echoes n.${TAGS}`, returns: `n${SHY}` };
    ok(ws, ['generate', '--spec', writeSpec(ws, spec, `${id}.spec.json`)]);
    // The "invisible backdoor": a destructured name the reviewer cannot see.
    const impl = `export default async function e(input: { n: number }): Promise<{ n: number }> {\n  const { n, ${FILLER} } = input as { n: number; ${FILLER}?: number };\n  return { n: ${FILLER} ?? n };\n}\n`;
    implement(ws, id, impl, [{ name: `one${SHY}`, input: { n: 1 }, expected: { n: 1 } }]);
    for (const args of [['show', id], ['diff', id], ['list']]) {
      const r = toolsmith(ws, args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).not.toMatch(RAW);
      expect(r.stderr).not.toMatch(RAW);
    }
    const show = toolsmith(ws, ['show', id]).stdout;
    expect(show).toContain('const { n, \\u{3164} }');
    expect(show).toContain('Echoes n.\\u{e0072}\\u{e006d}');
    expect(show).toMatch(/^! invisible characters \(zero-width, tag or filler characters\) in: .*index\.ts/m);
    expect(toolsmith(ws, ['diff', id]).stdout).toMatch(/^! invisible characters .* in: .*index\.ts/m);
    expect(readFileSync(path.join(ws, 'staged', id, 'index.ts'), 'utf8')).toBe(impl); // nothing rewritten
  });
});

describe('verify covers every promoted version, not only the current one', () => {
  /** generate, implement, validate, stage, approve, promote; async so the worker is never blocked for long. */
  async function promoteAsync(v: string, impl: string): Promise<void> {
    await runAllOk(v, [['generate', '--spec', writeSpec(v, echoSpec('aged'), 'aged.spec.json')]]);
    implement(v, 'aged', impl, ECHO_TESTS);
    for (const args of [['validate', 'aged'], ['stage', 'aged'], ['approve', 'aged', '--reviewer', 'reviewer'], ['promote', 'aged']]) await runAllOk(v, [args]);
  }

  it('a changed file in an older version folder fails verify, naming the file, as run refuses it', async () => {
    const v = createWorkspace();
    try {
      await promoteAsync(v, ECHO_IMPL);
      await promoteAsync(v, ECHO_IMPL.replace('return', '// v2\n  return'));
      expect(toolsmith(v, ['verify']).code).toBe(0);
      appendFileSync(path.join(v, 'registry/tools/aged/1.0.0/build/index.js'), '\n// tampered\n');
      expectOneLineError(toolsmith(v, ['run', 'aged@1.0.0', '--input', '{"n":1}']), 1, /aged 1\.0\.0 fails its integrity check/);
      const r = toolsmith(v, ['verify']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/registry\/tools\/aged\/1\.0\.0\/build\/index\.js: modified since promote of 1\.0\.0 \(older version\)/);
    } finally {
      rmSync(v, { recursive: true, force: true });
    }
  });
});

describe('show prints every module that runs', () => {
  it('a helper imported by index.ts is shown in full, not only named', () => {
    const id = 'with_helper';
    ok(ws, ['generate', '--spec', writeSpec(ws, echoSpec(id), `${id}.spec.json`)]);
    mkdirSync(path.join(ws, 'staged', id, 'lib'));
    writeFileSync(path.join(ws, 'staged', id, 'lib/helper.ts'), 'export const twice = (n: number): number => n * 2; // hidden behaviour\n');
    implement(ws, id, `import { twice } from './lib/helper.js';\nexport default async function e(input: { n: number }): Promise<{ n: number }> {\n  return { n: twice(input.n) };\n}\n`);
    writeFileSync(path.join(ws, 'staged', id, 'fixtures.json'), '{}');
    const show = toolsmith(ws, ['show', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Code: lib/helper.ts (compiled and run with index.ts)');
    expect(show.stdout).toMatch(/1 \| export const twice = \(n: number\): number => n \* 2; \/\/ hidden behaviour/);
    expect(show.stdout).not.toContain('Code: fixtures.json'); // data is listed, not shown as code
  });
});
