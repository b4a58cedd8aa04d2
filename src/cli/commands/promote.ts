import { promoteCandidate } from '../../lifecycle/promote.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../exit-codes.js';
import type { Handler } from '../program.js';

const promote: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const result = await promoteCandidate({ cwd: io.cwd, workspace: flags.workspace, toolId: String(id) });
  io.result({ tool_id: result.tool_id, action: 'promote', version: result.version, path: result.path, already_promoted: result.already_promoted, entry: result.entry }, (p) =>
    `${p.green('✓')} ${result.tool_id} ${result.version} ${result.already_promoted ? 'was already promoted' : 'promoted'} -> ${result.path}\nnext: ${p.cyan(`toolsmith run ${result.tool_id} --input '{...}'`)}`,
  );
  return EXIT.OK;
};
export default promote;
