// The baseline of bench/serve.mjs: what MCP frameworks do. The same SDK and the same tool
// function, called in this process: no hash check, no validation, no sandbox, no metrics.
// Usage: node bench/ungoverned-server.mjs TOOL_NAME /path/to/build/index.js
import { pathToFileURL } from 'node:url';
import { Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const [name, entry] = process.argv.slice(2);
const { default: tool } = await import(pathToFileURL(entry).href);
serveStdio(() => {
  const server = new Server({ name: 'ungoverned', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({ tools: [{ name, inputSchema: { type: 'object' } }] }));
  server.setRequestHandler('tools/call', async (request) => {
    const result = await tool(request.params.arguments ?? {});
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
  });
  return server;
});
