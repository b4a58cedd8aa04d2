import { NegativeOutcomeError, UserError } from '../models/errors.js';
import type { TokenUsage } from '../models/generation.js';

/** One message of a Chat Completions conversation. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatParameters {
  temperature: number;
  max_tokens: number;
}

export interface ChatReply {
  /** The assistant message's text (model-written: untrusted). */
  content: string;
  usage: TokenUsage;
}

export interface ChatClientOptions {
  /** The API root; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  /** The key itself (read from the variable `keyVariable` names); never written anywhere. */
  apiKey: string | undefined;
  /** The variable's name, for messages. */
  keyVariable: string;
  timeoutMs: number;
  maxRetries: number;
  /** The first backoff step (doubled per retry, with jitter); tests pass a few ms. */
  backoffBaseMs?: number;
  /** No wait (backoff or Retry-After) is longer than this. */
  maxWaitMs?: number;
  /** Cancels every request in flight and every wait (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** Called before each retry, for progress. */
  onRetry?: (info: { status: number; attempt: number; waitMs: number }) => void;
  /** Jitter source, in [0, 1). */
  random?: () => number;
}

export interface ChatClient {
  complete(messages: readonly ChatMessage[], parameters: ChatParameters): Promise<ChatReply>;
  /** Where requests go, without credentials or query: safe to show. */
  endpoint: string;
}

/** Replies bigger than this are refused: a hostile server cannot fill the memory. */
const MAX_REPLY_BYTES = 8 * 1024 * 1024;
const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_MAX_WAIT_MS = 60_000;

/** A failure of the endpoint that is a negative outcome (it may work later): exit 1. */
export class LlmError extends NegativeOutcomeError {
  override name = 'LlmError';
}

/**
 * An OpenAI-compatible Chat Completions client on Node's own fetch (SPEC 12): retries a 429
 * or 5xx with exponential backoff and jitter (honouring Retry-After, capped), never another
 * 4xx; one clear error per failure, none of which contains the key.
 * @throws UserError for a base URL that is not http(s)
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const url = chatCompletionsUrl(options.baseUrl);
  const endpoint = describeUrl(url);
  const redact = (text: string) => redactSecret(text, options.apiKey);
  return {
    endpoint,
    async complete(messages, parameters) {
      const body = JSON.stringify({ model: options.model, messages, temperature: parameters.temperature, max_tokens: parameters.max_tokens, stream: false });
      for (let attempt = 0; ; attempt++) {
        const response = await send(url, body, options, endpoint);
        if (response.ok) return parseReply(await readBody(response, options, endpoint), endpoint, redact);
        const text = await readBody(response, options, endpoint).catch(() => '');
        if ((response.status === 429 || response.status >= 500) && attempt < options.maxRetries) {
          const waitMs = retryWait(response.headers, attempt, options);
          options.onRetry?.({ status: response.status, attempt: attempt + 1, waitMs });
          await sleep(waitMs, options.signal);
          continue;
        }
        throw describeHttpError(response.status, redact(text), options, endpoint, attempt);
      }
    },
  };
}

/** `{base}/chat/completions`. @throws UserError for anything but an http(s) URL */
export function chatCompletionsUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UserError(`llm.base_url is not a URL: "${baseUrl}"`, 'e.g. "base_url": "http://127.0.0.1:11434/v1" (or set TOOLSMITH_LLM_BASE_URL)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`llm.base_url must be http or https, got ${url.protocol}`, 'e.g. "base_url": "https://api.openai.com/v1"');
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  return url;
}

/** A URL as it may be shown and stored: no user, password, query or fragment. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The text with every occurrence of the secret replaced (a server may echo the key back). */
export function redactSecret(text: string, secret: string | undefined): string {
  return secret !== undefined && secret.length > 0 ? text.replaceAll(secret, '[redacted]') : text;
}

async function send(url: URL, body: string, options: ChatClientOptions, endpoint: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  const signal = requestSignal(options);
  try {
    return await fetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
  } catch (error) {
    throw describeFetchError(error, options, endpoint);
  }
}

/** The request's signal: its own timeout and the caller's cancellation, whichever fires first. */
function requestSignal(options: ChatClientOptions): AbortSignal {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  return options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
}

async function readBody(response: Response, options: ChatClientOptions, endpoint: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_REPLY_BYTES) {
        await reader.cancel();
        throw new LlmError(`the reply from ${endpoint} is larger than ${MAX_REPLY_BYTES / 1024 / 1024} MB`, 'lower llm.max_tokens, or check that base_url is a Chat Completions endpoint');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof LlmError) throw error;
    throw describeFetchError(error, options, endpoint);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseReply(text: string, endpoint: string, redact: (text: string) => string): ChatReply {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LlmError(`the reply from ${endpoint} is not JSON: ${oneLine(redact(text))}`, 'check that llm.base_url points at an OpenAI-compatible API root (usually ending in /v1)');
  }
  const content = messageContent(json);
  if (content === null) throw new LlmError(`the reply from ${endpoint} has no choices[0].message.content`, 'check that the server speaks the Chat Completions protocol');
  return { content: redact(content), usage: readUsage(json) };
}

