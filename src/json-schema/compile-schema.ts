import { _, type ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { re2Engine } from './regexp-engine.js';

// ajv and ajv-formats are CommonJS: under NodeNext their default import is the module
// object, whose `default` is the class / function.
const Ajv = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneCodeModule.default;

/**
 * One ajv configuration for every schema toolsmith evaluates (the schema gate, input and
 * output validation): JSON Schema 2020-12 (the dialect MCP clients assume for a schema
 * without `$schema`, so what `serve` advertises is what the runner enforces), strict mode,
 * all errors, formats, and the RE2 engine for patterns.
 */
function createAjv(standalone: boolean): InstanceType<typeof Ajv> {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    // The schema is checked against the meta-schema by metaSchemaCheck() before it gets here.
    validateSchema: false,
    // Standalone validators load format functions from ajv-formats at run time through the
    // `require` the runner injects (see validator-runtime.ts).
    code: standalone ? { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats`, regExp: re2Engine } : { regExp: re2Engine },
  });
  addFormats(ajv);
  return ajv;
}

let metaSchemaChecker: InstanceType<typeof Ajv> | undefined;

/**
 * Checks a schema against its meta-schema, as ajv's compile() does first, with one instance
 * per process: compiling the 2020-12 meta-schema cost each fresh instance ~35 ms, paid four
 * to six times per `validate`. Schemas themselves are still compiled each in a fresh
 * instance, so one spec's `$id`s never meet another's.
 * @throws Error "schema is invalid: ..." (ajv's own message) when it does not conform
 */
function metaSchemaCheck(schema: object): void {
  if (metaSchemaChecker === undefined) {
    // With the formats: the meta-schema's own `format`s (a `pattern` must be a "regex") are checked.
    metaSchemaChecker = new Ajv({ strict: true, allErrors: true });
    addFormats(metaSchemaChecker);
  }
  metaSchemaChecker.validateSchema(schema, true);
}

/**
 * Validators compiled in this process, by the schema's JSON text, most recently used last.
 * One validation compiles each of a spec's two schemas three times (the schema gate's check,
 * its test check, the sandbox run's validators), and `generate --samples` validates every
 * sample against the same spec: a fresh instance's compile (~2 ms) each time. A validator is
 * a pure function of its schema text and the fixed options above, so sharing one is sharing
 * the same answer. Failed compiles are not kept (they throw again). Bounded: each entry
 * holds its ajv instance.
 */
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 16;

/** Compiles a JSON Schema (2020-12) with ajv in strict mode. @throws Error with ajv's message when invalid */
export function compileSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  const known = compiled.get(key);
  if (known) {
    compiled.delete(key);
    compiled.set(key, known);
    return known;
  }
  metaSchemaCheck(schema);
  const validate = createAjv(false).compile(schema);
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string); // size > 0: a first key exists
  compiled.set(key, validate);
  return validate;
}

/**
 * The body of a function `(require) => ({ input, output })`: ajv's standalone code of both
 * schemas, each wrapped as its own CommonJS module. toolsmith generates it from a verified
 * spec.json and keeps it in its own cache (validator-cache.ts); nothing of a tool package
 * is ever loaded into the CLI. @throws Error when a schema does not compile
 */
export function createValidatorsSource(inputSchema: object, outputSchema: object): string {
  const wrap = (schema: object): string => {
    metaSchemaCheck(schema);
    const ajv = createAjv(true);
    const cjs = standaloneCode(ajv, ajv.compile(schema));
    return `(function () {\n  const module = { exports: {} };\n  const exports = module.exports;\n  ${cjs}\n  return module.exports;\n})()`;
  };
  return `return { input: ${wrap(inputSchema)}, output: ${wrap(outputSchema)} };\n`;
}
