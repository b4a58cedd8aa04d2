import { applyCandidateTransition } from '../../lifecycle/apply-transition.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const stage: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const result = await applyCandidateTransition('stage', { cwd: io.cwd, workspace: flags.workspace, toolId: String(id) });
  for (const w of result.warnings) io.err(`warning: ${w}`);
  io.result({ tool_id: result.tool_id, action: result.action, from: result.from, to: result.to }, (p) =>
    `${p.green('✓')} ${result.tool_id} ${result.from} -> ${p.bold(result.to)}\nnext: a reviewer runs ${p.cyan(`toolsmith show ${result.tool_id}`)} then ${p.cyan(`toolsmith approve ${result.tool_id} --reviewer NAME`)}`,
  );
  return EXIT.OK;
};
export default stage;
