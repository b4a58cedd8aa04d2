// 2025-era clients (the 1.x SDKs: Claude Desktop, Cursor, VS Code...) over Streamable HTTP.
// A client that opens with `initialize` gets a session (`Mcp-Session-Id`), so it can keep a
// standalone GET stream open and hear `notifications/tools/list_changed` when a tool is
// promoted while serving; requests without a session (a client that never initialized here)
// are still served statelessly, as before. A session holds a protocol Server and its open
// streams, nothing of the runner: every tools/call still gets a cold sandbox, so no module
// state crosses calls or callers.
import { randomUUID } from 'node:crypto';
import { isInitializeRequest, legacyStatelessFallback, WebStandardStreamableHTTPServerTransport, type Server } from '@modelcontextprotocol/server';

export interface LegacySessions {
  /** Serves one 2025-era request (routed here by isLegacyRequest). */
  fetch(request: Request): Promise<Response>;
  /** Sends notifications/tools/list_changed to every session (on its GET stream, when it holds one open). */
  toolsChanged(): void;
  close(): Promise<void>;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
}

/**
 * Open sessions at most: beyond it, the least recently used one is closed (its client gets
 * 404 on its next request and initializes again, as the protocol says). Each holds a small
 * Server object and at most one GET stream, itself one of the HTTP server's 512 connections.
 */
const MAX_SESSIONS = 256;

function notFound(): Response {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found: it ended or was closed; initialize again' }, id: null });
  return new Response(body, { status: 404, headers: { 'content-type': 'application/json' } });
}

/** Whether a POST body opens a session (an initialize request, alone or in a batch). */
async function opensSession(request: Request): Promise<boolean> {
  if (request.method !== 'POST') return false;
  let body: unknown;
  try {
    body = await request.clone().json();
  } catch {
    return false; // the stateless leg answers a malformed body
  }
  return Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);
}

/** The 2025-era leg of `serve --http`. `maxBodyBytes` bounds what it reads of a request. */
export function createLegacySessions(createServer: () => Server, maxBodyBytes: number): LegacySessions {
  // Insertion order is recency: a session used is moved to the end.
  const sessions = new Map<string, Session>();
  const stateless = legacyStatelessFallback(() => createServer(), undefined, { maxRequestBodySize: maxBodyBytes });

  const end = (id: string): void => {
    const session = sessions.get(id);
    sessions.delete(id);
    void session?.transport.close().catch(() => undefined);
  };

  const open = async (request: Request): Promise<Response> => {
    if (sessions.size >= MAX_SESSIONS) {
      const oldest = sessions.keys().next();
      if (oldest.done !== true) end(oldest.value);
    }
    const server = createServer();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, server }),
      onsessionclosed: (id) => void sessions.delete(id),
      maxRequestBodySize: maxBodyBytes,
    });
    await server.connect(transport);
    return transport.handleRequest(request);
  };

  return {
    async fetch(request) {
      const id = request.headers.get('mcp-session-id');
      if (id !== null) {
        const session = sessions.get(id);
        if (session === undefined) return notFound();
        sessions.delete(id);
        sessions.set(id, session);
        return session.transport.handleRequest(request);
      }
      return (await opensSession(request)) ? open(request) : stateless(request);
    },
    toolsChanged() {
      for (const { server } of sessions.values()) void server.sendToolListChanged().catch(() => undefined);
    },
    async close() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map(({ transport }) => transport.close().catch(() => undefined)));
    },
  };
}
