import { mkdir, writeFile, access, stat } from 'node:fs/promises';
import { UserError } from '../models/errors.js';
import path from 'node:path';
import { CONFIG_FILE } from './find-workspace.js';
import { defaultConfig } from './load-config.js';
import { errnoCode } from '../models/errno-code.js';

export interface InitOptions {
  dir: string;
}

export interface InitResult {
  root: string;
  created: string[];
  existing: string[];
}

/** `init`: creates a workspace (config with the documented defaults, staged/, registry/); never overwrites. */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  const root = path.resolve(options.dir);
  const created: string[] = [];
  const existing: string[] = [];
  await makeFolder(root, root);
  for (const dir of ['staged', 'registry']) {
    const full = path.join(root, dir);
    if (await isFolder(full)) existing.push(`${dir}/`);
    else {
      await makeFolder(full, root);
      created.push(`${dir}/`);
    }
  }
  const configFile = path.join(root, CONFIG_FILE);
  if (await exists(configFile)) existing.push(CONFIG_FILE);
  else {
    const config = { $schema: './node_modules/toolsmith/schemas/WorkspaceConfig.json', ...defaultConfig() };
    // 'wx' fails rather than overwrite a config created meanwhile.
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
    created.push(CONFIG_FILE);
  }
  return { root, created, existing };
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

async function isFolder(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() === true;
}

/**
 * mkdir -p, with the reason in words when a file is in the way or access is denied.
 * @throws UserError (exit 2)
 */
async function makeFolder(dir: string, root: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = errnoCode(error);
    const hint = 'name a new or an existing folder: toolsmith init DIR';
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UserError(`${dir} exists and is not a folder`, dir === root ? hint : `move the file ${path.basename(dir)} out of ${root}, then run init again`);
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`cannot create ${dir}: permission denied`, hint);
    throw error;
  }
}
