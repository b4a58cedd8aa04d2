// What tests of src/ load for src/ast/typescript.cts (see vitest.config.ts), which vite's
// transform cannot read: the built copy of that file (dist/ is built by the global setup), so
// in-process tests load typescript as the CLI does, through require() and V8's code cache.
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

const ts: typeof TypeScript = createRequire(import.meta.url)('../dist/ast/typescript.cjs');
export default ts;
