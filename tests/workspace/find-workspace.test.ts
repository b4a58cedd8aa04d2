/**
 * Outside a workspace (issue 9, item 17): commands refuse instead of inventing one. `verify`
 * in an empty folder must not report an intact registry, and `generate` must not create
 * staged/ and registry/ there. `init` (or a folder with staged/ and registry/) makes one.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCandidate } from '../../src/lifecycle/generate.js';
import { listTools } from '../../src/lifecycle/list-tools.js';
import { verifyRegistry } from '../../src/lifecycle/verify.js';
import { templateBackend } from '../../src/generate/template-backend.js';
import { defaultTemplatesDir } from '../../src/generate/templates-dir.js';
import { UserError } from '../../src/models/errors.js';
import { findWorkspace } from '../../src/workspace/find-workspace.js';
import { initWorkspace } from '../../src/workspace/init-workspace.js';
import { tempDir, WORD_COUNT_SPEC } from '../helpers.js';

const NO_ENV = {} as NodeJS.ProcessEnv;

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('not a workspace', () => {
  it('verify in an empty folder refuses, naming the folder and `toolsmith init`', async () => {
    const dir = tempDir('toolsmith-nows-');
    const error = await refusal(verifyRegistry({ cwd: dir, env: NO_ENV }));
    expect(error.message).toMatch(/no toolsmith workspace/);
    expect(error.message).toContain(dir);
    expect(error.hint).toMatch(/toolsmith init/);
  });

  it('generate in an empty folder refuses and creates nothing there', async () => {
    const dir = tempDir('toolsmith-nows-');
    writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(WORD_COUNT_SPEC));
    const error = await refusal(generateCandidate({ cwd: dir, env: NO_ENV, specFile: path.join(dir, 'spec.json'), backend: templateBackend, templatesDir: defaultTemplatesDir(), actor: 'author' }));
    expect(error.hint).toMatch(/toolsmith init/);
    expect(readdirSync(dir)).toEqual(['spec.json']);
  });

  it('--workspace naming a folder that is not a workspace refuses, naming the flag', async () => {
    const dir = tempDir('toolsmith-nows-');
    mkdirSync(path.join(dir, 'empty'));
    const error = await refusal(listTools({ cwd: dir, workspace: 'empty', env: NO_ENV }));
    expect(error.message).toMatch(/--workspace/);
    expect(error.hint).toMatch(/toolsmith init/);
    const fromEnv = await refusal(listTools({ cwd: dir, env: { TOOLSMITH_WORKSPACE: path.join(dir, 'empty') } }));
    expect(fromEnv.message).toMatch(/TOOLSMITH_WORKSPACE/);
  });

  it('after init it is a workspace; so is a folder holding staged/ and registry/ (SPEC 2)', async () => {
    const dir = tempDir('toolsmith-ws-');
    await initWorkspace({ dir });
    expect((await listTools({ cwd: dir, env: NO_ENV })).workspace).toBe(dir);
    const bare = tempDir('toolsmith-ws-');
    mkdirSync(path.join(bare, 'staged'));
    mkdirSync(path.join(bare, 'registry'));
    expect(findWorkspace({ cwd: bare, env: NO_ENV }).initialized).toBe(true);
    expect((await verifyRegistry({ cwd: bare, env: NO_ENV })).ok).toBe(true);
  });

  it('a workspace is found from a folder inside it, and says how it was found', async () => {
    const dir = tempDir('toolsmith-ws-');
    await initWorkspace({ dir });
    mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    expect(findWorkspace({ cwd: path.join(dir, 'a', 'b'), env: NO_ENV })).toMatchObject({ root: dir, foundBy: 'ancestor', initialized: true });
    expect(findWorkspace({ cwd: '/', env: { TOOLSMITH_WORKSPACE: dir } })).toMatchObject({ root: dir, foundBy: 'env' });
    expect(findWorkspace({ cwd: tempDir('toolsmith-nows-'), env: NO_ENV })).toMatchObject({ foundBy: 'cwd', initialized: false });
  });
});
