import { diffTool } from '../../lifecycle/diff-tool.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../exit-codes.js';
import type { Handler } from '../program.js';

const diff: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const result = await diffTool({ cwd: io.cwd, workspace: flags.workspace, toolId: String(id) });
  io.result(result, (p) => {
    if (!result.changed) return `${result.tool_id}: staged ${result.to} has the same files as promoted ${result.from}`;
    return result.files
      .map((f) => f.patch.split('\n').map((l) => (l.startsWith('+') && !l.startsWith('+++') ? p.green(l) : l.startsWith('-') && !l.startsWith('---') ? p.red(l) : l)).join('\n'))
      .join('\n');
  });
  return EXIT.OK;
};
export default diff;
