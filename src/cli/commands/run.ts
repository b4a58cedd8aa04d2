import { runTool } from '../../lifecycle/run-tool.js';
import { createIo } from '../io/output.js';
import { readStdinText } from '../io/read-stdin.js';
import { EXIT } from '../exit-codes.js';
import type { Handler } from '../program.js';
import type { ErrorReport } from '../report-error.js';
import type { ErrorEnvelope } from '../../models/index.js';

const run: Handler = async ([tool], flags) => {
  const io = await createIo(flags);
  let inputText = typeof flags['input'] === 'string' ? flags['input'] : undefined;
  let inputFile = typeof flags['inputFile'] === 'string' ? flags['inputFile'] : undefined;
  if (inputFile === '-') {
    inputText = await readStdinText();
    inputFile = undefined;
  }
  const outDir = typeof flags['out'] === 'string' ? flags['out'] : undefined;
  const result = await runTool({ cwd: io.cwd, workspace: flags.workspace, toolId: String(tool), inputText, inputFile, outDir });
  if (flags.verbose) for (const line of result.logs) io.err(`[tool] ${line}`);
  // e.g. the OS sandbox layer is off: said on every run (SPEC 8), and kept in metadata.warnings.
  for (const warning of result.warnings) io.err(`toolsmith: warning: ${warning}`);
  if (!result.ok) {
    // The one error shape of every command, { error: { type, message, hint, ... } }, built from the envelope.
    const report = errorReport(result.error);
    if (flags.json) io.out(JSON.stringify(flags.verbose ? { error: report, _internal: result.error._internal } : { error: report }, null, 2));
    else {
      io.err(`toolsmith: ${report.type}: ${report.message}`);
      io.err(`hint: ${report.hint}`);
      if (flags.verbose && result.error._internal.traceback) io.err(result.error._internal.traceback);
    }
    // An unknown tool is an input error (the user named something that does not exist).
    return result.error.error.type === 'NotFoundError' ? EXIT.USAGE : EXIT.NEGATIVE;
  }
  // Human output is the RunArtifacts JSON too: it is what a user pipes into the next step.
  io.out(JSON.stringify(result.artifacts, null, 2));
  return EXIT.OK;
};
export default run;

/** An envelope as the CLI's error shape: the hint moves out of `details` (or is derived from the type). */
export function errorReport(envelope: ErrorEnvelope): ErrorReport {
  const { type, message, details, tool, timestamp } = envelope.error;
  const { hint, ...rest } = details;
  return { type, message, hint: typeof hint === 'string' ? hint : hintFor(type, tool), ...(Object.keys(rest).length > 0 ? { details: rest } : {}), tool, timestamp };
}

/** What to do about each kind of failed run. */
function hintFor(type: ErrorEnvelope['error']['type'], tool: string | null): string {
  const name = tool ?? 'TOOL';
  switch (type) {
    case 'ValidationError': return `the input (or the tool's output) must match the spec's schemas: see \`toolsmith show ${name}\``;
    case 'TimeoutError': return 'the tool ran longer than sandbox.timeout_ms allows (toolsmith.config.json, default 10000 ms): raise it if the tool legitimately needs longer';
    case 'PermissionError': return `the tool did something its spec's permissions do not grant: see \`toolsmith show ${name}\``;
    case 'ExecutionError': return 'the tool crashed or hit a sandbox limit (sandbox.max_heap_mb, sandbox.max_output_bytes in toolsmith.config.json); --verbose shows its console output';
    case 'ToolError': return 'the tool itself reported this error; --verbose shows its console output';
    case 'IntegrityError': return 'the promoted files changed since promote: run `toolsmith verify`, then restore them or promote again';
    case 'NotFoundError': return 'list promoted tools with `toolsmith list`';
    case 'InternalError': return 'this is a bug in toolsmith: run again with --verbose and report it';
  }
}
