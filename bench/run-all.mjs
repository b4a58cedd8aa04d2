// `npm run bench`: every benchmark, each as a ratio against a baseline measured in the same run.
import * as startup from './cli-startup.mjs';
import * as runTool from './run-tool.mjs';
import * as pipeline from './pipeline.mjs';
import * as batch from './batch.mjs';
import * as scan from './scan.mjs';
import * as validate from './validate.mjs';
import * as testRun from './test-run.mjs';
import * as codebleu from './codebleu.mjs';
import * as textStats from './text-stats.mjs';
import * as generate from './generate.mjs';
import * as serve from './serve.mjs';

console.log(`toolsmith benchmarks on Node ${process.version}, ${(await import('node:os')).cpus().length} cores (medians, interleaved with the baseline)\n`);
startup.run();
runTool.run();
pipeline.run();
batch.run();
validate.run();
testRun.run();
await scan.run();
await codebleu.run();
await textStats.run();
await generate.run();
await serve.run();
