/**
 * The child side of the sandbox: runs inside `node --experimental-permission`, reads the
 * request from stdin, imports the tool, calls its default export and writes one framed
 * reply to fd 3. It imports nothing but node:fs (and node:net for tools without 'net'):
 * it may read no file but itself, and every import is start-up time on the
 * `toolsmith run` hot path.
 */
import { readFileSync, writeSync } from 'node:fs';
import type { HarnessError, HarnessReply, HarnessRequest, READY_BYTE as ReadyByte, RESULT_FD as ResultFd } from './protocol.js';

// Mirrors of protocol.ts; `typeof` makes a drift a type error (see protocol.ts).
const RESULT_FD: typeof ResultFd = 3;
const READY_BYTE: typeof ReadyByte = 'R';

// Captured before the tool loads, so a tool that patches globals cannot garble the reply.
const stringify = JSON.stringify;
const parse = JSON.parse;
const byteLength = Buffer.byteLength;
const fromString = Buffer.from;
const exit = process.exit.bind(process);

const UNSETTLED = "the tool's promise never settled: it neither resolved nor rejected, and nothing was left running that could settle it";

let nonce = '';
let replied = false;

/** Writes every byte, retrying short writes (fd 3 is a socket the parent drains). */
function writeAll(text: string): void {
  const bytes = fromString(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    offset += writeSync(RESULT_FD, bytes, offset, bytes.length - offset);
  }
}

/** Sends the one reply and ends the process: pending timers or sockets of the tool must not keep it alive. */
function reply(body: string): never {
  if (!replied) {
    replied = true;
    writeAll(nonce + body + nonce);
  }
  return exit(0);
}

function replyFailure(kind: Extract<HarnessReply, { ok: false }>['kind'], error: HarnessError): never {
  const message: HarnessReply = { ok: false, kind, error };
  return reply(stringify(message));
}

/** Error texts are the tool's to choose; bounded so a reply cannot flood fd 3 (see REPLY_OVERHEAD_BYTES). */
const MAX_ERROR_TEXT = 16_000;

function pickString(source: object, key: string): string | undefined {
  let value: unknown;
  try {
    value = Reflect.get(source, key);
  } catch {
    return undefined; // a throwing getter on a thrown object
  }
  if (typeof value !== 'string') return undefined;
  return value.length > MAX_ERROR_TEXT ? `${value.slice(0, MAX_ERROR_TEXT)}... [truncated]` : value;
}

/** Turns anything thrown into plain data; a permission error wrapped as a `cause` still counts. */
function describeError(thrown: unknown): HarnessError {
  if (typeof thrown !== 'object' || thrown === null) {
    return { name: 'Error', message: `the tool threw a non-error value: ${safeString(thrown)}` };
  }
  const described: HarnessError = {
    name: pickString(thrown, 'name') ?? 'Error',
    message: pickString(thrown, 'message') ?? safeString(thrown),
    stack: pickString(thrown, 'stack'),
    code: pickString(thrown, 'code'),
  };
  let denied: unknown = thrown;
  for (let depth = 0; depth < 4 && typeof denied === 'object' && denied !== null; depth++) {
    if (pickString(denied, 'code') === 'ERR_ACCESS_DENIED') {
      return { ...described, code: 'ERR_ACCESS_DENIED', permission: pickString(denied, 'permission'), resource: pickString(denied, 'resource') };
    }
    try {
      denied = Reflect.get(denied, 'cause');
    } catch {
      break;
    }
  }
  return described;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/** JSON.stringify silently drops functions and symbols; a tool returning one has a bug worth naming. */
function rejectNonData(key: string, value: unknown): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') {
    throw new TypeError(`it contains a ${typeof value}${key === '' ? '' : ` at key "${key}"`}`);
  }
  return value;
}

