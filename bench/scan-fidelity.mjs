// The scanner's fidelity against ESLint's core rules on real files nobody here wrote (issue 9
// item 18): every source file under 1 MB in the project's node_modules, plus any folders given
// as arguments (e.g. a checkout of another project). Prints the agreement and every difference
// by category; see bench/eslint-oracle.mjs. Not timed: `npm run bench:scan` measures speed.
//   npm run build && node bench/scan-fidelity.mjs [extra folders...]
// TOOLSMITH_SCANNER=/path/to/other/dist/scanner/index.js compares another build (e.g. before a change).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceCorpus } from './lib.mjs';
import { compareSides, createEslintOracle, createToolsmithSide, formatComparison } from './eslint-oracle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx']);

function corpus(dirs) {
  return sourceCorpus(root, dirs, EXTENSIONS);
}

const extra = process.argv.slice(2).map((d) => path.resolve(d));
const files = corpus([path.join(root, 'node_modules'), ...extra]);
console.log(`fidelity corpus: ${files.length} files (node_modules${extra.length ? ` + ${extra.join(', ')}` : ''})`);
const scanner = await import(process.env['TOOLSMITH_SCANNER'] ?? '../dist/scanner/index.js');
const toolsmith = createToolsmithSide(scanner, root)(files);
const eslint = await createEslintOracle(root);
console.log(formatComparison(compareSides(files, eslint, toolsmith)));
