#!/usr/bin/env node
// A `generate --command` generator: reads the ToolSpec JSON on stdin and writes the
// implementation on stdout. This one answers with the shipped example of that tool
// (examples/<tool_name>/index.ts), so the command backend can be tried without a model:
//   toolsmith generate --spec examples/text_stats/spec.json --command "node examples/generators/copy-example.mjs"
// Any program that follows the same contract (an agent, a script calling a model) works.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const spec = JSON.parse(Buffer.concat(chunks).toString('utf8'));
if (!/^[a-z][a-z0-9_]*$/.test(spec.tool_name ?? '')) {
  process.stderr.write('copy-example: the spec on stdin has no valid tool_name\n');
  process.exit(2);
}
try {
  process.stdout.write(readFileSync(fileURLToPath(new URL(`../${spec.tool_name}/index.ts`, import.meta.url)), 'utf8'));
} catch {
  process.stderr.write(`copy-example: no example implementation for ${spec.tool_name}\n`);
  process.exit(1);
}
