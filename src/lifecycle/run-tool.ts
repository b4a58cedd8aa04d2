import path from 'node:path';
import type { ErrorEnvelope, RunArtifacts } from '../models/index.js';
import { readRunInput } from '../stores/read-run-input.js';
import { assertToolRef } from '../stores/tool-id.js';
import { createWorkspaceRunner } from '../runner/index.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';

export interface RunToolOptions extends CommandOptions {
  toolId: string;
  /** The input as JSON text (--input), or a file to read it from (--input-file). */
  inputText?: string | undefined;
  inputFile?: string | undefined;
  /** `--out DIR`: where the files of an fs:write tool are copied (default: only listed). */
  outDir?: string | undefined;
}

/** `warnings`: e.g. that the OS sandbox layer is off, and how to turn it on (human output prints them on stderr). */
export type RunToolResult =
  | { ok: true; artifacts: RunArtifacts; logs: string[]; warnings: string[] }
  | { ok: false; error: ErrorEnvelope; logs: string[]; warnings: string[] };

/** `run`: executes a promoted tool through the ToolRunner and shapes RunArtifacts. */
export async function runTool(options: RunToolOptions): Promise<RunToolResult> {
  assertToolRef(options.toolId);
  const { workspace, config } = await openWorkspace(options);
  const input = await readRunInput(options, config.sandbox.max_input_bytes);
  const env = options.env ?? process.env;
  const runner = createWorkspaceRunner(workspace, config.sandbox, { cwd: options.cwd, env });
  const outcome = await runner.run(options.toolId, input);
  const warnings = outcome.protections?.warnings ?? [];
  if (outcome.error) return { ok: false, error: outcome.error, logs: outcome.logs, warnings };
  const tool = outcome.tool;
  const outDir = options.outDir === undefined ? null : path.resolve(options.cwd, options.outDir);
  if (outDir !== null) await (await import('./write-output-files.js')).writeOutputFiles(outDir, outcome.files);
  return {
    ok: true,
    logs: outcome.logs,
    warnings,
    artifacts: {
      result: outcome.result,
      summary_markdown: typeof outcome.result['summary_markdown'] === 'string' ? outcome.result['summary_markdown'] : null,
      files: outcome.files.map((file) => file.path),
      artifacts: [],
      execution_time_ms: Math.round(outcome.durationMs * 100) / 100,
      metadata: {
        tool: tool.toolId,
        version: tool.version,
        code_hash: tool.codeHash,
        warnings,
        step_timings: { total_ms: Math.round(outcome.durationMs * 100) / 100 },
        protections: outcome.protections,
        out_dir: outDir,
      },
    },
  };
}
