// `npm run bench`: every benchmark, each as a ratio against a baseline measured in the same run.
// Each runs in a process of its own: in one shared process the later ones (generate runs its
// command in-process) paid the garbage collection of everything the earlier ones had loaded
// (ESLint and typescript-eslint, the CodeBLEU corpus), and their figures depended on the order.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCHES = ['cli-startup', 'run-tool', 'pipeline', 'batch', 'validate', 'test-run', 'scan', 'codebleu', 'text-stats', 'generate', 'serve'];

console.log(`toolsmith benchmarks on Node ${process.version}, ${os.cpus().length} cores (medians, interleaved with the baseline)\n`);
let failed = 0;
for (const name of BENCHES) {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(`./${name}.mjs`, import.meta.url))], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${name}.mjs failed (${r.signal ?? `exit ${r.status}`})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
