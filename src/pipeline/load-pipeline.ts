// Where a pipeline comes from: tool names on the command line, a PIPELINE.json file, or a
// saved pipeline (`pipelines/<name>.json` in the workspace). Checked by hand, not with zod:
// `pipeline` is a run path and stays as light as `run`.
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { toolIdProblem } from '../models/tool-id.js';
import { readRegularText } from '../stores/read-regular-file.js';
import { parseJsonText } from '../stores/read-json.js';
import { assertToolRef } from '../stores/tool-id.js';

/** The Pipeline model (SPEC 3): `payload` is absent when the input comes from --input/--input-file. */
export interface PipelineDefinition {
  tools: string[];
  payload: Record<string, unknown> | null;
  /** Where it came from, for messages: `the command line`, a file path, or `pipelines/NAME.json`. */
  source: string;
}

export interface PipelineSource {
  tools?: readonly string[];
  file?: string | undefined;
  name?: string | undefined;
}

/** The folder of saved pipelines inside a workspace. */
export const PIPELINES_DIR = 'pipelines';

/** Reads the pipeline the user named one way (and only one). @throws UserError (exit 2) */
export async function loadPipeline(source: PipelineSource, where: { cwd: string; root: string }): Promise<PipelineDefinition> {
  const given = [source.tools !== undefined && source.tools.length > 0, source.file !== undefined, source.name !== undefined].filter(Boolean).length;
  const usage = 'name the steps as `toolsmith pipeline TOOL TOOL ...`, or pass --file PIPELINE.json or --name NAME';
  if (given === 0) throw new UserError('a pipeline needs its steps', usage);
  if (given > 1) throw new UserError('name the steps one way only: tools on the command line, --file or --name', usage);
  if (source.file !== undefined) return readPipelineFile(path.resolve(where.cwd, source.file), source.file);
  if (source.name !== undefined) {
    const problem = toolIdProblem(source.name);
    if (problem) throw new UserError(`invalid pipeline name "${source.name}": ${problem}`, 'pipeline names look like tool ids, e.g. stats_report');
    const rel = path.join(PIPELINES_DIR, `${source.name}.json`);
    return readPipelineFile(path.join(where.root, rel), rel, `list saved pipelines with \`toolsmith list\`; they live in ${PIPELINES_DIR}/ of the workspace`);
  }
  return { tools: checkSteps([...(source.tools ?? [])], 'the command line'), payload: null, source: 'the command line' };
}

async function readPipelineFile(file: string, shown: string, missingHint = 'pass --file with the path of a PIPELINE.json ({ "tools": [...], "payload": {...} })'): Promise<PipelineDefinition> {
  let text: string;
  try {
    text = await readRegularText(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`pipeline ${shown} does not exist`, missingHint);
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
  const { tools, payload } = record;
  if (!Array.isArray(tools) || tools.length === 0 || !tools.every((t): t is string => typeof t === 'string')) throw new UserError(`${shown}: "tools" must be a non-empty list of tool names`, hint);
  if (payload !== undefined && (typeof payload !== 'object' || payload === null || Array.isArray(payload))) throw new UserError(`${shown}: "payload" must be a JSON object`, hint);
  return { tools: checkSteps(tools, shown), payload: (payload as Record<string, unknown> | undefined) ?? null, source: shown }; // `as`: checked above
}

/** At most this many steps: a chain is for people to read, and each step is a sandboxed process. */
export const MAX_STEPS = 64;

function checkSteps(tools: string[], shown: string): string[] {
  if (tools.length > MAX_STEPS) throw new UserError(`${shown}: ${tools.length} steps; a pipeline has at most ${MAX_STEPS}`, 'split it into shorter pipelines');
  for (const ref of tools) assertToolRef(ref);
  return tools;
}
