import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

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

/** Type-checks index.ts against the spec's types: its default export must map Input to Output. */
export function typecheckTool(files: TypecheckFiles): TypecheckDiagnostic[] {
  const virtualFiles = new Map<string, string>([
    [virtualPath(INDEX_FILE), files.index],
    [virtualPath(TYPES_FILE), files.types],
    [virtualPath(CHECK_FILE), CHECK_SOURCE],
    [virtualPath('package.json'), PACKAGE_JSON],
  ]);
  const options = createCompilerOptions();
  const host = createHost(options, virtualFiles);
  const program = ts.createProgram({
    rootNames: [virtualPath(INDEX_FILE), virtualPath(CHECK_FILE)],
    options,
    host,
  });
  const indexFile = program.getSourceFile(virtualPath(INDEX_FILE));
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => toTypecheckDiagnostic(d));
  return indexFile === undefined ? diagnostics : relocateCheckDiagnostics(diagnostics, indexFile);
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

/** A host that serves the virtual package from memory and everything else from disk. */
function createHost(options: ts.CompilerOptions, virtualFiles: Map<string, string>): ts.CompilerHost {
  const base = ts.createCompilerHost(options, true);
  return {
    ...base,
    getCurrentDirectory: () => VIRTUAL_ROOT,
    getSourceFile: (fileName, languageVersion, onError) => {
      const text = virtualFiles.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      return readDiskSourceFile(fileName, languageVersion, onError);
    },
    fileExists: (fileName) => virtualFiles.has(fileName) || base.fileExists(fileName),
    readFile: (fileName) => virtualFiles.get(fileName) ?? base.readFile(fileName),
    directoryExists: (dir) => dir === VIRTUAL_ROOT || (base.directoryExists?.(dir) ?? false),
    realpath: (fileName) => (isVirtual(fileName) ? fileName : (base.realpath?.(fileName) ?? fileName)),
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
  const sourceFile = ts.createSourceFile(fileName, text, languageVersion, true);
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
