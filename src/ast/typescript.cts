// The TypeScript compiler, loaded through require() from this CommonJS file. An ES `import`
// of typescript's 9 MB CommonJS file makes Node scan all of it for named exports
// (cjs-module-lexer) and sniff its syntax first: about 0.4 s of CPU on every process that
// type-checks, transpiles or scans, more than loading it costs. Assigning through a local
// keeps the lexer from following the re-export into typescript.js.
import ts = require('typescript');

export = ts;
