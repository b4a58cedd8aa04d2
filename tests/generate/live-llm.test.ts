// Optional: the shipped examples' specs against a real model, printing pass@1. Skipped unless
// TOOLSMITH_LLM_LIVE_BASE_URL and TOOLSMITH_LLM_LIVE_MODEL are set (README, "Generation
// backends"); the key, when the server needs one, is read from OPENAI_API_KEY.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, ROOT } from '../helpers.js';

const baseUrl = process.env['TOOLSMITH_LLM_LIVE_BASE_URL'];
const model = process.env['TOOLSMITH_LLM_LIVE_MODEL'];
const EXAMPLES = ['text_stats', 'csv_group_count', 'json_pointer_get', 'stats_report'];

describe.skipIf(!baseUrl || !model)('live model (TOOLSMITH_LLM_LIVE_BASE_URL, TOOLSMITH_LLM_LIVE_MODEL)', () => {
  it('generates the shipped examples and prints pass@1', async () => {
    const { generateCode } = (await import(path.join(ROOT, 'dist/lifecycle/generate-code.js'))) as typeof import('../../src/lifecycle/generate-code.js'); // dist/ is compiled from it
    const { defaultTemplatesDir } = (await import(path.join(ROOT, 'dist/generate/templates-dir.js'))) as typeof import('../../src/generate/templates-dir.js'); // likewise
    const samples = Number(process.env['TOOLSMITH_LLM_LIVE_SAMPLES'] ?? '1');
    const passAt1: number[] = [];
    for (const example of EXAMPLES) {
      const ws = createWorkspace();
      const result = await generateCode({
        cwd: ws, actor: 'live', backend: 'llm', samples, specFile: path.join(ROOT, 'examples', example, 'spec.json'), templatesDir: defaultTemplatesDir(),
        env: { ...process.env, TOOLSMITH_LLM_BASE_URL: baseUrl, TOOLSMITH_LLM_MODEL: model },
      });
      const value = result.report.code_metrics?.pass_at_k['1'] ?? 0;
      passAt1.push(value);
      process.stdout.write(`${example}: pass@1 ${value.toFixed(3)} (${result.generation.tokens.total_tokens} tokens)\n`);
    }
    const mean = passAt1.reduce((a, b) => a + b, 0) / passAt1.length;
    process.stdout.write(`mean pass@1 over ${EXAMPLES.length} examples: ${mean.toFixed(3)}\n`);
    expect(passAt1).toHaveLength(EXAMPLES.length);
  }, 600_000);
});
