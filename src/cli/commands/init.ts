import path from 'node:path';
import { initWorkspace } from '../../workspace/init-workspace.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

const init: Handler = async ([dir], flags) => {
  const io = await createIo(flags);
  const result = await initWorkspace({ dir: path.resolve(io.cwd, String(dir ?? '.')) });
  io.result(result, (p) =>
    [
      `${p.green('✓')} workspace ${result.root}`,
      ...result.created.map((f) => `  created ${f}`),
      ...result.existing.map((f) => `  kept    ${f} (already there)`),
      '',
      `next: ${p.cyan('toolsmith generate --spec my-tool.json')}`,
    ].join('\n'),
  );
  return EXIT.OK;
};
export default init;
