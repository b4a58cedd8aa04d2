import { diffTool, type DiffResult } from '../../lifecycle/diff-tool.js';
import { createIo, type Paint } from '../io/output.js';
import { createEscaper } from '../io/escape.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const diff: Handler = async ([id], flags) => {
  const io = await createIo(flags);
  const result = await diffTool({ cwd: io.cwd, workspace: flags.workspace, toolId: String(id) });
  io.result(result, (p) => formatDiff(result, p));
  return EXIT.OK;
};
export default diff;

/**
 * Unified diffs of the candidate against its promoted version (or against nothing). Every
 * line is escaped (a CR or cursor movement at the end of an added line cannot hide it) and
 * bidirectional controls are flagged at the top.
 */
export function formatDiff(result: DiffResult, p: Paint): string {
  const esc = createEscaper();
  const out: string[] = [];
  if (!result.changed) out.push(`${esc.line(result.tool_id)}: staged ${esc.line(result.to)} has the same files as promoted ${esc.line(result.from ?? '')}`);
  else if (result.from === null) out.push(p.bold(`${esc.line(result.tool_id)} ${esc.line(result.to)} is a first version: every file is new`));
  for (const f of result.files) {
    // Split first, escape each line (tabs kept): a file's own \r must show as \r inside its line.
    for (const raw of f.patch.split('\n')) {
      const l = esc.block(raw, f.file);
      out.push(l.startsWith('+') && !l.startsWith('+++') ? p.green(l) : l.startsWith('-') && !l.startsWith('---') ? p.red(l) : l);
    }
  }
  const head = result.warnings.map((w) => p.red(`! integrity: ${esc.line(w)}`));
  if (esc.bidi.length) head.push(p.red(`! bidirectional control characters (Trojan Source) in: ${esc.bidi.map((b) => esc.line(b)).join(', ')}; shown escaped as \\u{...}`));
  if (esc.invisible.length) head.push(p.red(`! invisible characters (zero-width, tag or filler characters) in: ${esc.invisible.map((b) => esc.line(b)).join(', ')}; shown escaped as \\u{...}`));
  return [...head, ...out].join('\n');
}
