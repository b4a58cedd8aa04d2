import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from './find-workspace.js';
import { defaultConfig } from './load-config.js';

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
  await mkdir(root, { recursive: true });
  for (const dir of ['staged', 'registry']) {
    const full = path.join(root, dir);
    if (await exists(full)) existing.push(`${dir}/`);
    else {
      await mkdir(full);
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
