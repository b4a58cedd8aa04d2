// Streamable HTTP: one endpoint, /mcp. 2026-07-28 requests go to the SDK's per-request
// handler; 2025-era ones (told apart by the SDK's own isLegacyRequest) to legacy-sessions.ts:
// a session per `initialize`, so those clients can hold a GET stream for list_changed, and
// stateless serving for requests without a session. Everything in front of it assumes an
// attacker wrote the request: guards (http-guards.ts), a body cap, and timeouts so a slow or
// silent client cannot hold the server.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, isJsonContentType, isLegacyRequest, type Server } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { UserError } from '../models/errors.js';
import { errnoCode } from '../models/errno-code.js';
import { allowedHostnamesFor, checkRequest, MCP_PATH, type GuardConfig } from './http-guards.js';
import { createLegacySessions } from './legacy-sessions.js';

export interface HttpServeOptions {
  host: string;
  port: number;
  token: string | null;
  /** The largest request body accepted (bytes); larger ones get 413. */
  maxBodyBytes: number;
  /** Builds the MCP server for one request. */
  createServer: () => Server;
}

export interface HttpServing {
  url: string;
  /** Tells clients listening for changes (2026-07-28 subscriptions, 2025-era sessions' GET streams) that the tool list changed. */
  toolsChanged(): void;
  close(): Promise<void>;
}

/** Headers must arrive this fast, and a whole request body this fast: a slow client is cut off. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Open connections at most (each may hold a streamed response). */
const MAX_CONNECTIONS = 512;

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Listens on host:port and serves MCP at /mcp. @throws UserError when the address cannot be used */
export async function serveHttp(options: HttpServeOptions): Promise<HttpServing> {
  const limit = { maxRequestBodySize: options.maxBodyBytes };
  const handler = createMcpHandler(() => options.createServer(), { legacy: 'reject', ...limit });
  const legacy = createLegacySessions(options.createServer, options.maxBodyBytes);
  const node = toNodeHandler({
    fetch: async (request, requestOptions) => {
      // The SDK's note for a hand-wired composition: check the media type before either leg.
      if (request.method === 'POST' && !isJsonContentType(request.headers.get('content-type'))) {
        return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Content-Type must be application/json' }, id: null }), { status: 415, headers: { 'content-type': 'application/json' } });
      }
      return (await isLegacyRequest(request, undefined, limit)) ? legacy.fetch(request) : handler.fetch(request, requestOptions);
    },
  }, limit);
  const guards: GuardConfig = { allowedHostnames: allowedHostnamesFor(options.host), token: options.token };
  const server: HttpServer = createServer((req, res) => {
    const refusal = checkRequest({ method: req.method, url: req.url, host: header(req, 'host'), origin: header(req, 'origin'), authorization: header(req, 'authorization') }, guards);
    if (refusal !== null) {
      // The body of a refused request is never read: close the connection rather than drain it.
      res.setHeader('connection', 'close');
      refuse(res, refusal.status, refusal.message, refusal.headers);
      return;
    }
    node(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    const code = errnoCode(error) ?? 'an error';
    throw new UserError(`cannot listen on ${options.host}:${options.port}: ${code}`, code === 'EADDRINUSE' ? 'choose another --port (0 picks a free one)' : 'check --host names an address of this machine');
  });
  const address = server.address() as AddressInfo; // `as`: a TCP server's address is an AddressInfo once listening
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}${MCP_PATH}`,
    toolsChanged: () => {
      handler.notify.toolsChanged();
      legacy.toolsChanged();
    },
    async close() {
      await Promise.all([handler.close().catch(() => undefined), legacy.close()]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