/** choices[0].message.content: a string, or (some servers) an array of text parts. */
function messageContent(json: unknown): string | null {
  const choice = field(field(json, 'choices'), 0);
  const content = field(field(choice, 'message'), 'content');
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.map((part) => field(part, 'text')).filter((t): t is string => typeof t === 'string');
    return parts.length > 0 ? parts.join('') : null;
  }
  return null;
}

function readUsage(json: unknown): TokenUsage {
  const usage = field(json, 'usage');
  const count = (name: string) => {
    const value = field(usage, name);
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
  };
  const prompt = count('prompt_tokens');
  const completion = count('completion_tokens');
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: count('total_tokens') || prompt + completion };
}

function field(value: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(value) ? value[key] : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined; // a plain object: indexing by a string key is safe
}

/** How long to wait before retry `attempt + 1`: Retry-After when given, else backoff with jitter; capped. */
export function retryWait(headers: Headers, attempt: number, options: Pick<ChatClientOptions, 'backoffBaseMs' | 'maxWaitMs' | 'random'>): number {
  const cap = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const given = retryAfterMs(headers);
  if (given !== null) return Math.min(cap, given);
  const base = (options.backoffBaseMs ?? DEFAULT_BACKOFF_MS) * 2 ** attempt;
  const jitter = 0.5 + (options.random ?? Math.random)() / 2;
  return Math.min(cap, Math.round(base * jitter));
}

/** `retry-after-ms` (OpenAI), else `Retry-After` in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(headers: Headers): number | null {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return null;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): LlmError {
  return new LlmError('generation cancelled', 'nothing was written');
}

function describeFetchError(error: unknown, options: ChatClientOptions, endpoint: string): UserError {
  if (options.signal?.aborted) return cancelled();
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new LlmError(`no reply from ${endpoint} within ${options.timeoutMs} ms`, 'raise llm.timeout_ms in toolsmith.config.json, or check that the server is not stuck');
  }
  const code = errorCode(error);
  return new UserError(
    `cannot reach the LLM server at ${endpoint}${code ? ` (${code})` : ''}`,
    'check llm.base_url (or TOOLSMITH_LLM_BASE_URL) and that the server is running',
  );
}

/** The errno-style code of fetch's failure (undici puts it on `cause`), else the cause's message ("bad port"). */
function errorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code; // Node's system errors carry a string code
    if (typeof code === 'string') return code;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && cause.message !== '' ? oneLine(cause.message) : null;
}

function describeHttpError(status: number, body: string, options: ChatClientOptions, endpoint: string, retries: number): UserError {
  const detail = serverMessage(body);
  if (status === 401 || status === 403) {
    // The server's text is left out: it may quote the key it refused.
    const key = options.apiKey ? `the key in ${options.keyVariable} was refused` : `no key was sent (${options.keyVariable} is not set)`;
    return new UserError(`${endpoint} answered ${status}: ${key}`, `set ${options.keyVariable} to a valid key, or set llm.api_key_env to the variable that holds it`);
  }
  if (status === 404 || isModelNotFound(body)) {
    if (status !== 404 || /model/i.test(body)) {
      return new UserError(`${endpoint} does not know the model "${options.model}"${detail ? `: ${detail}` : ''}`, 'set llm.model (or TOOLSMITH_LLM_MODEL) to a model the server lists');
    }
    return new UserError(`${endpoint} answered 404`, 'llm.base_url should be the API root that /chat/completions is appended to, e.g. http://127.0.0.1:11434/v1');
  }
  const after = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  if (status === 429 || status >= 500) {
    return new LlmError(`${endpoint} answered ${status}${after}${detail ? `: ${detail}` : ''}`, 'try again later, or raise llm.max_retries');
  }
  return new UserError(`${endpoint} answered ${status}${detail ? `: ${detail}` : ''}`, 'check llm.model, llm.max_tokens and llm.temperature against what the server accepts');
}

function isModelNotFound(body: string): boolean {
  return /model_not_found/.test(body);
}

/** The server's error message (error.message, else the text), on one short line. */
function serverMessage(body: string): string {
  let text = body;
  try {
    const json: unknown = JSON.parse(body);
    const error = field(json, 'error');
    const message = typeof error === 'string' ? error : field(error, 'message');
    if (typeof message === 'string') text = message;
  } catch {
    // not JSON: the text itself
  }
  return oneLine(text);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
