import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createNodeArgs, createToolEnv, prlimitArgs, type ChildCommand } from './child-command.js';
import type { RunFolder } from './create-run-folder.js';
import type { ReadAccess } from './plan-read-access.js';
import type { SandboxRequest } from './types.js';
import { BUILT_ENTRY } from '../models/package-layout.js';

/** Which exec-in-place launchers to put before node (absolute paths), see node-launchers.ts. */
export interface LaunchPlan {
  prlimit: string | null;
  unshare: string | null;
  setpriv: string | null;
}

/**
 * The command of one run WITHOUT the OS layer: node under the permission model in the run
 * folder, behind whichever launchers this machine allows. The permission model alone is not
 * a security boundary (Node's own documentation says so); this is the degraded mode that
 * reports carry a warning for.
 */
export function createNodeCommand(request: SandboxRequest, folder: RunFolder, plan: LaunchPlan, access: ReadAccess | null, fixtures: string | null, permissionFlag: string): { command: ChildCommand; entryUrl: string } {
  const granted = new Set(request.permissions);
  const reads = [folder.toolDir, folder.harness];
  const writes: string[] = [];
  if (access !== null) reads.push(...access.grants);
  // Fixtures are copied into the scratch folder, so `fixtures/x` reads the same under both layers.
  if (fixtures !== null && granted.has('fs:read')) reads.push(path.join(folder.workDir, 'fixtures'));
  if (granted.has('fs:write')) {
    reads.push(folder.workDir);
    writes.push(folder.workDir);
  }
  const chain: string[] = [];
  // No process cap here: outside a user namespace RLIMIT_NPROC counts every process of the user.
  if (plan.prlimit !== null) chain.push(plan.prlimit, ...prlimitArgs(request.limits, false), '--');
  if (plan.unshare !== null) chain.push(plan.unshare, '--net', '--');
  if (plan.setpriv !== null) chain.push(plan.setpriv, '--pdeathsig', 'KILL', '--');
  chain.push(process.execPath, ...createNodeArgs(permissionFlag, withRealPaths(reads), withRealPaths(writes), request.limits, folder.harness));
  const [file = process.execPath, ...args] = chain;
  return {
    command: { file, args, env: createToolEnv(granted.has('env'), request.env ?? process.env, folder.workDir), cwd: folder.workDir, extraFds: [] },
    entryUrl: pathToFileURL(path.join(folder.toolDir, request.entry ?? BUILT_ENTRY)).href,
  };
}

/**
 * The permission model compares the paths it is given, but the ESM loader reads the real
 * path of a module, so a grant through a symlinked folder (macOS /tmp) would deny the
 * tool its own files: grant both spellings.
 */
function withRealPaths(paths: readonly string[]): string[] {
  const all = new Set<string>();
  for (const given of paths) {
    all.add(given);
    try {
      all.add(realpathSync(given));
    } catch {
      // a missing path stays as given; the child reports what it cannot find
    }
  }
  return [...all];
}
