// Where a pipeline comes from: tool names on the command line, a PIPELINE.json file, or a
// saved pipeline (`pipelines/<name>.json` in the workspace). Checked by hand, not with zod:
// `pipeline` is a run path and stays as light as `run`.
import path from 'node:path';
import { UserError } from '../models/errors.js';
import { toolIdProblem } from '../models/tool-id.js';
import { checkSteps, PIPELINES_DIR, readPipelineFile, type PipelineDefinition } from '../stores/pipeline-store.js';

export type { PipelineDefinition } from '../stores/pipeline-store.js';

export interface PipelineSource {
  tools?: readonly string[];
  file?: string | undefined;
  name?: string | undefined;
}

/** Reads the pipeline the user named one way (and only one). @throws UserError (exit 2) */
export async function loadPipeline(source: PipelineSource, where: { cwd: string; root: string }): Promise<PipelineDefinition> {
  const given = [source.tools !== undefined && source.tools.length > 0, source.file !== undefined, source.name !== undefined].filter(Boolean).length;
  const usage = 'name the steps as `toolsmith pipeline TOOL TOOL ...`, or pass --file PIPELINE.json or --name NAME';
  if (given === 0) throw new UserError('a pipeline needs its steps', usage);
  if (given > 1) throw new UserError('name the steps one way only: tools on the command line, --file or --name', usage);
  if (source.file !== undefined) return readPipelineFile(path.resolve(where.cwd, source.file), source.file, 'pass --file with the path of a PIPELINE.json ({ "tools": [...], "payload": {...} })');
  if (source.name !== undefined) {
    const problem = toolIdProblem(source.name);
    if (problem) throw new UserError(`invalid pipeline name "${source.name}": ${problem}`, 'pipeline names look like tool ids, e.g. stats_report');
    const rel = path.join(PIPELINES_DIR, `${source.name}.json`);
    return readPipelineFile(path.join(where.root, rel), rel, `list saved pipelines with \`toolsmith list\`; they live in ${PIPELINES_DIR}/ of the workspace`);
  }
  return { tools: checkSteps([...(source.tools ?? [])], 'the command line'), payload: null, source: 'the command line' };
}
