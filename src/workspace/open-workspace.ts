import os from 'node:os';
import type { WorkspaceConfig } from '../models/index.js';
import { assertWorkspace, findWorkspace, type Workspace } from './find-workspace.js';
import { loadConfig } from './load-config.js';

/** What every core command takes: where it runs, and who and when (so tests never mock). */
export interface CommandOptions {
  cwd: string;
  workspace?: string | undefined;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  actor?: string | undefined;
}

export interface OpenWorkspace {
  workspace: Workspace;
  config: WorkspaceConfig;
  now: () => Date;
  actor: string;
}

/**
 * Finds the workspace and loads its config.
 * @throws UserError outside a workspace (see assertWorkspace) and for a bad config
 */
export async function openWorkspace(options: CommandOptions): Promise<OpenWorkspace> {
  const env = options.env ?? process.env;
  const workspace = assertWorkspace(findWorkspace({ cwd: options.cwd, workspace: options.workspace, env }));
  const config = await loadConfig(workspace);
  return { workspace, config, now: options.now ?? (() => new Date()), actor: options.actor ?? env['TOOLSMITH_ACTOR'] ?? safeUserName() };
}

function safeUserName(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
