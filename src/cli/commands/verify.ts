import { verifyRegistry } from '../../lifecycle/verify.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../exit-codes.js';
import type { Handler } from '../program.js';

const verify: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const result = await verifyRegistry({ cwd: io.cwd, workspace: flags.workspace });
  io.result(result, (p) => {
    const lines = result.problems.map((x) => `${p.red('✗')} ${x.file}: ${x.message}`);
    lines.push(...result.warnings.map((w) => `${p.yellow('!')} ${w}`));
    lines.push(result.ok
      ? `${p.green('✓')} ${result.tools_checked} promoted tool(s) match their hashes; audit chain of ${result.audit_lines} line(s) intact`
      : `${p.red('✗')} ${result.problems.length} integrity problem(s)`);
    return lines.join('\n');
  });
  return result.ok ? EXIT.OK : EXIT.NEGATIVE;
};
export default verify;
