import { describe, expect, it } from 'vitest';
import { allowedHostnamesFor, checkRequest, isLoopbackHost, type GuardRequest } from '../../src/serve/http-guards.js';

const TOKEN = 'k'.repeat(32);
const local = { allowedHostnames: allowedHostnamesFor('127.0.0.1'), token: null };
const guarded = { allowedHostnames: allowedHostnamesFor('10.1.2.3'), token: TOKEN };
const request = (over: Partial<GuardRequest> = {}): GuardRequest => ({ method: 'POST', url: '/mcp', host: '127.0.0.1:8808', origin: undefined, authorization: undefined, ...over });

describe('loopback', () => {
  it.each(['127.0.0.1', '127.8.9.1', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1', '::2'])('%s is not', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('checkRequest', () => {
  it('lets a plain local request through, with or without a local Origin', () => {
    expect(checkRequest(request(), local)).toBeNull();
    expect(checkRequest(request({ origin: 'http://localhost:3000' }), local)).toBeNull();
    expect(checkRequest(request({ host: '[::1]:8808', method: 'GET' }), local)).toBeNull();
  });
  it.each([
    ['another path', { url: '/other' }, 404],
    ['a query does not change the path', { url: '/mcp/../x' }, 404],
    ['PUT', { method: 'PUT' }, 405],
    ['a foreign Origin (DNS rebinding from a web page)', { origin: 'http://evil.example' }, 403],
    ['an Origin that is not a URL', { origin: 'null' }, 403],
    ['a file: Origin', { origin: 'file:///x' }, 403],
    ['a foreign Host', { host: 'evil.example:8808' }, 403],
    ['no Host', { host: undefined }, 403],
    ['a malformed Host', { host: 'a b' }, 403],
  ] as const)('refuses %s', (_what, over, status) => {
    expect(checkRequest(request(over), local)?.status).toBe(status);
  });
  it('with a token: 401 without it, with another, with a non-Bearer scheme; passes with it', () => {
    const remote = (authorization?: string) => request({ host: '10.1.2.3:8808', ...(authorization === undefined ? {} : { authorization }) });
    expect(checkRequest(remote(), guarded)).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer realm="toolsmith"' } });
    expect(checkRequest(remote(`Bearer ${TOKEN}x`), guarded)?.status).toBe(401);
    expect(checkRequest(remote(`Bearer ${TOKEN.slice(1)}`), guarded)?.status).toBe(401);
    expect(checkRequest(remote(`Basic ${TOKEN}`), guarded)?.status).toBe(401);
    expect(checkRequest(remote(`Bearer ${TOKEN}`), guarded)).toBeNull();
  });
});
