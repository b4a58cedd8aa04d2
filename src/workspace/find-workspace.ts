import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../models/errors.js';

export const CONFIG_FILE = 'toolsmith.config.json';

export interface Workspace {
  root: string;
  stagedDir: string;
  registryDir: string;
  configFile: string;
  /** How the root was chosen, for `--verbose` and error hints. */
  foundBy: 'flag' | 'env' | 'ancestor' | 'cwd';
}

export interface FindWorkspaceOptions {
  cwd: string;
  workspace?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** Builds the Workspace record for a root folder. */
export function createWorkspace(root: string, foundBy: Workspace['foundBy']): Workspace {
  return {
    root,
    stagedDir: path.join(root, 'staged'),
    registryDir: path.join(root, 'registry'),
    configFile: path.join(root, CONFIG_FILE),
    foundBy,
  };
}

/**
 * Finds the workspace (SPEC 2): --workspace, else TOOLSMITH_WORKSPACE, else the nearest
 * ancestor holding toolsmith.config.json or registry/metadata.json, else the cwd.
 * @throws UserError when an explicitly named folder does not exist
 */
export function findWorkspace(options: FindWorkspaceOptions): Workspace {
  const env = options.env ?? process.env;
  if (options.workspace) return createWorkspace(assertDirectory(path.resolve(options.cwd, options.workspace), '--workspace'), 'flag');
  const fromEnv = env['TOOLSMITH_WORKSPACE'];
  if (fromEnv) return createWorkspace(assertDirectory(path.resolve(options.cwd, fromEnv), 'TOOLSMITH_WORKSPACE'), 'env');
  let dir = path.resolve(options.cwd);
  for (;;) {
    if (existsSync(path.join(dir, CONFIG_FILE)) || existsSync(path.join(dir, 'registry', 'metadata.json'))) {
      return createWorkspace(dir, 'ancestor');
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return createWorkspace(path.resolve(options.cwd), 'cwd');
}

function assertDirectory(dir: string, source: string): string {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    throw new UserError(`${source} names ${dir}, which is not a folder`, 'create it with `toolsmith init DIR`');
  }
  return dir;
}
