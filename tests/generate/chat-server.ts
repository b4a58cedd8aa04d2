// A real HTTP server on 127.0.0.1 that speaks the Chat Completions protocol with scripted
// replies (no mocked fetch): each request takes the next step of the script.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; messages?: Array<{ role: string; content: string }>; [key: string]: unknown };
}

/** One scripted answer: a reply content, an HTTP error, or never answering. */
export type Step =
  | { content: string; usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true };

export interface ChatServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests whose connection the client closed before an answer (cancelled). */
  aborted: number;
  close(): Promise<void>;
}

/**
 * Starts the server. `script` is either a list (request i gets step i; the last repeats) or a
 * function of the request (for concurrent samples, whose order is not fixed).
 */
export async function startChatServer(script: Step[] | ((request: RecordedRequest, index: number) => Step)): Promise<ChatServer> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const state = { aborted: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: RecordedRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
      } catch {
        // recorded as empty
      }
      const request: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      const index = requests.push(request) - 1;
      const step = typeof script === 'function' ? script(request, index) : (script[Math.min(index, script.length - 1)] as Step);
      answer(step, res, hanging, state);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port; // listening on TCP: address() is an AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(step: Step, res: ServerResponse, hanging: Set<ServerResponse>, state: { aborted: number }): void {
  if ('hang' in step) {
    hanging.add(res);
    res.on('close', () => {
      if (!res.writableEnded) state.aborted++;
      hanging.delete(res);
    });
    return;
  }
  if ('status' in step) {
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(JSON.stringify(step.body ?? { error: { message: `status ${step.status}` } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: step.content }, finish_reason: 'stop' }],
    usage: step.usage ?? { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  }));
}

/** A reply holding code in a markdown fence, with prose around it. */
export function fenced(code: string): string {
  return `Here is the implementation:\n\n\`\`\`ts\n${code}\`\`\`\n\nIt handles the empty text too.`;
}
