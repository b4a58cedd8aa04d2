import { applyCandidateTransition } from '../../lifecycle/apply-transition.js';
import { UserError } from '../../models/errors.js';
import { createIo } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

/** approve and reject share one handler: the verb comes from the command name. */
const review: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const verb = flags['_command'] === 'reject' ? 'reject' : 'approve';
  const reviewer = typeof flags['reviewer'] === 'string' ? flags['reviewer'] : undefined;
  const notes = typeof flags['notes'] === 'string' ? flags['notes'] : undefined;
  const signKey = typeof flags['signKey'] === 'string' ? flags['signKey'] : undefined;
  if (!reviewer) throw new UserError(`${verb} needs --reviewer NAME`, `e.g. toolsmith ${verb} ${String(id)} --reviewer alice${verb === 'reject' ? ' --notes "why"' : ''}`);
  if (verb === 'reject' && !notes?.trim()) throw new UserError('reject needs --notes saying what must change', `e.g. toolsmith reject ${String(id)} --reviewer ${reviewer} --notes "handle empty input"`);
  const result = await applyCandidateTransition(verb, { cwd: io.cwd, workspace: flags.workspace, toolId: String(id), reviewer, notes, signKey });
  for (const w of result.warnings) io.err(`warning: ${w}`);
  io.result({ tool_id: result.tool_id, action: result.action, from: result.from, to: result.to, reviewer: result.reviewer, actor: result.actor, signature: result.signature, approvals: result.approvals }, (p) => {
    const who = escapeTerminal(result.reviewer ?? '');
    const signed = result.signature && result.signature !== 'unsigned' ? ` (signed: ${result.signature})` : '';
    const line = `${p.green('✓')} ${result.tool_id} ${verb === 'approve' ? 'approved' : 'rejected'} by ${who}${signed}: ${result.from} -> ${p.bold(result.to)}`;
    const approvals = result.approvals ? `\n${escapeTerminal(result.approvals)}` : '';
    if (result.to === 'APPROVED') return `${line}${approvals}\nnext: ${p.cyan(`toolsmith promote ${result.tool_id}`)}`;
    if (result.to === 'STAGED') return `${line}${approvals}\n(more approvals are required by policy.approvals_required)`;
    return line;
  });
  return EXIT.OK;
};
export default review;
