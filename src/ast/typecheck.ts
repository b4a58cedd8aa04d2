import { createRequire } from 'node:module';
import path from 'node:path';
import ts from './typescript.cjs';

/** One compiler diagnostic, positioned 1-based; `line`/`column` are 0 when it has no file. */
export interface TypecheckDiagnostic {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

/** The sources to check: the candidate's index.ts and the types generated from its spec. */
export interface TypecheckFiles {
  index: string;
  types: string;
}

/**
 * The virtual package lives at a path that cannot exist on disk, so a tool can only import
 * relative files that are served here and Node built-ins (through @types/node): exactly what
 * its sandbox allows at run time. Bare imports of packages fail, as they would when run.
 */
const VIRTUAL_ROOT = path.resolve('/__toolsmith_typecheck__');
const INDEX_FILE = 'index.ts';
const TYPES_FILE = '__spec_types.ts';
const CHECK_FILE = '__check.ts';
/** `"type": "module"` makes index.ts ESM under NodeNext, as the sandbox runs it. */
const PACKAGE_JSON = '{ "type": "module" }\n';
/**
 * The contract, checked from a virtual file. The namespace import keeps the spec's types
 * apart from index.ts's own same-named ones. The second check repeats the output half
 * without the `| Promise<...>` union, because TypeScript does not elaborate a mismatch
 * against a union: it yields the useful "property 'x' is missing" detail.
 */
const CHECK_SOURCE = [
  "import impl from './index.js';",
  "import type * as Spec from './__spec_types.js';",
  'const _check: (input: Spec.Input) => Spec.Output | Promise<Spec.Output> = impl;',
  'type ImplOutput = typeof impl extends (...args: never[]) => infer R ? Awaited<R> : Spec.Output;',
  'declare const _output: ImplOutput;',
  'const _checkOutput: Spec.Output = _output;',
  '',
].join('\n');
/** TS's own code for "Module has no default export", reused for our clearer message. */
const NO_DEFAULT_EXPORT_CODE = 1192;
const SIGNATURE = '(input: Input) => Output | Promise<Output>';

/**
 * Lib and @types/node files parsed once per process: they dominate the cost of a program,
 * and `validate` checks several candidates in one run. Sharing bound SourceFiles between
 * programs is what TypeScript's own language service does; they are never mutated after.
 */
const diskSourceFiles = new Map<string, ts.SourceFile>();
let nodeTypesRoot: string | null | undefined;
let readableRoots: ReadableRoots | undefined;

/**
 * What the type-check may read from disk (SPEC 8): TypeScript's own lib files, @types/node
 * and the undici-types it imports. Nothing else: the candidate is hostile, and a checker
 * that followed `import x from '/etc/x.json'` or `/// <reference path>` would read files
 * outside the package in the CLI and print their structure in diagnostics.
 */
interface ReadableRoots {
  libDir: string;
  /** Folders whose every file may be read. */
  packages: string[];
}

/** Type-checks index.ts against the spec's types: its default export must map Input to Output. */
export function typecheckTool(files: TypecheckFiles): TypecheckDiagnostic[] {
  const virtualFiles = new Map<string, string>([
    [virtualPath(INDEX_FILE), files.index],
    [virtualPath(TYPES_FILE), files.types],
    [virtualPath(CHECK_FILE), CHECK_SOURCE],
    [virtualPath('package.json'), PACKAGE_JSON],
  ]);
  const options = createCompilerOptions();
  const refused = new Set<string>();
  const host = createHost(options, virtualFiles, refused);
  const program = ts.createProgram({
    rootNames: [virtualPath(INDEX_FILE), virtualPath(CHECK_FILE)],
    options,
    host,
  });
  const indexFile = program.getSourceFile(virtualPath(INDEX_FILE));
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => toTypecheckDiagnostic(d));
  const outside = outsideReferences(files.index, refused);
  const checked = indexFile === undefined ? diagnostics : relocateCheckDiagnostics(diagnostics, indexFile);
  return [...outside, ...checked];
}

/**
 * One diagnostic per path the candidate names outside its own files (an absolute or `..`
 * import, a `/// <reference path>`), found in its source; plus any other path the host
 * refused, so nothing outside is ever silently tried.
 */
function outsideReferences(index: string, refused: ReadonlySet<string>): TypecheckDiagnostic[] {
  const info = ts.preProcessFile(index, true, true);
  const named = [...info.importedFiles, ...info.referencedFiles, ...info.typeReferenceDirectives].filter((ref) => isOutsideName(ref.fileName));
  const diagnostics: TypecheckDiagnostic[] = named.map((ref) => {
    const { line, column } = positionOf(index, ref.pos);
    return { file: INDEX_FILE, line, column, code: OUTSIDE_PATH_CODE, message: outsideMessage(ref.fileName) };
  });
  const reported = new Set(named.map((ref) => path.resolve(VIRTUAL_ROOT, ref.fileName)));
  const others = [...refused].filter((file) => ![...reported].some((name) => file === name || file.startsWith(`${name}.`) || file.startsWith(`${name}/`)));
  if (others.length > 0) diagnostics.push({ file: INDEX_FILE, line: 1, column: 1, code: OUTSIDE_PATH_CODE, message: outsideMessage(others.slice(0, 3).join(', ')) });
  return diagnostics;
}

