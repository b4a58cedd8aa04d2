import { listTools } from '../../lifecycle/list-tools.js';
import { createIo } from '../io/output.js';
import { escapeTerminal } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const list: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const result = await listTools({ cwd: io.cwd, workspace: flags.workspace });
  io.result(result, (p) => {
    const lines: string[] = [];
    lines.push(p.bold(`Promoted tools (${result.tools.length})`));
    if (result.tools.length === 0) lines.push(p.dim('  none'));
    for (const t of result.tools) lines.push(`  ${t.tool_id.padEnd(28)} ${escapeTerminal(t.version).padEnd(8)} ${p.dim(`${t.runs} run(s)`)}  ${escapeTerminal(t.description)}`);
    lines.push('', p.bold(`Candidates (${result.candidates.length})`));
    if (result.candidates.length === 0) lines.push(p.dim('  none (create one with `toolsmith generate --spec FILE`)'));
    for (const c of result.candidates) {
      if (c.status === 'BROKEN') {
        lines.push(`  ${c.tool_id.padEnd(28)} ${'?'.padEnd(8)} ${p.red('BROKEN')}     ${escapeTerminal(c.problem ?? '')}`);
        continue;
      }
      const status = c.changed ? `${c.status} ${p.yellow('(changed since validation)')}` : c.status;
      lines.push(`  ${c.tool_id.padEnd(28)} ${escapeTerminal(c.version ?? '?').padEnd(8)} ${status.padEnd(10)} ${p.dim(c.quality_tier ?? 'not validated')}  ${escapeTerminal(c.description)}`);
      for (const w of c.warnings) lines.push(`    ${p.red(`! integrity: ${escapeTerminal(w)}`)}`);
    }
    if (result.pipelines.length > 0) lines.push('', p.bold(`Saved pipelines (${result.pipelines.length})`));
    for (const pl of result.pipelines) {
      if (pl.tools === null) lines.push(`  ${escapeTerminal(pl.name).padEnd(28)} ${p.red('BROKEN')}  ${escapeTerminal(pl.problem ?? '')}`);
      else lines.push(`  ${escapeTerminal(pl.name).padEnd(28)} ${escapeTerminal(pl.tools.join(' -> '))}${pl.description ? p.dim(`  ${escapeTerminal(pl.description)}`) : ''}`);
    }
    return lines.join('\n');
  });
  return EXIT.OK;
};
export default list;
