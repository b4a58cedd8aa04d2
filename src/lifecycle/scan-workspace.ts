import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import type { ScanResult } from '../models/scan-result.js';
import { parseScanConfig, scanProject } from '../scanner/index.js';
import { findWorkspace } from '../workspace/find-workspace.js';
import { loadConfig } from '../workspace/load-config.js';

export interface ScanWorkspaceOptions {
  cwd: string;
  /** --workspace, else found from cwd. */
  workspace?: string | undefined;
  /** --config: another config file to read the rules from (relative to cwd). */
  configFile?: string | undefined;
  /** Files or folders to scan, relative to cwd (default: the workspace root). */
  paths?: readonly string[];
  /** --max-warnings: more warnings than this fail the scan. */
  maxWarnings?: number | undefined;
}

export interface ScanWorkspaceResult {
  result: ScanResult;
  /** No error finding, and warnings within maxWarnings. */
  passed: boolean;
  /** The workspace root the finding paths are relative to. */
  root: string;
}

/**
 * `toolsmith scan` (SPEC 9): the workspace's `scan` rules over the given paths.
 * @throws UserError when --config names no file or the scan section is wrong
 */
export async function scanWorkspace(options: ScanWorkspaceOptions): Promise<ScanWorkspaceResult> {
  const workspace = findWorkspace({ cwd: options.cwd, workspace: options.workspace });
  const given = options.configFile;
  const configWorkspace = given === undefined ? workspace : { ...workspace, configFile: path.resolve(options.cwd, given) };
  if (given !== undefined && !existsSync(configWorkspace.configFile)) {
    throw new UserError(`--config ${given}: no such file`, 'name an existing toolsmith.config.json');
  }
  const config = await loadConfig(configWorkspace);
  const parsed = parseScanConfig(config.scan, configWorkspace.configFile);
  const result = scanProject({
    root: workspace.root,
    paths: (options.paths ?? []).map((p) => path.resolve(options.cwd, p)),
    rules: parsed.rules,
    ignore: parsed.ignore,
    configFile: path.relative(workspace.root, configWorkspace.configFile).split(path.sep).join('/'),
  });
  const { maxWarnings } = options;
  const passed = result.error_count === 0 && (maxWarnings === undefined || result.warning_count <= maxWarnings);
  return { result, passed, root: workspace.root };
}