/** Our own diagnostic code for a refused path (TypeScript's codes are all below 20000). */
const OUTSIDE_PATH_CODE = 90001;

function outsideMessage(name: string): string {
  return `${name} is outside the candidate's files: the type-check reads only the package's own files, TypeScript's lib files and @types/node, and never this path`;
}

/** A module name or reference that leaves the virtual package (bare package names are for TS to resolve or reject). */
function isOutsideName(name: string): boolean {
  if (path.isAbsolute(name) || /^[a-zA-Z]:[\\/]/.test(name) || name.startsWith('file:')) return true;
  if (!name.startsWith('.')) return false;
  return !isVirtual(path.resolve(VIRTUAL_ROOT, name)) && !path.resolve(VIRTUAL_ROOT, name).startsWith(`${VIRTUAL_ROOT}${path.sep}`);
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function findReadableRoots(options: ts.CompilerOptions): ReadableRoots {
  if (readableRoots !== undefined) return readableRoots;
  const packages: string[] = [];
  const nodeTypes = resolveNodeTypesRoot();
  if (nodeTypes !== undefined) {
    const nodeDir = path.join(nodeTypes, 'node');
    packages.push(nodeDir);
    try {
      packages.push(path.dirname(createRequire(path.join(nodeDir, 'package.json')).resolve('undici-types/package.json')));
    } catch {
      // an @types/node without undici-types: its imports of it fail as type errors
    }
  }
  readableRoots = { libDir: path.dirname(ts.getDefaultLibFilePath(options)), packages };
  return readableRoots;
}

function isInsideDir(file: string, dir: string): boolean {
  return file === dir || file.startsWith(`${dir}${path.sep}`);
}

/** Whether the host may read this file from disk. */
function isReadable(file: string, roots: ReadableRoots): boolean {
  const resolved = path.resolve(file);
  if (path.dirname(resolved) === roots.libDir && /^lib\.[\w.-]*\.d\.ts$/.test(path.basename(resolved))) return true;
  return roots.packages.some((dir) => isInsideDir(resolved, dir));
}

/** Folders the resolver may look into: the readable packages, and the folders above them (a lookup, not a read). */
function isListable(dir: string, roots: ReadableRoots): boolean {
  const resolved = path.resolve(dir);
  return [roots.libDir, ...roots.packages].some((root) => isInsideDir(resolved, root) || isInsideDir(root, resolved));
}

function createCompilerOptions(): ts.CompilerOptions {
  const typesRoot = resolveNodeTypesRoot();
  return {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    // The sandbox transpiles each file on its own; flag what that would get wrong.
    isolatedModules: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: typesRoot === undefined ? [] : ['node'],
    ...(typesRoot === undefined ? {} : { typeRoots: [typesRoot] }),
  };
}

/**
 * The `node_modules/@types` folder of this toolsmith install, or undefined when @types/node
 * is not installed (then `node:` imports are reported as unresolved rather than crashing).
 */
function resolveNodeTypesRoot(): string | undefined {
  if (nodeTypesRoot === undefined) {
    try {
      const packageJson = createRequire(import.meta.url).resolve('@types/node/package.json');
      nodeTypesRoot = path.dirname(path.dirname(packageJson));
    } catch {
      nodeTypesRoot = null;
    }
  }
  return nodeTypesRoot ?? undefined;
}

/**
 * A host that serves the virtual package from memory, the readable roots from disk, and
 * nothing else: any other path is refused (recorded in `refused` unless it is a package
 * lookup under node_modules, which fails as "cannot find module" anyway) and never read.
 */
function createHost(options: ts.CompilerOptions, virtualFiles: Map<string, string>, refused: Set<string>): ts.CompilerHost {
  const base = ts.createCompilerHost(options, true);
  const roots = findReadableRoots(options);
  const refuse = (fileName: string): void => {
    const resolved = path.resolve(fileName);
    // Not worth a diagnostic (and still not read): lookups inside the virtual package, package
    // lookups under node_modules, and TypeScript's walk up from @types/node for package.json scopes.
    const lookup = isInsideDir(resolved, VIRTUAL_ROOT) || resolved.split(path.sep).includes('node_modules') || (path.basename(resolved) === 'package.json' && isListable(path.dirname(resolved), roots));
    if (!lookup) refused.add(resolved);
  };
  const allowed = (fileName: string): boolean => {
    if (isReadable(fileName, roots)) return true;
    refuse(fileName);
    return false;
  };
  return {
    ...base,
    // What tsc itself uses: JSDoc is parsed where it can change a type error, and not otherwise.
    jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
    getCurrentDirectory: () => VIRTUAL_ROOT,
    getSourceFile: (fileName, languageVersion, onError) => {
      const text = virtualFiles.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      return allowed(fileName) ? readDiskSourceFile(fileName, languageVersion, onError) : undefined;
    },
    fileExists: (fileName) => virtualFiles.has(fileName) || (allowed(fileName) && base.fileExists(fileName)),
    readFile: (fileName) => virtualFiles.get(fileName) ?? (allowed(fileName) ? base.readFile(fileName) : undefined),
    directoryExists: (dir) => dir === VIRTUAL_ROOT || (isListable(dir, roots) && (base.directoryExists?.(dir) ?? false)),
    getDirectories: (dir) => (isListable(dir, roots) ? (base.getDirectories?.(dir) ?? []) : []),
    realpath: (fileName) => (isVirtual(fileName) || !isReadable(fileName, roots) ? fileName : (base.realpath?.(fileName) ?? fileName)),
    writeFile: () => undefined,
  };
}

function readDiskSourceFile(
  fileName: string,
  languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
  onError: ((message: string) => void) | undefined,
): ts.SourceFile | undefined {
  // The same file parses differently as ESM or CJS, so the module format is part of the key.
  const key = typeof languageVersion === 'object'
    ? `${fileName}|${languageVersion.languageVersion}|${String(languageVersion.impliedNodeFormat)}`
    : `${fileName}|${languageVersion}`;
  const cached = diskSourceFiles.get(key);
  if (cached !== undefined) return cached;
  const text = ts.sys.readFile(fileName);
  if (text === undefined) {
    onError?.(`cannot read ${fileName}`);
    return undefined;
  }
  // No parent-pointer pass (the binder sets parents as it goes) and no JSDoc in the
  // declaration files (the program passes the host's ParseForTypeErrors mode): together about
  // a fifth of a cold type-check, spent on lib and @types/node files nobody reports on.
  const sourceFile = ts.createSourceFile(fileName, text, languageVersion, false);
  diskSourceFiles.set(key, sourceFile);
  return sourceFile;
}

function toTypecheckDiagnostic(diagnostic: ts.Diagnostic): TypecheckDiagnostic {
  const message = cleanMessage(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  const { file, start, code } = diagnostic;
  if (file === undefined) return { file: '', line: 0, column: 0, code, message };
  const position = start === undefined ? undefined : file.getLineAndCharacterOfPosition(start);
  const line = position === undefined ? 0 : position.line + 1;
  const column = position === undefined ? 0 : position.character + 1;
  return { file: displayName(file.fileName), line, column, code, message };
}

/**
 * The checker names the spec's types by their virtual path when index.ts has same-named
 * ones (`import("/__toolsmith_typecheck__/__spec_types", {...}).Output`): say `Spec.Output`.
 */
function cleanMessage(message: string): string {
  const root = VIRTUAL_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message
    .replace(new RegExp(`import\\("${root}/__spec_types"[^)]*\\)\\.`, 'g'), 'Spec.')
    .replaceAll(`${VIRTUAL_ROOT}${path.sep}`, '');
}

/**
 * Errors in the virtual __check.ts are about index.ts's default export, so they are moved
 * onto that export (or line 1 when it is missing) with a message a tool author can act on.
 */
function relocateCheckDiagnostics(diagnostics: TypecheckDiagnostic[], indexFile: ts.SourceFile): TypecheckDiagnostic[] {
  const fromCheck = diagnostics.filter((d) => d.file === CHECK_FILE);
  if (fromCheck.length === 0) return diagnostics;
  const others = diagnostics.filter((d) => d.file !== CHECK_FILE);
  const defaultExport = findDefaultExport(indexFile);
  if (defaultExport === undefined) {
    const message = `${INDEX_FILE} has no default export: it must default-export a function ${SIGNATURE}`;
    return [...others, { file: INDEX_FILE, line: 1, column: 1, code: NO_DEFAULT_EXPORT_CODE, message }];
  }
  // One problem, one diagnostic: both checks usually fire for the same mismatch.
  const { line, character } = indexFile.getLineAndCharacterOfPosition(defaultExport.getStart(indexFile));
  const details = [...new Set(fromCheck.map((d) => d.message))].join('\n');
  const message = `the default export does not match the spec, ${SIGNATURE}:\n${details}`;
  return [...others, { file: INDEX_FILE, line: line + 1, column: character + 1, code: fromCheck[0]?.code ?? 2322, message }];
}

/** The statement (or export specifier) that provides index.ts's default export, if any. */
function findDefaultExport(sourceFile: ts.SourceFile): ts.Node | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return statement;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && isDefaultExported(statement)) {
      return statement;
    }
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      const specifier = statement.exportClause.elements.find((element) => element.name.text === 'default');
      if (specifier !== undefined) return specifier;
    }
  }
  return undefined;
}

function isDefaultExported(declaration: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(declaration);
  return (flags & ts.ModifierFlags.Export) !== 0 && (flags & ts.ModifierFlags.Default) !== 0;
}

function virtualPath(name: string): string {
  return path.join(VIRTUAL_ROOT, name);
}

function isVirtual(fileName: string): boolean {
  return path.dirname(fileName) === VIRTUAL_ROOT;
}

/** Virtual files by their bare name (what a user sees); real files (libs) by full path. */
function displayName(fileName: string): string {
  return isVirtual(fileName) ? path.basename(fileName) : fileName;
}
