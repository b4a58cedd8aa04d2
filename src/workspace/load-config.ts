import { readFile } from 'node:fs/promises';
import type { WorkspaceConfig } from '../models/config.js';
import { parseStored } from '../models/stored.js';
import { UserError } from '../models/errors.js';
import { parseJsonText } from '../stores/read-json.js';
import type { Workspace } from './find-workspace.js';
import { errnoCode } from '../models/errno-code.js';

/** The defaults in force when a workspace has no toolsmith.config.json. */
export function defaultConfig(): WorkspaceConfig {
  const parsed = parseStored('WorkspaceConfig', {});
  // The empty config is valid by construction (every key has a default).
  if (!parsed.ok) throw new Error(`defaults do not validate: ${parsed.problems}`);
  return parsed.value;
}

/**
 * Reads and strictly validates toolsmith.config.json (an unknown key is an error naming it).
 * @throws UserError naming the file and each problem's key path
 */
export async function loadConfig(workspace: Workspace): Promise<WorkspaceConfig> {
  let text: string;
  try {
    text = await readFile(workspace.configFile, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return defaultConfig();
    throw error;
  }
  const raw = parseJsonText(text, workspace.configFile);
  const parsed = parseStored('WorkspaceConfig', raw);
  if (!parsed.ok) {
    throw new UserError(`${workspace.configFile}: ${parsed.problems}`, 'see the README section "Configuration" for every key');
  }
  return parsed.value;
}
