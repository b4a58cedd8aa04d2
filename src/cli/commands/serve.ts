import { serve as startServing } from '../../serve/serve.js';
import { createIo } from '../io/output.js';
import { takeOverSigterm } from '../io/sigterm.js';
import { EXIT } from '../../models/exit-codes.js';
import { UsageError } from '../../models/errors.js';
import type { Handler } from '../program.js';
import { VERSION } from '../version.js';

const serve: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const http = flags['http'] === true;
  if (!http && (flags['host'] !== undefined || flags['port'] !== undefined || flags['tokenEnv'] !== undefined)) {
    throw new UsageError('--host, --port and --token-env apply to Streamable HTTP only', 'add --http, or drop them to serve on stdio');
  }
  const handle = await startServing({
    cwd: io.cwd,
    workspace: flags.workspace,
    http: http ? { host: typeof flags['host'] === 'string' ? flags['host'] : '127.0.0.1', port: typeof flags['port'] === 'number' ? flags['port'] : 8808, tokenEnv: typeof flags['tokenEnv'] === 'string' ? flags['tokenEnv'] : undefined } : null,
    maxConcurrency: Number(flags['maxConcurrency']),
    maxQueue: Number(flags['maxQueue']),
    version: VERSION,
    onWarnings: (warnings) => {
      if (!flags.quiet) for (const warning of warnings) io.err(`toolsmith: warning: ${warning}`);
    },
  });
  // The one line a user (or a test) needs to connect, whatever --quiet says: port 0 picked it.
  if (handle.url !== null) io.err(`listening on ${handle.url}`);
  // SIGTERM (a supervisor stopping the server): close cleanly and exit 0; the sandboxes of
  // running calls die with the process (its exit hooks).
  const release = takeOverSigterm(() => void handle.close());
  await handle.closed;
  release();
  return EXIT.OK;
};
export default serve;
