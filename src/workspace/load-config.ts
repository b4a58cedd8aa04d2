import { readFile } from 'node:fs/promises';
import { WorkspaceConfig } from '../models/config.js';
import { UserError } from '../models/errors.js';
import { parseJsonText } from '../stores/read-json.js';
import { formatZodIssues } from '../models/format-issues.js';
import type { Workspace } from './find-workspace.js';

/** The defaults in force when a workspace has no toolsmith.config.json. */
export function defaultConfig(): WorkspaceConfig {
  return WorkspaceConfig.parse({});
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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    throw error;
  }
  const raw = parseJsonText(text, workspace.configFile);
  const parsed = WorkspaceConfig.safeParse(raw);
  if (!parsed.success) {
    throw new UserError(
      `${workspace.configFile}: ${formatZodIssues(parsed.error.issues)}`,
      'see the README section "Configuration" for every key',
    );
  }
  return parsed.data;
}
