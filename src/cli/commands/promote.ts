import { promoteCandidate } from '../../lifecycle/promote.js';
import { createIo } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const promote: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const signKey = typeof flags['signKey'] === 'string' ? flags['signKey'] : undefined;
  const result = await promoteCandidate({ cwd: io.cwd, workspace: flags.workspace, toolId: String(id), signKey });
  for (const w of result.warnings) io.err(`warning: ${w}`);
  io.result({
    tool_id: result.tool_id, action: 'promote', version: result.version, path: result.path, already_promoted: result.already_promoted,
    approved_by: result.approved_by, promotion_record: result.promotion_record, entry: result.entry,
  }, (p) => [
    `${p.green('✓')} ${result.tool_id} ${escapeTerminal(result.version)} ${result.already_promoted ? 'was already promoted' : 'promoted'} -> ${escapeTerminal(result.path)}`,
    `  approved by ${escapeTerminal(result.approved_by.join(', ') || 'nobody')}${result.promotion_record ? `; signed promotion record ${escapeTerminal(result.promotion_record)}` : ''}`,
    `next: ${p.cyan(`toolsmith run ${result.tool_id} --input '{...}'`)}`,
  ].join('\n'));
  return EXIT.OK;
};
export default promote;
