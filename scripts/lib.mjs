// Shared by the demo and the example promoter: drive the REAL toolsmith binary, step by step.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'toolsmith.js');

/** Runs `toolsmith ...args` in cwd, echoing the command and its output; stops the script on an unexpected exit code. */
export function step(cwd, args, { expect = 0, env = {}, quiet = false } = {}) {
  process.stdout.write(`\n$ toolsmith ${args.map((a) => (/[\s"'{}]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (!quiet) process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== expect) {
    process.stderr.write(`\nstep failed: exit ${r.status}, expected ${expect}\n`);
    process.exit(1);
  }
  return r;
}

/** generate from a spec, put in the implementation and tests (as a user editing files would), then the whole review path. */
export function lifecycle(ws, exampleDir, { reviewer, env }) {
  const spec = path.join(exampleDir, 'spec.json');
  const id = path.basename(exampleDir);
  step(ws, ['generate', '--spec', spec, '--force'], { env });
  for (const file of ['index.ts', 'tests.json']) copyFileSync(path.join(exampleDir, file), path.join(ws, 'staged', id, file));
  process.stdout.write(`(wrote the implementation and tests into staged/${id}/)\n`);
  step(ws, ['validate', id], { env });
  step(ws, ['stage', id], { env });
  // The reviewer records the approval themselves: the author may not (issue 8: actor and reviewer are both checked).
  step(ws, ['approve', id, '--reviewer', reviewer, '--notes', 'read the code and the tests'], { env: { ...env, TOOLSMITH_ACTOR: reviewer } });
  step(ws, ['promote', id], { env });
}
