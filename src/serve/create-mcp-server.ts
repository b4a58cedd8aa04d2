// The protocol side of `serve`: one low-level MCP Server (JSON Schema as promoted, not zod)
// answering tools/list from the catalog and tools/call through the runner. Both transports
// build their instances with this factory, per connection (stdio) or per request (HTTP).
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import { CancelledWhileQueuedError, ServerBusyError, type CallLimiter } from './call-limiter.js';
import { callServedTool, type StepRunner, type ToolCallResult } from './call-served-tool.js';
import type { ToolCatalog } from './tool-catalog.js';

/** JSON-RPC's range for implementation-defined server errors: the call was not admitted (busy). */
const SERVER_BUSY = -32000;

export interface ServeContext {
  catalog: ToolCatalog;
  /** The ToolRunner, or a warm session of it: every tools/call runs through it. */
  runner: StepRunner;
  limiter: CallLimiter;
  serverInfo: { name: string; version: string };
}

/** A fresh low-level Server wired to the shared catalog, runner and limiter. */
export function createMcpServer(context: ServeContext): Server {
  const server = new Server(context.serverInfo, {
    capabilities: { tools: { listChanged: true } },
    instructions: 'Tools promoted through toolsmith: each was reviewed, is hash-verified before every call and runs in a sandbox.',
  });
  server.setRequestHandler('tools/list', async () => ({ tools: (await context.catalog.list()).map((tool) => tool.definition) }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const { name } = request.params;
    const served = await context.catalog.find(name);
    if (served === null) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name} (list the served tools with tools/list)`);
    const args = request.params.arguments ?? {};
    const signal = ctx.mcpReq.signal;
    const token = ctx.mcpReq._meta?.progressToken;
    // Progress is sent as steps finish; the result waits for it, so no update trails the result (a client drops those).
    const sent: Array<Promise<unknown>> = [];
    const onProgress = token === undefined
      ? undefined
      : (done: number, total: number) => void sent.push(ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, message: `step ${done} of ${total} done` } }).catch(() => undefined));
    try {
      const result: ToolCallResult = await context.limiter.run(() => callServedTool(context.runner, served, args, { signal, ...(onProgress ? { onProgress } : {}) }), signal);
      await Promise.all(sent);
      return result;
    } catch (error) {
      if (error instanceof ServerBusyError) throw new ProtocolError(SERVER_BUSY, error.message);
      if (error instanceof CancelledWhileQueuedError) throw new ProtocolError(ProtocolErrorCode.InternalError, error.message);
      throw error;
    }
  });
  return server;
}
