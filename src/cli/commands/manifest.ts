import { readManifest } from '../../serve/read-manifest.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';
import { VERSION } from '../version.js';

const manifest: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const result = await readManifest({ cwd: io.cwd, workspace: flags.workspace, version: VERSION });
  if (!flags.quiet) for (const warning of result.warnings) io.err(`toolsmith: warning: ${warning}`);
  // Both formats are JSON documents: what a client or a catalog reads, exact (never escaped).
  const document = flags['format'] === 'mcp' ? result.toolsList : result.manifest;
  io.out(JSON.stringify(document, null, 2));
  return EXIT.OK;
};
export default manifest;
