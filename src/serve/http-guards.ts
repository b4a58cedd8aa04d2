// What every HTTP request must pass before the MCP handler sees it (MCP's security
// requirements for Streamable HTTP): the endpoint path, a Host that names this server (DNS
// rebinding), an Origin that is this server or absent, and the bearer token when one is
// configured. Pure: request facts in, a refusal (status and text) or null out.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** The one path the server answers. */
export const MCP_PATH = '/mcp';

export interface GuardConfig {
  /** Host names (lower case, IPv6 in brackets) a Host or Origin header may name. */
  allowedHostnames: ReadonlySet<string>;
  /** The bearer token clients must send, or null for none (loopback only). */
  token: string | null;
}

export interface GuardRequest {
  method: string | undefined;
  url: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
}

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** Whether an address or name is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(bare);
  return false;
}

/** The host names a request may name for a server bound to `host`: loopback names, and the bound host itself. */
export function allowedHostnamesFor(host: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  names.add(isIP(bare) === 6 ? `[${bare}]` : bare);
  return names;
}

/** The hostname of a Host header value (`127.0.0.1:8080`, `[::1]:80`), lower case; null when malformed. */
function hostnameOf(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader}`);
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}

function sameToken(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Checks one request; null means it may go on to the MCP handler. */
export function checkRequest(request: GuardRequest, config: GuardConfig): Refusal | null {
  const pathname = (request.url ?? '').split('?', 1)[0];
  if (pathname !== MCP_PATH) return { status: 404, message: `not found: the MCP endpoint is ${MCP_PATH}` };
  const method = request.method ?? '';
  if (!['POST', 'GET', 'DELETE'].includes(method)) return { status: 405, message: `method ${method} is not allowed`, headers: { allow: 'GET, POST, DELETE' } };
  const hostname = request.host === undefined ? null : hostnameOf(request.host);
  if (hostname === null || !config.allowedHostnames.has(hostname)) return { status: 403, message: 'forbidden: the Host header does not name this server' };
  if (request.origin !== undefined) {
    let origin: string | null = null;
    try {
      const url = new URL(request.origin);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.hostname.toLowerCase() : null;
    } catch {
      origin = null;
    }
    if (origin === null || !config.allowedHostnames.has(origin)) return { status: 403, message: 'forbidden: requests from this Origin are not allowed' };
  }
  if (config.token !== null) {
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(request.authorization ?? '');
    if (match === null || !sameToken(match[1] ?? '', config.token)) {
      return { status: 401, message: 'unauthorized: send Authorization: Bearer <token>', headers: { 'www-authenticate': 'Bearer realm="toolsmith"' } };
    }
  }
  return null;
}
