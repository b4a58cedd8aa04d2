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
  /**
   * Whether the root is a workspace: it holds toolsmith.config.json or registry/metadata.json
   * (what `init` and the first transition write), or both staged/ and registry/ (SPEC 2).
   * False for the fallback to the current folder when nothing was found.
   */
  initialized: boolean;
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
    initialized: isWorkspaceRoot(root),
  };
}

/** Whether a folder is a workspace root (see Workspace.initialized). */
export function isWorkspaceRoot(dir: string): boolean {
  if (hasMarker(dir)) return true;
  return statSync(path.join(dir, 'staged'), { throwIfNoEntry: false })?.isDirectory() === true && statSync(path.join(dir, 'registry'), { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The files discovery looks for in each ancestor. */
function hasMarker(dir: string): boolean {
  return existsSync(path.join(dir, CONFIG_FILE)) || existsSync(path.join(dir, 'registry', 'metadata.json'));
}

/** What each way of finding the workspace is called in messages. */
const SOURCE: Record<Workspace['foundBy'], string> = { flag: '--workspace', env: 'TOOLSMITH_WORKSPACE', ancestor: 'found above the current folder', cwd: 'the current folder' };

/**
 * Refuses to work outside a workspace: commands must not invent one (a `verify` of nothing,
 * a `generate` that scatters staged/ and registry/ into any folder).
 * @throws UserError naming the folder and how it was chosen, with `toolsmith init` as the hint
 */
export function assertWorkspace(workspace: Workspace): Workspace {
  if (workspace.initialized) return workspace;
  if (workspace.foundBy === 'cwd') {
    throw new UserError(`no toolsmith workspace in ${workspace.root} or any folder above it`, 'run `toolsmith init` to make this folder one, or pass --workspace DIR');
  }
  throw new UserError(
    `${workspace.root} (from ${SOURCE[workspace.foundBy]}) is not a toolsmith workspace: it has no ${CONFIG_FILE}, registry/metadata.json, or staged/ and registry/`,
    `run \`toolsmith init ${workspace.root}\` to make it one`,
  );
}

/** One line naming the workspace in use and how it was found, e.g. `/srv/tools (TOOLSMITH_WORKSPACE)`. */
export function describeWorkspace(workspace: Workspace): string {
  return `${workspace.root} (${SOURCE[workspace.foundBy]})`;
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
    if (hasMarker(dir)) return createWorkspace(dir, 'ancestor');
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
