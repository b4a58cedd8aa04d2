// stdio: the client starts `toolsmith serve` and speaks JSON-RPC on its stdin/stdout (both
// protocol generations: the opening message pins the connection's). Only protocol messages
// go to stdout; anything else toolsmith says goes to stderr.
import type { Server } from '@modelcontextprotocol/server';
import { serveStdio as serveSdkStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';

export interface StdioServing {
  /** Resolves when the client closed stdin (or close() was called). */
  closed: Promise<void>;
  toolsChanged(): void;
  close(): Promise<void>;
}

/** Serves MCP on this process's stdin/stdout; a line longer than `maxMessageBytes` is refused. */
export function serveStdio(options: { createServer: () => Server; maxMessageBytes: number }): StdioServing {
  const servers = new Set<Server>();
  let finish: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  const transport = new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: options.maxMessageBytes });
  const handle = serveSdkStdio(() => {
    const server = options.createServer();
    servers.add(server);
    return server;
  }, { transport });
  process.stdin.once('end', finish);
  process.stdin.once('close', finish);
  return {
    closed,
    toolsChanged() {
      for (const server of servers) void server.sendToolListChanged().catch(() => undefined);
    },
    async close() {
      await handle.close().catch(() => undefined);
      finish();
    },
  };
}
