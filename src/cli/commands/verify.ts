import { verifyRegistry } from '../../lifecycle/verify.js';
import { createIo } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const verify: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const result = await verifyRegistry({ cwd: io.cwd, workspace: flags.workspace });
  io.result(result, (p) => {
    const lines = result.problems.map((x) => `${p.red('✗')} ${escapeTerminal(x.file)}: ${escapeTerminal(x.message)}`);
    lines.push(...result.warnings.map((w) => `${p.yellow('!')} ${escapeTerminal(w)}`));
    const s = result.signatures;
    const signatures = s.policy === 'allowed_signers'
      ? `signatures checked against policy.allowed_signers (${s.signed_reviews} signed review(s), ${s.signed_promotions} signed promotion record(s))`
      : `approvals unsigned: policy.allowed_signers is not set (${s.signed_reviews} signed review(s) checked for integrity only)`;
    lines.push(result.ok
      ? `${p.green('✓')} ${result.tools_checked} promoted tool(s) match their hashes and their promote lines; audit chain of ${result.audit_lines} line(s) intact; every promotion governed; ${signatures}`
      : `${p.red('✗')} ${result.problems.length} integrity problem(s); ${signatures}`);
    return lines.join('\n');
  });
  return result.ok ? EXIT.OK : EXIT.NEGATIVE;
};
export default verify;
