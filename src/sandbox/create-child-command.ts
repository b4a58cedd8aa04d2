import { realpathSync } from 'node:fs';
import type { SandboxRequest } from './types.js';

/** Which exec-in-place launchers to put before node (absolute paths), see detect-protections.ts. */
export interface LaunchPlan {
  unshare: string | null;
  setpriv: string | null;
}

export interface ChildCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Builds the argv, env and cwd of the sandboxed child: launchers, then node under the permission model. */
export function createChildCommand(request: SandboxRequest, plan: LaunchPlan, harness: string, permissionFlag: string): ChildCommand {
  const cwd = request.cwd ?? process.cwd();
  const granted = new Set(request.permissions);
  const reads = [request.packageDir, request.entry, harness];
  if (granted.has('fs:read')) reads.push(cwd);
  const writes = granted.has('fs:write') ? [cwd] : [];
  // Node 20.20 takes one path per flag: a comma-separated list is rejected with a warning.
  const nodeArgs = [
    permissionFlag,
    ...withRealPaths(reads).map((dir) => `--allow-fs-read=${dir}`),
    ...withRealPaths(writes).map((dir) => `--allow-fs-write=${dir}`),
    `--max-old-space-size=${Math.ceil(request.limits.maxHeapMb)}`,
    '--disable-warning=ExperimentalWarning',
    harness,
  ];
  const chain: string[] = [];
  if (plan.unshare !== null) chain.push(plan.unshare, '--net', '--');
  if (plan.setpriv !== null) chain.push(plan.setpriv, '--pdeathsig', 'KILL', '--');
  chain.push(process.execPath, ...nodeArgs);
  const [file = process.execPath, ...args] = chain;
  return { file, args, env: granted.has('env') ? inheritedEnv() : {}, cwd };
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

/**
 * The parent's env for tools granted 'env', minus NODE_OPTIONS: it would reach the child's
 * node and could carry `--allow-child-process`, preloads or loaders the sandbox never chose.
 */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  return env;
}
