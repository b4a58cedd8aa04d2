import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../models/errors.js';
import type { Permission } from '../models/index.js';
import { BUILD_DIR } from '../models/package-layout.js';
import { hashCodeBytes, listFiles, sha256 } from '../stores/hash.js';
import type { ResolvedTool, ToolResolver } from './tool-runner.js';

/** The version a candidate's bundle resolves as: it has none until it is promoted. */
export const CANDIDATE_VERSION = 'candidate';

export interface BundleResolverOptions {
  toolId: string;
  /** A built bundle (validate builds one per implementation in scratch space): the package's files plus build/. */
  bundleDir: string;
  /** The spec that passed the schema gate, parsed from the bundle's spec.json. */
  spec: { input_schema: object; output_schema: object; permissions: readonly Permission[] };
}

/**
 * Resolves the one candidate a built bundle holds, as the registry resolver resolves a
 * promoted version: every file is read once, and the tool carries the hashes of those bytes
 * (code_hash of its sources, SHA-256 of its spec.json) and exactly the build/ bytes hashed.
 * The bundle is validate's private scratch copy, so it is read once for all the test runs.
 * @throws the fs error when the bundle cannot be read
 */
export async function createBundleResolver(options: BundleResolverOptions): Promise<ToolResolver> {
  const files = new Map<string, Buffer>();
  for (const rel of await listFiles(options.bundleDir)) files.set(rel, await readFile(path.join(options.bundleDir, rel)));
  const buildFiles = new Map<string, Uint8Array>();
  const prefix = `${BUILD_DIR}/`;
  for (const [rel, bytes] of files) if (rel.startsWith(prefix)) buildFiles.set(rel.slice(prefix.length), bytes);
  const specBytes = files.get('spec.json');
  const tool: ResolvedTool = {
    toolId: options.toolId,
    version: CANDIDATE_VERSION,
    codeHash: hashCodeBytes(files),
    schemas: { input_schema: options.spec.input_schema, output_schema: options.spec.output_schema },
    ...(specBytes === undefined ? {} : { specFileHash: sha256(specBytes) }),
    permissions: options.spec.permissions,
    buildFiles,
  };
  return {
    async resolve(ref: string): Promise<ResolvedTool> {
      // A candidate has no versions to pin: only its own name resolves.
      if (ref !== options.toolId) throw new NotFoundError(`${ref}: this bundle holds the candidate ${options.toolId}`, `run it as ${options.toolId}`);
      return tool;
    },
  };
}
