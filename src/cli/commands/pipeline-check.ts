import { checkPipelineCommand } from '../../pipeline/pipeline-command.js';
import type { PipelineCheck } from '../../pipeline/check-pipeline.js';
import { createIo } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const pipelineCheck: Handler = async ([tools], flags) => {
  const io = await createIo(flags);
  const { definition, check } = await checkPipelineCommand({
    cwd: io.cwd,
    workspace: flags.workspace,
    tools: Array.isArray(tools) ? tools.map(String) : [],
    file: typeof flags['file'] === 'string' ? flags['file'] : undefined,
    name: typeof flags['name'] === 'string' ? flags['name'] : undefined,
  });
  io.result({ tools: definition.tools, ...check }, () => formatCheck(check));
  // "cannot prove" is a warning: exit 0 (the pipeline would run, with the warning).
  return check.verdict === 'incompatible' ? EXIT.NEGATIVE : EXIT.OK;
};
export default pipelineCheck;

const VERDICT: Record<PipelineCheck['verdict'], string> = { compatible: 'compatible', incompatible: 'INCOMPATIBLE', 'cannot-prove': 'cannot prove' };

/** One block per link: its verdict, each finding with the pointers into both schemas, and the test-case evidence. */
export function formatCheck(check: PipelineCheck): string {
  if (check.links.length === 0) return 'one step: nothing to compare';
  const lines: string[] = [];
  for (const link of check.links) {
    lines.push(`step ${link.from + 1} -> ${link.to + 1}  ${escapeTerminal(link.output_of)} -> ${escapeTerminal(link.input_of)}: ${VERDICT[link.verdict]}`);
    for (const f of link.findings) {
      lines.push(`  ${f.verdict === 'incompatible' ? 'error  ' : 'warning'}  ${escapeTerminal(f.message)}`);
      lines.push(`           output_schema#${escapeTerminal(f.output_pointer)}  input_schema#${escapeTerminal(f.input_pointer)}`);
    }
    if (link.evidence.tried > 0) lines.push(`  evidence: ${link.evidence.accepted} of ${link.evidence.tried} expected outputs of step ${link.from + 1}'s tests accepted by step ${link.to + 1}`);
  }
  lines.push(`pipeline: ${VERDICT[check.verdict]}`);
  return lines.join('\n');
}
