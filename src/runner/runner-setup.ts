import path from 'node:path';
import type { SandboxConfig } from '../models/index.js';
import { loadSpecValidators, resolveCacheDir } from '../json-schema/validator-cache.js';
import { createRegistryMetricsSink, createRegistryResolver } from './registry-resolver.js';
import { ToolRunner, type ValidatorSource } from './tool-runner.js';

/**
 * The runner of promoted tools in a workspace (`run`, `pipeline`): the registry's verified
 * files, its metrics, the config's limits, `fs:read` relative to where toolsmith started.
 */
export function createWorkspaceRunner(workspace: { root: string; registryDir: string; stagedDir: string }, sandbox: SandboxConfig, options: { cwd: string; env: NodeJS.ProcessEnv }): ToolRunner {
  return new ToolRunner({
    resolver: createRegistryResolver(workspace.registryDir),
    metrics: createRegistryMetricsSink(workspace.registryDir),
    limits: sandbox,
    validators: createCachedValidators(options.env),
    readPaths: sandbox.read_paths.map((p) => path.resolve(options.cwd, p)),
    maskedPaths: workspaceMasks(workspace),
    env: options.env,
    cacheDir: toolsmithCacheDir(options.env),
  });
}

/**
 * Validators compiled by toolsmith from each tool's verified schemas, cached in toolsmith's
 * cache folder (TOOLSMITH_CACHE_DIR, else $XDG_CACHE_HOME/toolsmith, else ~/.cache/toolsmith).
 * `env` null: no cache (every run compiles).
 */
export function createCachedValidators(env: NodeJS.ProcessEnv | null): ValidatorSource {
  const cacheDir = env === null ? null : resolveCacheDir(env);
  return (tool) => loadSpecValidators(tool.schemas, cacheDir, tool.specFileHash);
}

/** toolsmith's cache folder for this environment (TOOLSMITH_CACHE_DIR, else $XDG_CACHE_HOME/toolsmith, else ~/.cache/toolsmith). */
export function toolsmithCacheDir(env: NodeJS.ProcessEnv): string {
  return resolveCacheDir(env);
}

/**
 * What no tool may read, even inside a granted read path (SPEC 8): the workspace's
 * registry/ and staged/ (promoted code, candidates, their tests and references), its
 * config, its git history and its dependencies.
 */
export function workspaceMasks(workspace: { root: string; registryDir: string; stagedDir: string }): string[] {
  const root = path.resolve(workspace.root);
  return [
    path.resolve(workspace.registryDir),
    path.resolve(workspace.stagedDir),
    path.join(root, 'toolsmith.config.json'),
    path.join(root, '.git'),
    path.join(root, 'node_modules'),
  ];
}
