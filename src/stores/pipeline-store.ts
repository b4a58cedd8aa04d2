// Saved pipelines: `pipelines/<name>.json` in the workspace, each a Pipeline file (SPEC 3).
// Parsed by hand, not with zod: `list` and `pipeline` are hot paths.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { toolIdProblem } from '../models/tool-id.js';
import { parseJsonText } from './read-json.js';
import { readRegularText } from './read-regular-file.js';
import { assertToolRef } from './tool-id.js';
import { errnoCode } from '../models/errno-code.js';

/** The folder of saved pipelines inside a workspace. */
export const PIPELINES_DIR = 'pipelines';

/** The Pipeline model (SPEC 3): `payload` is null when the input comes from --input/--input-file. */
export interface PipelineDefinition {
  tools: string[];
  payload: Record<string, unknown> | null;
  /** Where it came from, for messages: `the command line`, a file path, or `pipelines/NAME.json`. */
  source: string;
  description?: string;
}

/** One saved pipeline as `list` shows it: its steps, or why it cannot be read. */
export interface SavedPipeline {
  name: string;
  definition: PipelineDefinition | null;
  problem?: string;
}

/**
 * Reads and checks a Pipeline file; `shown` names it in messages.
 * @throws UserError (a missing file says `missingHint`; bad JSON names the line and column)
 */
export async function readPipelineFile(file: string, shown: string, missingHint: string): Promise<PipelineDefinition> {
  let text: string;
  try {
    text = await readRegularText(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new UserError(`pipeline ${shown} does not exist`, missingHint);
    throw error;
  }
  return parsePipeline(parseJsonText(text, shown), shown);
}

/** Checks the Pipeline model's shape: `{ "tools": [non-empty list of references], "payload"?: {...} }`. @throws UserError */
export function parsePipeline(value: unknown, shown: string): PipelineDefinition {
  const hint = `${shown} must look like { "tools": ["text_stats", "csv_group_count@1.0.0"], "payload": { ... } }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${shown} is not a JSON object`, hint);
  const record = value as Record<string, unknown>; // `as`: checked to be a non-array object
  const unknown = Object.keys(record).filter((k) => k !== 'tools' && k !== 'payload' && k !== '$schema' && k !== 'description');
  if (unknown.length > 0) throw new UserError(`${shown}: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}`, hint);
  const { tools, payload, description } = record;
  if (!Array.isArray(tools) || tools.length === 0 || !tools.every((t): t is string => typeof t === 'string')) throw new UserError(`${shown}: "tools" must be a non-empty list of tool names`, hint);
  if (payload !== undefined && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) throw new UserError(`${shown}: "payload" must be a JSON object`, hint);
  if (description !== undefined && typeof description !== 'string') throw new UserError(`${shown}: "description" must be a string`, hint);
  const definition: PipelineDefinition = { tools: checkSteps(tools, shown), payload: (payload as Record<string, unknown> | undefined) ?? null, source: shown }; // `as`: checked above
  if (typeof description === 'string') definition.description = description;
  return definition;
}

/** At most this many steps: a chain is for people to read, and each step is a sandboxed process. */
const MAX_STEPS = 64;

export function checkSteps(tools: string[], shown: string): string[] {
  if (tools.length > MAX_STEPS) throw new UserError(`${shown}: ${tools.length} steps; a pipeline has at most ${MAX_STEPS}`, 'split it into shorter pipelines');
  for (const ref of tools) assertToolRef(ref);
  return tools;
}

/** Every `pipelines/*.json` of a workspace, sorted by name; an unreadable one is listed with its problem. */
export async function listSavedPipelines(root: string): Promise<SavedPipeline[]> {
  const dir = path.join(root, PIPELINES_DIR);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const saved: SavedPipeline[] = [];
  for (const file of names) {
    const name = file.slice(0, -'.json'.length);
    const problem = toolIdProblem(name);
    if (problem) {
      saved.push({ name, definition: null, problem: `its name is not usable: ${problem}` });
      continue;
    }
    try {
      saved.push({ name, definition: await readPipelineFile(path.join(dir, file), path.join(PIPELINES_DIR, file), 'it was removed while being listed') });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      saved.push({ name, definition: null, problem: error.message });
    }
  }
  return saved;
}
