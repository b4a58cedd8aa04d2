// Bundles the CLI (dist/cli/main.js and every dist/ module it reaches) into one CommonJS file,
// dist/cli/toolsmith.cjs, which bin/toolsmith.js compiles through V8's code cache
// (src/cli/start.cts). Node 20 has no compile cache for ES modules: loading ~80 of them cost
// `toolsmith run` ~40 ms before any work; one script with its bytecode cached costs a few.
//
// Runs after `tsc` (it bundles tsc's output, so the bundle is exactly the code the in-process
// tests import). What the bundle must keep as it was in dist/:
// - packages in node_modules stay external (require()d, or import()ed through the loader);
// - every module's `import.meta.url` is its own dist/ file's URL (paths like
//   `new URL('../sandbox/harness.js', import.meta.url)` resolve as before);
// - dist/ast/typescript.cjs stays a file of its own (it keeps TypeScript's code cache);
// - a dynamic `import()` of a package keeps loading lazily, as an ES module. vm.Script cannot
//   run `import()` in Node 20 without an experimental flag, so each such call goes through
//   `module.toolsmithImport`, which the loader provides. The build fails when any other
//   `import()` is left in the output, or esbuild warns (it does on an `import.meta` left in
//   CommonJS output).
import { build, transformSync } from 'esbuild';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'cli');
const outfile = path.join(outdir, 'toolsmith.cjs');
const IMPORT = '__toolsmith_import';
const IMPORT_CJS = '__toolsmith_import_cjs';
const META_URL = '__toolsmith_module_url';

/**
 * Start and end offsets of the `import` keyword of every `import("package")` in `source`, and
 * the count of `import()` calls whose specifier is not a string literal (a relative literal is
 * bundled by esbuild).
 */
function dynamicImports(source, file) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const packages = [];
  let other = 0;
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (node.arguments.length !== 1 || arg === undefined || !ts.isStringLiteralLike(arg)) other++;
      else if (!arg.text.startsWith('.') && !arg.text.startsWith('/')) packages.push({ start: node.expression.getStart(sf), end: node.expression.end, specifier: arg.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { packages, other };
}

/**
 * Whether require() of `specifier` from `importer` loads a CommonJS file. Such a package's
 * import() becomes a require() (no ES-module resolution, no export-name scan by
 * cjs-module-lexer), with the namespace Node's import() of CommonJS gives: `default` is
 * module.exports, and its own properties are named exports.
 */
function isCommonJs(specifier, importer) {
  let file;
  try {
    file = createRequire(importer).resolve(specifier);
  } catch {
    return false;
  }
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type !== 'module';
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return true;
}

const distModules = {
  name: 'toolsmith-dist',
  setup(b) {
    // Local CommonJS files (dist/ast/typescript.cjs) stay files of their own, required from the bundle's folder.
    b.onResolve({ filter: /\.cjs$/ }, (args) => {
      if (args.path.startsWith('.') === false) return undefined;
      const target = path.resolve(args.resolveDir, args.path);
      return { path: `./${path.relative(outdir, target).split(path.sep).join('/')}`, external: true };
    });
    // canonicalize is an ES module whose exports map has no `require` condition: require() cannot
    // load it, so its one small file (no dependencies) goes into the bundle.
    b.onResolve({ filter: /^canonicalize$/ }, () => ({ path: fileURLToPath(import.meta.resolve('canonicalize')) }));
    b.onLoad({ filter: /\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      if (!args.path.startsWith(dist)) return { contents: source, loader: 'js' };
      if (source.includes('import(')) {
        const { packages, other } = dynamicImports(source, args.path);
        if (other > 0) throw new Error(`${args.path}: an import() whose specifier is not a string literal cannot be bundled`);
        for (const { start, end, specifier } of packages.reverse()) source = source.slice(0, start) + (isCommonJs(specifier, args.path) ? IMPORT_CJS : IMPORT) + source.slice(end);
      }
      if (source.includes('import.meta')) {
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        source = transformSync(source, { loader: 'js', format: 'esm', define: { 'import.meta.url': META_URL } }).code;
        source = `const ${META_URL} = require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(rel)})).href;\n${source}`;
      }
      return { contents: source, loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [path.join(dist, 'cli', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  banner: {
    js: [
      // First, so the whole bundle is strict code, as the ES modules it is made of.
      '"use strict";',
      `const ${IMPORT} = module.toolsmithImport;`,
      `const ${IMPORT_CJS} = (specifier) => new Promise((resolve) => { const exports = require(specifier); resolve({ ...exports, default: exports }); });`,
    ].join('\n'),
  },
  plugins: [distModules],
  logLevel: 'silent',
  write: false,
});
if (result.warnings.length > 0) throw new Error(`esbuild warned:\n${result.warnings.map((w) => `${w.location?.file ?? ''}: ${w.text}`).join('\n')}`);
const [output] = result.outputFiles;
const check = dynamicImports(output.text, outfile);
if (check.packages.length + check.other > 0) throw new Error(`${outfile}: ${check.packages.length + check.other} import() left in the bundle`);
writeFileSync(`${outfile}.tmp`, output.contents);
renameSync(`${outfile}.tmp`, outfile);