function replyValue(value: unknown, maxOutputBytes: number): never {
  let json: string | undefined;
  try {
    json = stringify(value, rejectNonData);
  } catch (error) {
    return replyFailure('bad-result', { name: 'TypeError', message: `the tool's result is not JSON-serialisable: ${describeError(error).message}` });
  }
  if (json === undefined) {
    return replyFailure('bad-result', { name: 'TypeError', message: `the tool returned ${typeof value}; it must return a JSON-serialisable value` });
  }
  const size = byteLength(json, 'utf8');
  if (size > maxOutputBytes) {
    const message = `the tool's result is ${size} bytes; the output limit is ${maxOutputBytes} bytes`;
    return replyFailure('output-limit', { name: 'RangeError', message });
  }
  return reply(`{"ok":true,"value":${json}}`);
}

/** The error a refused socket throws; its code makes the parent report kind 'permission'. */
function socketDenied(target: string): Error {
  const error = new Error('Unix domain sockets need the "net" permission');
  return Object.assign(error, { code: 'ERR_ACCESS_DENIED', permission: 'Net', resource: target });
}

/** The socket file a connect()/listen() call targets, in any of the argument forms net accepts. */
function socketPath(args: readonly unknown[]): string | null {
  const head = args[0];
  // net.connect() hands socket.connect() its normalized [options, callback] array.
  const first: unknown = Array.isArray(head) ? head[0] : head;
  if (typeof first === 'string') return /^\d+$/.test(first) ? null : first;
  const path: unknown = typeof first === 'object' && first !== null ? Reflect.get(first, 'path') : undefined;
  return typeof path === 'string' ? path : null;
}

/**
 * Node 20's permission model does not guard sockets, and a network namespace only covers
 * IP: a socket file such as /var/run/docker.sock stays reachable from inside it. So,
 * without 'net', path-based connect() and listen() are refused here, before tool code
 * loads; the originals stay in this closure, and process.binding is denied, so the tool
 * has no other way to a pipe handle.
 */
function refuseSocketFiles(): void {
  const { Socket, Server } = process.getBuiltinModule('node:net');
  const guard = <T extends (...args: never[]) => unknown>(original: T): T =>
    function (this: unknown, ...args: unknown[]): unknown {
      const target = socketPath(args);
      if (target !== null) throw socketDenied(target);
      return Reflect.apply(original, this, args);
    } as unknown as T; // `as`: it forwards every call to `original` unchanged, so it has T's signature
  Socket.prototype.connect = guard(Socket.prototype.connect);
  Server.prototype.listen = guard(Server.prototype.listen);
}

async function main(): Promise<void> {
  writeSync(RESULT_FD, READY_BYTE);
  // `as`: the parent wrote this request (see protocol.ts); it is not tool-controlled.
  const request = parse(readFileSync(0, 'utf8')) as HarnessRequest;
  nonce = request.nonce;
  if (!request.allowNetwork) refuseSocketFiles();
  // An error thrown from a tool's callback after its promise settled still gets one reply.
  process.on('uncaughtException', (error) => replyFailure('execution', describeError(error)));
  process.on('unhandledRejection', (reason) => replyFailure('execution', describeError(reason)));
  // The loop ran dry while the tool's promise was pending: it can never settle now.
  process.on('beforeExit', () => replyFailure('execution', { name: 'Error', message: UNSETTLED }));

  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(request.entryUrl)) as Record<string, unknown>; // `as`: a module namespace is an object
  } catch (error) {
    return replyFailure('execution', describeError(error));
  }
  const run = loaded['default'];
  if (typeof run !== 'function') {
    const got = run === undefined ? 'no default export' : `a default export of type ${typeof run}`;
    return replyFailure('bad-result', { name: 'TypeError', message: `the tool module has ${got}; it must default-export a function input -> output` });
  }
  let value: unknown;
  try {
    value = await Reflect.apply(run, undefined, [request.input]);
  } catch (error) {
    return replyFailure('execution', describeError(error));
  }
  return replyValue(value, request.maxOutputBytes);
}

await main();
