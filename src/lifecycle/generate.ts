import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolSpec, deriveParameters } from '../models/index.js';
import type { ToolCandidate, ToolSpecInput } from '../models/index.js';
import { UserError, IllegalTransitionError } from '../models/errors.js';
import { formatZodIssues } from '../models/format-issues.js';
import { parseJsonText } from '../stores/read-json.js';
import { readRegularText } from '../stores/read-regular-file.js';
import { hasCandidate, writeNewPackage, formatJson, assertToolId } from '../stores/staged-store.js';
import { hashCodeFileMap, hashSpec } from '../stores/hash.js';
import { readMetadata } from '../stores/registry-store.js';
import { checkToolSchemas } from '../validate/schema-gate.js';
import { recordTransition } from '../stores/record-transition.js';
import { SEMVER_PATTERN } from '../models/tool-id.js';
import { resolveActor } from './resolve-actor.js';
import { openWorkspace, type CommandOptions, type OpenWorkspace } from '../workspace/open-workspace.js';
import type { GeneratorBackend } from '../generate/backend.js';
import { errnoCode } from '../models/errno-code.js';

export interface GenerateOptions extends CommandOptions {
  /** The spec: from --spec FILE (read here) or already gathered by the wizard. */
  specFile?: string | undefined;
  spec?: ToolSpecInput | undefined;
  /** A name given on the command line overrides the spec's tool_name. */
  name?: string | undefined;
  force?: boolean;
  samples?: number;
  /** The candidate's version (`--tool-version`); default: the next patch after the promoted one, else 1.0.0. */
  version?: string | undefined;
  templateName?: string;
  templatesDir: string;
  backend: GeneratorBackend;
}

export interface GenerateResult {
  tool_id: string;
  version: string;
  path: string;
  status: 'DRAFT';
  created_by: string;
  files: string[];
}

/** Reads a spec file. @throws UserError naming the file and what is wrong (missing, a folder, bad JSON at line:column) */
export async function readSpecFile(file: string): Promise<unknown> {
  const hint = 'pass --spec PATH to a JSON ToolSpec file (see examples/*/spec.json)';
  const info = await stat(file).catch(() => null);
  if (!info) throw new UserError(`--spec ${file}: no such file`, hint);
  if (info.isDirectory()) throw new UserError(`--spec ${file}: is a folder, not a file`, hint);
  const text = await readRegularText(file, hint).catch((error: unknown) => {
    if (error instanceof UserError) throw new UserError(`--spec ${error.message}`, hint);
    throw new UserError(`--spec ${file}: cannot read it (${errnoCode(error) ?? String(error)})`, hint);
  });
  return parseJsonText(text, file);
}

/** Validates a spec (zod) and fills derived fields. @throws UserError naming each problem */
export function parseSpec(raw: unknown, source: string, name?: string): ToolSpec {
  const withName = name !== undefined && typeof raw === 'object' && raw !== null ? { ...raw, tool_name: name } : raw;
  const parsed = ToolSpec.safeParse(withName);
  if (!parsed.success) throw new UserError(`${source}: invalid spec: ${formatZodIssues(parsed.error.issues)}`, 'see the README section "Spec files"');
  const spec = parsed.data;
  const schemaProblems = checkToolSchemas(spec);
  if (schemaProblems.length > 0) {
    throw new UserError(`${source}: invalid spec: ${schemaProblems.join('; ')}`, 'fix the schema at that path (schemas are compiled by ajv in strict mode; see the README section "Spec files")');
  }
  if (spec.parameters.length === 0) spec.parameters = deriveParameters(spec.input_schema);
  return spec;
}

function nextPatch(version: string): string {
  const [major, minor, patch] = version.split(/[.+-]/).map(Number);
  return `${major ?? 1}.${minor ?? 0}.${(patch ?? 0) + 1}`;
}

/**
 * `generate`: a new DRAFT candidate in staged/<tool_name>/ from a spec, rendered by a backend.
 * Its version follows the promoted one (next patch), else 1.0.0.
 * @throws UserError (bad spec, exit 2), IllegalTransitionError when the name is taken (exit 1)
 */
