// `toolsmith serve`: the governed registry over MCP. Opens the workspace once, builds the
// one ToolRunner every call goes through, the live catalog, the call limiter, then the
// transport (stdio, or Streamable HTTP). Returns a handle; the CLI waits for it to close.
import type { Server } from '@modelcontextprotocol/server';
import { UsageError } from '../models/errors.js';
import { createRegistryResolver, createWorkspaceRunner } from '../runner/index.js';
import { openWorkspace, type CommandOptions } from '../workspace/open-workspace.js';
import { createCallLimiter } from './call-limiter.js';
import { createMcpServer, type ServeContext } from './create-mcp-server.js';
import { isLoopbackHost } from './http-guards.js';
import { createToolCatalog } from './tool-catalog.js';

export interface ServeOptions extends CommandOptions {
  /** null: stdio. */
  http: { host: string; port: number; tokenEnv: string | undefined } | null;
  maxConcurrency: number;
  maxQueue: number;
  /** toolsmith's version, announced to clients as the server's. */
  version: string;
  /** Told why a tool or pipeline is not served, when that changes (the CLI prints it on stderr). */
  onWarnings: (warnings: string[]) => void;
}

export interface ServeHandle {
  /** Streamable HTTP: the endpoint's URL; stdio: null. */
  url: string | null;
  /** Resolves when serving ended (stdio: the client closed stdin). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Room for the JSON-RPC framing around a tool's input in one message. */
const FRAMING_BYTES = 64 * 1024;

/** The bearer token HTTP clients must send, from the variable `--token-env` names. @throws UsageError */
function readToken(http: NonNullable<ServeOptions['http']>, env: NodeJS.ProcessEnv): string | null {
  if (http.tokenEnv === undefined) {
    if (isLoopbackHost(http.host)) return null;
    throw new UsageError(`refusing to serve on ${http.host} without a bearer token: anyone who can reach that address could call the tools`, 'pass --token-env NAME, NAME being an environment variable that holds a long random token (e.g. `export MCP_TOKEN=$(openssl rand -hex 32)`), or serve on 127.0.0.1');
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(http.tokenEnv)) throw new UsageError(`--token-env takes the NAME of an environment variable, got "${http.tokenEnv}"`, 'e.g. --token-env MCP_TOKEN, with the token in $MCP_TOKEN (never on the command line)');
  const token = env[http.tokenEnv] ?? '';
  if (token.length < 16 || !/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`the environment variable ${http.tokenEnv} must hold a token of at least 16 printable characters, without spaces`, 'e.g. `export MCP_TOKEN=$(openssl rand -hex 32)`');
  return token;
}

/** Starts serving. @throws UsageError (bad flags, no workspace), UserError (cannot listen) */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const env = options.env ?? process.env;
  const token = options.http === null ? null : readToken(options.http, env);
  const { workspace, config } = await openWorkspace(options);
  const runner = createWorkspaceRunner(workspace, config.sandbox, { cwd: options.cwd, env });
  let notify: () => void = () => undefined;
  const catalog = await createToolCatalog({
    workspace,
    resolver: createRegistryResolver(workspace.registryDir),
    onChange: () => notify(),
    onWarnings: options.onWarnings,
  });
  const limiter = createCallLimiter(options.maxConcurrency, options.maxQueue);
  const serverInfo = { name: 'toolsmith', version: options.version };
  const maxBytes = config.sandbox.max_input_bytes + FRAMING_BYTES;
  try {
    if (options.http === null) {
      // stdio has one caller, the client that started us: its calls share warm workers (module
      // state may persist between its calls, as in a batch), re-verified on every call so a
      // promote or a tampered file is seen at once. The workers die with the session.
      const session = runner.openSession({ verify: 'every-call', workersPerTool: options.maxConcurrency });
      const context: ServeContext = { catalog, runner: session, limiter, serverInfo };
      const { serveStdio } = await import('./serve-stdio.js');
      const stdio = serveStdio({ createServer: (): Server => createMcpServer(context), maxMessageBytes: maxBytes });
      notify = () => stdio.toolsChanged();
      const closed = stdio.closed.then(async () => {
        catalog.close();
        await session.close();
      });
      return { url: null, closed, close: () => stdio.close() };
    }
    // Over HTTP every call gets a cold sandbox: a 2026-07-28 request carries no caller identity a
    // worker could be kept for, and a 2025-era session id is only a name the client presents.
    const context: ServeContext = { catalog, runner, limiter, serverInfo };
    const createServer = (): Server => createMcpServer(context);
    const { serveHttp } = await import('./serve-http.js');
    const http = await serveHttp({ host: options.http.host, port: options.http.port, token, maxBodyBytes: maxBytes, createServer });
    notify = () => http.toolsChanged();
    let finish: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (finish = resolve));
    return {
      url: http.url,
      closed,
      async close() {
        catalog.close();
        await http.close();
        finish();
      },
    };
  } catch (error) {
    catalog.close();
    throw error;
  }
}
