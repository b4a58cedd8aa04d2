/**
 * The child side of the sandbox: runs inside `node --experimental-permission` (inside
 * bubblewrap when the OS layer is on), reads the request from stdin, imports the tool, calls
 * its default export and writes one framed reply to fd 3. It imports nothing but Node
 * built-ins: it runs alone (copied into the run folder), and every import is start-up time
 * on the `toolsmith run` hot path.
 *
 * Everything the reply path uses is captured here, at module evaluation, before any tool
 * code loads: a tool can replace `fs.writeSync` and call `syncBuiltinESMExports()` (which
 * rewrites the live bindings of `import { writeSync } from 'node:fs'`), but not these consts.
 *
 * Warm mode (`harness.mjs warm`, a worker of a ToolRunner session): the same set-up, then one
 * request per line on stdin, each answered by one framed reply under that request's own nonce,
 * until stdin ends. The parent writes a request only after the previous reply, so fd 0 never
 * holds more than the one call this worker is running: a tool that reads it (or learns a nonce
 * by patching what this file uses after it loaded) sees only its own call, and can at worst
 * shape its own reply, which the parent validates like any output. Between calls this file
 * blocks in a synchronous read, so no tool code runs while the worker is idle.
 */
import fs from 'node:fs';
import nodeModule from 'node:module';
import type { HarnessError, HarnessFile, HarnessReply, HarnessRequest, READY_BYTE as ReadyByte, RESULT_FD as ResultFd } from './protocol.js';

// Mirrors of protocol.ts; `typeof` makes a drift a type error (see protocol.ts).
const RESULT_FD: typeof ResultFd = 3;
const READY_BYTE: typeof ReadyByte = 'R';

const writeSync = fs.writeSync;
const readSync = fs.readSync;
const readFileSync = fs.readFileSync;
const rmSync = fs.rmSync;
const readdirSync = fs.readdirSync;
const lstatSync = fs.lstatSync;
const syncBuiltinESMExports = nodeModule.syncBuiltinESMExports;
const stringify = JSON.stringify;
const parse = JSON.parse;
const byteLength = Buffer.byteLength;
const fromString = Buffer.from;
const bufferToString = Buffer.prototype.toString;
// Reflect is a global a tool can overwrite: the guards below use these copies.
const { apply, get: getProperty, set: setProperty } = Reflect;
const charCodeAt = String.prototype.charCodeAt;
const toBase64 = (bytes: Buffer): string => apply(bufferToString, bytes, ['base64']) as string; // `as`: Buffer#toString returns a string
const getOwnPropertySymbols = Object.getOwnPropertySymbols;
const isArray = Array.isArray;
const exit = process.exit.bind(process);
const ownPid = process.pid;
const cpuUsage = process.cpuUsage.bind(process);
const allocUnsafe = Buffer.allocUnsafe;
const concatBuffers = Buffer.concat;
const bufferIndexOf = Buffer.prototype.indexOf;
const bufferSubarray = Buffer.prototype.subarray;
const floor = Math.floor;
const stringSlice = String.prototype.slice;
/** Read at module evaluation: the parent starts a warm worker as `harness.mjs warm`. */
const warm = process.argv[2] === 'warm';

const UNSETTLED = "the tool's promise never settled: it neither resolved nor rejected, and nothing was left running that could settle it";

let nonce = '';
let replied = false;

/** Writes every byte, retrying short writes (fd 3 is a pipe the parent drains). */
function writeAll(text: string): void {
  const bytes = fromString(text, 'utf8');
  const total = byteLength(text, 'utf8');
  let offset = 0;
  while (offset < total) {
    offset += writeSync(RESULT_FD, bytes, offset, total - offset);
  }
}

/** Sends the call's one reply under its nonce (a warm worker also says how much CPU time it has used). */
function send(body: string): void {
  if (replied) return;
  replied = true;
  if (warm) {
    const used = cpuUsage();
    body = `{"cpu_ms":${floor((used.user + used.system) / 1000)},${apply(stringSlice, body, [1]) as string}`; // `as`: String#slice returns a string
  }
  writeAll(nonce + body + nonce);
}

/**
 * Sends the reply; a cold run then ends (pending timers or sockets of the tool must not keep
 * it alive), a warm worker goes on to its next request.
 */
function reply(body: string): void {
  send(body);
  if (!warm) exit(0);
}

function failureBody(kind: Extract<HarnessReply, { ok: false }>['kind'], error: HarnessError): string {
  const message: HarnessReply = { ok: false, kind, error };
  return stringify(message);
}

function replyFailure(kind: Extract<HarnessReply, { ok: false }>['kind'], error: HarnessError): void {
  reply(failureBody(kind, error));
}

