import { runTool } from '../../lifecycle/run-tool.js';
import { createIo } from '../io/output.js';
import { readInputFlags } from '../io/read-stdin.js';
import { EXIT } from '../../models/exit-codes.js';
import { FailedRunError, UserError } from '../../models/errors.js';
import type { Handler } from '../program.js';

const run: Handler = async ([tool], flags) => {
  const io = await createIo(flags);
  // `run` takes one input; a batch of inputs is a one-step pipeline (the check stays off `run`'s hot path: no pipeline module loads).
  if (typeof flags['inputFile'] === 'string' && /\.(jsonl|ndjson)$/i.test(flags['inputFile'])) {
    throw new UserError(`run takes one input, and ${flags['inputFile']} is a batch file (one input per line)`, `run every line through the tool with \`toolsmith pipeline ${String(tool)} --input-file ${flags['inputFile']}\``);
  }
  const { inputText, inputFile } = await readInputFlags(flags);
  const outDir = typeof flags['out'] === 'string' ? flags['out'] : undefined;
  const result = await runTool({ cwd: io.cwd, workspace: flags.workspace, toolId: String(tool), inputText, inputFile, outDir });
  if (flags.verbose) for (const line of result.logs) io.err(`[tool] ${line}`);
  // e.g. the OS sandbox layer is off: said on every run (SPEC 8), and kept in metadata.warnings.
  for (const warning of result.warnings) io.err(`toolsmith: warning: ${warning}`);
  // Printed by the one catch (cli/report-error.ts) in the one error shape, from the run's envelope.
  if (!result.ok) throw new FailedRunError(result.error);
  // Human output is the RunArtifacts JSON too: it is what a user pipes into the next step.
  io.out(JSON.stringify(result.artifacts, null, 2));
  return EXIT.OK;
};
export default run;
