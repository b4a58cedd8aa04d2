// What tests of src/ load for src/ast/typescript.cts (see vitest.config.ts): typescript through
// require(), as the built CLI does, which vite's transform cannot do for a .cts file.
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

const ts: typeof TypeScript = createRequire(import.meta.url)('typescript');
export default ts;