/** A failure outside the call's own flow (an uncaught error, a loop run dry): replied, then the process ends in both modes, so a warm worker is replaced. */
function failAndExit(kind: Extract<HarnessReply, { ok: false }>['kind'], error: HarnessError): never {
  send(failureBody(kind, error));
  return exit(0);
}

/** Error texts are the tool's to choose; bounded so a reply cannot flood fd 3 (see REPLY_OVERHEAD_BYTES). */
const MAX_ERROR_TEXT = 16_000;

function pickString(source: object, key: string): string | undefined {
  let value: unknown;
  try {
    value = getProperty(source, key);
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
      denied = getProperty(denied, 'cause');
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

/** S_IFMT bits of a mode: read as data (`mode` is an own property), so a patched Stats#isFile cannot lie here. */
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const MAX_OUTPUT_DEPTH = 32;

/**
 * The regular files the tool left in its output folder, read synchronously (no tool callback
 * can run in between). Links, sockets and FIFOs are skipped: only plain files are output.
 */
function collectOutputFiles(request: HarnessRequest): HarnessFile[] | string {
  const root = request.outputDir;
  if (root === null) return [];
  const files: HarnessFile[] = [];
  let bytes = 0;
  const walk = (dir: string, rel: string, depth: number): string | null => {
    if (depth > MAX_OUTPUT_DEPTH) return `the output folder nests deeper than ${MAX_OUTPUT_DEPTH} levels`;
    for (const name of readdirSync(dir)) {
      if (depth === 0 && request.outputSkip.includes(name)) continue;
      const full = `${dir}/${name}`;
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const info = lstatSync(full);
      const type = info.mode & S_IFMT;
      if (type === S_IFDIR) {
        const problem = walk(full, relPath, depth + 1);
        if (problem !== null) return problem;
      } else if (type === S_IFREG) {
        bytes += info.size;
        if (files.length + 1 > request.maxFiles) return `the tool left more than ${request.maxFiles} files in its output folder`;
        if (bytes > request.maxFileBytes) return `the tool's output files exceed ${request.maxFileBytes} bytes`;
        files.push({ path: relPath, base64: toBase64(readFileSync(full)) });
      }
    }
    return null;
  };
  const problem = walk(root, '', 0);
  return problem ?? files;
}

function replyValue(value: unknown, request: HarnessRequest): void {
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
  if (size > request.maxOutputBytes) {
    const message = `the tool's result is ${size} bytes; the output limit is ${request.maxOutputBytes} bytes`;
    return replyFailure('output-limit', { name: 'RangeError', message });
  }
  let files: HarnessFile[] | string;
  try {
    files = collectOutputFiles(request);
  } catch (error) {
    files = `cannot read the output folder: ${describeError(error).message}`;
  }
  if (typeof files === 'string') return replyFailure('output-limit', { name: 'RangeError', message: files });
  return reply(`{"ok":true,"value":${json},"files":${stringify(files)}}`);
}

/** The error a refused operation throws; its code makes the parent report kind 'permission'. */
function denied(message: string, permission: string, resource: string): Error {
  const error = new Error(message);
  return Object.assign(error, { code: 'ERR_ACCESS_DENIED', permission, resource });
}

/**
 * A copy of net's options taken with ONE read of each property (own and inherited), so a
 * getter cannot answer one thing to this check and another to net. The copy, not the
 * tool's object, is what net receives.
 */
function snapshotOptions(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return options;
  const copy: Record<string, unknown> = {};
  // eslint-disable-next-line guard-for-in -- inherited properties are read by net too, so they are copied on purpose
  for (const key in options) copy[key] = getProperty(options, key);
  return copy;
}

/** The call's arguments with the options replaced by a snapshot (net.connect hands connect() a normalized [options, cb] array). */
function snapshotArgs(args: readonly unknown[]): unknown[] {
  const [head, ...rest] = args;
  if (isArray(head)) {
    const [options, ...others] = head;
    const copy: unknown[] = [snapshotOptions(options), ...others];
    for (const symbol of getOwnPropertySymbols(head)) setProperty(copy, symbol, getProperty(head, symbol));
    return [copy, ...rest];
  }
  return [snapshotOptions(head), ...rest];
}

/** `listen('8080')` is a port, not a path. A loop over a captured charCodeAt: RegExp.prototype.test and String.prototype are the tool's to replace. */
function isPortNumber(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = apply(charCodeAt, text, [i]) as number; // `as`: charCodeAt returns a number
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The socket file a connect()/listen() call targets, read from the snapshot only. */
function socketPath(args: readonly unknown[]): string | null {
  const head = args[0];
  const first: unknown = isArray(head) ? head[0] : head;
  if (typeof first === 'string') return isPortNumber(first) ? null : first;
  const target: unknown = typeof first === 'object' && first !== null ? getProperty(first, 'path') : undefined;
  return typeof target === 'string' ? target : null;
}

/**
 * Node 20's permission model does not guard sockets, and a network namespace only covers
 * IP, so without 'net' path-based connect() and listen() are refused here too (the OS
 * layer refuses socket(AF_UNIX) with seccomp; this is the second layer, and the only one
 * under sandbox.isolation "node"). process.binding is denied by the permission model, so
 * the tool has no other way to a pipe handle.
 */
function refuseSocketFiles(): void {
  const { Socket, Server } = process.getBuiltinModule('node:net');
  const guard = <T extends (...args: never[]) => unknown>(original: T): T =>
    function (this: unknown, ...args: unknown[]): unknown {
      const safe = snapshotArgs(args);
      const target = socketPath(safe);
      if (target !== null) throw denied('Unix domain sockets need the "net" permission', 'Net', target);
      return apply(original, this, safe);
    } as unknown as T; // `as`: it forwards every call to `original` unchanged, so it has T's signature
  Socket.prototype.connect = guard(Socket.prototype.connect);
  Server.prototype.listen = guard(Server.prototype.listen);
}

/**
 * Without 'net' and without a network namespace (isolation "node" where `unshare --net` is
 * refused) nothing else stops a tool reaching the host's network, loopback included: every
 * socket connect/listen, UDP bind/send and DNS query is refused here. The permission model
 * denies process.binding and child processes, so these are the tool's only ways to the network.
 */
function refuseNetwork(): void {
  const refuse = (what: string) => (): never => {
    throw denied(`${what} needs the "net" permission (and this machine gives the tool no network namespace)`, 'Net', what);
  };
  const { Socket, Server } = process.getBuiltinModule('node:net');
  Socket.prototype.connect = refuse('net.Socket#connect');
  Server.prototype.listen = refuse('net.Server#listen');
  const dgram = process.getBuiltinModule('node:dgram');
  for (const method of ['bind', 'send', 'connect'] as const) setProperty(dgram.Socket.prototype, method, refuse(`dgram.Socket#${method}`));
  const dns = process.getBuiltinModule('node:dns');
  for (const api of [dns, dns.promises]) {
    for (const key of Object.keys(api)) {
      if (key === 'lookup' || key === 'lookupService' || key.startsWith('resolve') || key === 'reverse') setProperty(api, key, refuse(`dns.${key}`));
    }
    for (const key of Object.getOwnPropertyNames(api.Resolver.prototype)) {
      if (key === 'resolve' || key.startsWith('resolve') || key === 'reverse') setProperty(api.Resolver.prototype, key, refuse(`dns.Resolver#${key}`));
    }
  }
}

/**
 * No signal or priority change for any process but the tool's own. Under the OS layer the
 * tool sees only its own PID namespace anyway; under "node" isolation this is what stops
 * `process.kill(process.ppid, 'SIGSTOP')` from freezing the CLI and its timeout.
 */
function guardProcesses(): void {
  const rawKill = getProperty(process, '_kill') as (pid: number, signal: number) => number; // `as`: Node's internal signature
  const kill = process.kill;
  // The pid is converted ONCE, and only that primitive travels on: an object's valueOf could
  // answer the tool's own pid to the check and another pid to the binding's own conversion.
  const checkedPid = (pid: unknown): number => {
    const number = typeof pid === 'number' ? pid : NaN;
    if (number !== ownPid) throw denied(`signalling process ${safeString(pid)} is not allowed: a tool may signal only itself`, 'Signal', safeString(pid));
    return number;
  };
  setProperty(process, '_kill', (pid: unknown, signal: unknown) => apply(rawKill, process, [checkedPid(pid), typeof signal === 'number' ? signal : NaN]));
  process.kill = (pid: number, signal?: string | number) => {
    const own = checkedPid(pid);
    return apply(kill, process, [own, typeof signal === 'number' || typeof signal === 'string' ? signal : undefined]) as true; // `as`: process.kill returns true or throws
  };
  const os = process.getBuiltinModule('node:os');
  const setPriority = os.setPriority;
  os.setPriority = (pidOrPriority: number, priority?: number): void => {
    if (priority === undefined) return apply(setPriority, os, [typeof pidOrPriority === 'number' ? pidOrPriority : NaN]);
    apply(setPriority, os, [pidOrPriority === 0 ? 0 : checkedPid(pidOrPriority), typeof priority === 'number' ? priority : NaN]);
  };
  // A heap snapshot holds every string of the process, the reply's nonce among them: with it a
  // tool could forge the reply (and list output files it was never allowed to write).
  const v8 = process.getBuiltinModule('node:v8');
  const noSnapshot = (): never => {
    throw denied('heap snapshots expose the sandbox harness; they are not available to tools', 'Inspector', 'v8.heapSnapshot');
  };
  v8.getHeapSnapshot = noSnapshot;
  v8.writeHeapSnapshot = noSnapshot;
  v8.setHeapSnapshotNearHeapLimit = noSnapshot;
  // node:trace_events writes node_trace.*.log into the working directory past the permission model.
  const traceEvents = process.getBuiltinModule('node:trace_events');
  traceEvents.createTracing = () => {
    throw denied('node:trace_events writes files; it is not available to tools', 'FileSystemWrite', 'node_trace.log');
  };
}

/** Everything set up once per process, before any tool code loads: the guards and the last-resort replies. */
function setUp(request: HarnessRequest): void {
  if (!request.allowNetwork) refuseSocketFiles();
  if (request.refuseNetwork) refuseNetwork();
  guardProcesses();
  // `import { kill } from 'node:process'` and friends must see the guarded versions too.
  syncBuiltinESMExports();
  // An error thrown from a tool's callback after its promise settled still gets one reply.
  process.on('uncaughtException', (error) => failAndExit('execution', describeError(error)));
  process.on('unhandledRejection', (reason) => failAndExit('execution', describeError(reason)));
  // The loop ran dry while the tool's promise was pending: it can never settle now.
  process.on('beforeExit', () => failAndExit('execution', { name: 'Error', message: UNSETTLED }));
}

/** The tool's module namespace once it loaded (a warm worker imports it once, on its first call). */
let toolModule: Record<string, unknown> | null = null;

/** One call: import the tool (once per process), call its default export, reply. */
async function callTool(request: HarnessRequest): Promise<void> {
  let loaded: Record<string, unknown>;
  try {
    loaded = toolModule ?? ((await import(request.entryUrl)) as Record<string, unknown>); // `as`: a module namespace is an object
    toolModule = loaded;
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
    value = await apply(run, undefined, [request.input]);
  } catch (error) {
    return replyFailure('execution', describeError(error));
  }
  return replyValue(value, request);
}

/** Bytes read past the last request line (the parent sends one request at a time, so normally none). */
let pending: Buffer = allocUnsafe(0);

/**
 * The next request line of a warm worker, read synchronously (no tool callback runs while the
 * worker waits); null at the end of stdin. Chunks are joined once, when the line is complete.
 * A read error (e.g. a tool that made fd 0 non-blocking) ends the worker: the parent replaces it.
 */
function readRequestLine(): string | null {
  const parts: Buffer[] = [];
  let head = pending;
  pending = allocUnsafe(0);
  for (;;) {
    const newline = apply(bufferIndexOf, head, [10]) as number; // `as`: Buffer#indexOf returns a number
    if (newline !== -1) {
      parts[parts.length] = apply(bufferSubarray, head, [0, newline]) as Buffer; // `as`: Buffer#subarray returns a Buffer
      pending = apply(bufferSubarray, head, [newline + 1]) as Buffer; // `as`: as above
      return apply(bufferToString, concatBuffers(parts), ['utf8']) as string; // `as`: Buffer#toString returns a string
    }
    if (head.length > 0) parts[parts.length] = head;
    const chunk = allocUnsafe(65_536);
    let read: number;
    try {
      read = readSync(0, chunk, 0, 65_536, null);
    } catch {
      return exit(3);
    }
    if (read === 0) return null;
    head = apply(bufferSubarray, chunk, [0, read]) as Buffer; // `as`: as above
  }
}

/** With fs:write, each warm call starts with an empty output folder, so its files are its own. */
function emptyOutputFolder(request: HarnessRequest): void {
  if (request.outputDir === null) return;
  for (const name of readdirSync(request.outputDir)) {
    if (!request.outputSkip.includes(name)) rmSync(`${request.outputDir}/${name}`, { recursive: true, force: true });
  }
}

async function serveWarm(): Promise<void> {
  let ready = false;
  for (let line = readRequestLine(); line !== null; line = readRequestLine()) {
    // `as`: the parent wrote this request (see protocol.ts); it is not tool-controlled.
    const request = parse(line) as HarnessRequest;
    nonce = request.nonce;
    replied = false;
    if (!ready) setUp(request);
    ready = true;
    try {
      emptyOutputFolder(request);
    } catch (error) {
      failAndExit('output-limit', { name: 'Error', message: `cannot empty the output folder: ${describeError(error).message}` });
    }
    await callTool(request);
  }
  exit(0);
}

async function main(): Promise<void> {
  writeSync(RESULT_FD, READY_BYTE);
  if (warm) return serveWarm();
  // `as`: the parent wrote this request (see protocol.ts); it is not tool-controlled.
  const request = parse(readFileSync(0, 'utf8')) as HarnessRequest;
  nonce = request.nonce;
  setUp(request);
  return callTool(request);
}

await main();
