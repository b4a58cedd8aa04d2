// The shipped text_stats tool on 300-460 KB of text (issue 9: its old sentence regex backtracked
// in cubic time, 4,000 characters without . ! ? took 26 s). The promoted build (registry/) is
// called in-process, against the floor any text statistics pay: one pass of the same text
// (code points, a word split, a line split). Target: well under a second, within ~20x the floor.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 9;

function median(fn) {
  fn();
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

export async function run() {
  const metadata = JSON.parse(readFileSync(path.join(root, 'registry', 'metadata.json'), 'utf8'));
  const version = metadata.tools.text_stats.version;
  const { default: textStats } = await import(pathToFileURL(path.join(root, 'registry', 'tools', 'text_stats', version, 'build', 'index.js')).href);
  const unterminated = 'lorem ipsum dolor sit amet '.repeat(6_000);
  const texts = [
    ['162 KB, no sentence end', unterminated],
    ['464 KB, mixed', `${unterminated}\n${'Tools are governed. Are they fast? Yes! '.repeat(3_500)}${unterminated}`],
  ];
  console.log(`text_stats ${version} (promoted build, in-process), median of ${ROUNDS}:`);
  for (const [label, text] of texts) {
    const tool = median(() => textStats({ text, top: 5 }));
    const floor = median(() => [[...text].length, text.split(/\s+/).length, text.split('\n').length]);
    const verdict = tool < 1000 ? 'met' : 'NOT met';
    console.log(`  ${label.padEnd(26)} ${tool.toFixed(1).padStart(7)} ms vs one-pass floor ${floor.toFixed(1).padStart(6)} ms  ratio ${(tool / floor).toFixed(1)}x  (well under 1 s: ${verdict})`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