export async function generateCandidate(options: GenerateOptions): Promise<GenerateResult> {
  if (options.name !== undefined) assertToolId(options.name);
  const source = options.specFile ?? 'the wizard';
  const raw = options.spec ?? (options.specFile ? await readSpecFile(options.specFile) : undefined);
  if (raw === undefined) throw new UserError('generate needs a spec', 'pass --spec FILE (or run it in a terminal for the wizard)');
  const spec = parseSpec(raw, source, options.name);
  const samples = options.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1 || samples > 100) throw new UserError(`--samples must be a whole number from 1 to 100 (got ${samples})`, 'e.g. --samples 3 (index.ts is sample 1)');
  if (options.version !== undefined && !SEMVER_PATTERN.test(options.version)) {
    throw new UserError(`--tool-version must be a semantic version such as 1.2.0 (got "${options.version}")`, 'e.g. --tool-version 1.1.0');
  }
  const open = await openWorkspace(options);
  assertNameFree(open, spec.tool_name, options.force ?? false);
  const generated = await options.backend.generate({ spec, samples, templatesDir: options.templatesDir, templateName: options.templateName ?? 'default' });
  return writeGeneratedCandidate(open, options, { spec, files: generated.files, createdBy: generated.createdBy });
}

/** @throws IllegalTransitionError when staged/ holds a candidate of that name and --force is not given */
export function assertNameFree(open: OpenWorkspace, id: string, force: boolean): void {
  if (hasCandidate(open.workspace.stagedDir, id) && !force) {
    throw new IllegalTransitionError(`${id}: cannot generate: staged/${id} already exists`, 'pass --force to replace it, or choose another tool_name');
  }
}

/**
 * Writes a generated package as a new DRAFT: candidate.json computed from the files, the audit
 * line, then one rename (stores/staged-store.ts writeNewPackage), so nothing half-written is
 * ever visible. Its version follows the promoted one (next patch), else 1.0.0.
 */
export async function writeGeneratedCandidate(
  open: OpenWorkspace,
  options: Pick<GenerateOptions, 'cwd' | 'actor' | 'env' | 'force' | 'version'>,
  generated: { spec: ToolSpec; files: Record<string, string>; createdBy: string },
): Promise<GenerateResult> {
  const { workspace, now } = open;
  const actor = resolveActor(options, open);
  const { spec } = generated;
  const id = spec.tool_name;
  assertNameFree(open, id, options.force ?? false);
  const promoted = (await readMetadata(workspace.registryDir)).tools[id];
  const version = options.version ?? (promoted ? nextPatch(promoted.version) : '1.0.0');
  const at = now();
  const files: Record<string, string> = { ...generated.files, 'spec.json': formatJson(spec) };
  const codeHash = hashCodeFileMap(files);
  const specHash = hashSpec(spec);
  const candidate: ToolCandidate = {
    tool_id: id,
    version,
    spec,
    package_path: path.relative(workspace.root, path.join(workspace.stagedDir, id)),
    code_hash: codeHash,
    spec_hash: specHash,
    status: 'DRAFT',
    validation_report: null,
    run_artifacts: null,
    user_feedback: [],
    created_at: at.toISOString(),
    created_by: generated.createdBy,
    dependencies: [],
  };
  files['candidate.json'] = formatJson(candidate);
  // The audit line (the decision: a new epoch for this tool, authored by `actor`) is written
  // after the package is complete in a hidden folder and before the one rename that shows it.
  const dir = await writeNewPackage(workspace.stagedDir, id, files, {
    replace: options.force ?? false,
    beforeRename: async () => {
      await recordTransition(workspace.registryDir, { ts: at.toISOString(), action: 'generate', tool_id: id, version, actor, code_hash: codeHash, spec_hash: specHash, created_by: generated.createdBy });
    },
  });
  return { tool_id: id, version, path: path.relative(options.cwd, dir) || '.', status: 'DRAFT', created_by: generated.createdBy, files: Object.keys(files).sort() };
}
