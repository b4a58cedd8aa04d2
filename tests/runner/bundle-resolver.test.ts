// The runner on a staged candidate's bundle: a real resolver with the bundle's hashes, and the
// sandbox failure kind as a typed field. Uses the BUILT runner: the sandbox starts its harness from dist/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as RunnerModule from '../../src/runner/index.js';
import type * as BuildModule from '../../src/bundle/build-package.js';
import type * as ConfigModule from '../../src/workspace/load-config.js';
import { ToolSpec } from '../../src/models/index.js';
import { readCurrentHashes } from '../../src/stores/staged-store.js';
import { sha256 } from '../../src/stores/hash.js';
import { ROOT, tempDir, WORD_COUNT_IMPL, WORD_COUNT_SPEC, WORD_COUNT_TESTS } from '../helpers.js';

const built = (rel: string) => pathToFileURL(path.join(ROOT, 'dist', rel)).href;
// `as`: each dist module is compiled from the src module whose types these are.
const runner = (await import(built('runner/index.js'))) as typeof RunnerModule;
const { buildScratchBundle } = (await import(built('bundle/build-package.js'))) as typeof BuildModule;
const { defaultConfig } = (await import(built('workspace/load-config.js'))) as typeof ConfigModule;

const SPEC: ToolSpec = ToolSpec.parse(WORD_COUNT_SPEC);

function writePackage(index: string): string {
  const dir = path.join(tempDir('toolsmith-bundle-resolver-'), 'word_count');
  mkdirSync(path.join(dir, 'samples'), { recursive: true });
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(SPEC));
  writeFileSync(path.join(dir, 'tests.json'), JSON.stringify(WORD_COUNT_TESTS));
  writeFileSync(path.join(dir, 'index.ts'), index);
  writeFileSync(path.join(dir, 'samples', '2.ts'), WORD_COUNT_IMPL);
  return dir;
}

async function withBundle<T>(index: string, use: (bundleDir: string, packageDir: string) => Promise<T>): Promise<T> {
  const packageDir = writePackage(index);
  const bundle = await buildScratchBundle(packageDir, SPEC);
  try {
    expect(bundle.errors).toEqual([]);
    return await use(bundle.dir, packageDir);
  } finally {
    await bundle.cleanup();
  }
}

describe('createBundleResolver', () => {
  it('resolves the candidate with the hashes of its files and exactly its build/ bytes', async () => {
    await withBundle(WORD_COUNT_IMPL, async (bundleDir, packageDir) => {
      const resolver = await runner.createBundleResolver({ toolId: 'word_count', bundleDir, spec: SPEC });
      const tool = await resolver.resolve('word_count');
      expect(tool.codeHash).toBe((await readCurrentHashes(packageDir)).code_hash);
      expect(tool.specFileHash).toBe(sha256(readFileSync(path.join(packageDir, 'spec.json'))));
      expect(tool.version).toBe(runner.CANDIDATE_VERSION);
      expect([...tool.buildFiles.keys()].sort()).toEqual(['index.js', 'package.json']);
      expect(Buffer.from(tool.buildFiles.get('index.js') ?? '').toString()).toBe(readFileSync(path.join(bundleDir, 'build', 'index.js'), 'utf8'));
      await expect(resolver.resolve('other_tool')).rejects.toMatchObject({ name: 'NotFoundError' });
    });
  });

  it('a sample bundle (index.ts replaced) resolves with the code hash of that code, not the candidate\'s', async () => {
    const packageDir = writePackage(`${WORD_COUNT_IMPL}\n// the primary`);
    const bundle = await buildScratchBundle(packageDir, SPEC, 'samples/2.ts');
    try {
      const tool = await (await runner.createBundleResolver({ toolId: 'word_count', bundleDir: bundle.dir, spec: SPEC })).resolve('word_count');
      expect(tool.codeHash).not.toBe((await readCurrentHashes(packageDir)).code_hash);
    } finally {
      await bundle.cleanup();
    }
  });
});

describe('RunOutcome.sandboxFailure', () => {
  async function runOnce(index: string, timeoutMs: number): Promise<RunnerModule.RunOutcome> {
    return withBundle(index, async (bundleDir) => {
      const toolRunner = new runner.ToolRunner({
        resolver: await runner.createBundleResolver({ toolId: 'word_count', bundleDir, spec: SPEC }),
        metrics: runner.discardMetricsSink,
        limits: { ...defaultConfig().sandbox, timeout_ms: timeoutMs },
        validators: runner.createCachedValidators(null),
      });
      return toolRunner.run('word_count', { text: 'a b' });
    });
  }

  it('a tool that never returns: "timeout", a limit (the sandbox gate), also in the envelope', async () => {
    const outcome = await runOnce('export default async function f(input: { text: string }): Promise<{ words: number }> { for (;;) {} }\n', 1_000);
    expect(outcome.sandboxFailure).toBe('timeout');
    expect(runner.hitLimit(outcome)).toBe(true);
    expect(outcome.error?.error.details['sandbox']).toBe('timeout');
  }, 30_000);

  it('a tool that throws: "execution", no limit; a wrong result: no sandbox failure; a good run: none', async () => {
    const thrown = await runOnce('export default async function f(input: { text: string }): Promise<{ words: number }> { throw new Error("no"); }\n', 10_000);
    expect(thrown.sandboxFailure).toBe('execution');
    expect(runner.hitLimit(thrown)).toBe(false);
    const wrong = await runOnce('export default async function f(input: { text: string }): Promise<{ words: number }> { return { words: "x" } as never; }\n', 10_000);
    expect(wrong.error?.error.type).toBe('ValidationError');
    expect(wrong.sandboxFailure).toBeNull();
    expect(wrong.error?.error.details['sandbox']).toBeUndefined();
    const good = await runOnce(WORD_COUNT_IMPL, 10_000);
    expect(good.error).toBeNull();
    expect(good.sandboxFailure).toBeNull();
  }, 50_000);
});
