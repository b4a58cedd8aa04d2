// The run-time half of schema validation: no ajv compiler import, so `toolsmith run` stays fast.
import { createRequire } from 'node:module';
import vm from 'node:vm';
import type { ErrorObject } from 'ajv';
import { re2Engine, RE2_MODULE_ID } from './regexp-engine.js';
import { errnoCode } from '../models/errno-code.js';

/** One readable line per ajv error, naming the field: `input.rows[2].name: must be string`. */
export function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const at = root + e.instancePath.split('/').slice(1).map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
    if (e.keyword === 'required') return `${at}.${String(e.params['missingProperty'])}: is required`;
    if (e.keyword === 'additionalProperties') return `${at}.${String(e.params['additionalProperty'])}: is not allowed`;
    return `${at}: ${e.message ?? 'is invalid'}`;
  });
}

/**
 * The JSON pointer (RFC 6901) into the validated value of each problem, in the order of
 * formatAjvErrors' lines: where the value is wrong, or where a required property is missing
 * or an unknown one sits. Machine-readable (a repair round's feedback quotes it).
 */
export function ajvErrorPointers(errors: readonly ErrorObject[] | null | undefined): string[] {
  const escape = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');
  return (errors ?? []).slice(0, MAX_LISTED_ERRORS).map((e) => {
    if (e.keyword === 'required') return `${e.instancePath}/${escape(String(e.params['missingProperty']))}`;
    if (e.keyword === 'additionalProperties') return `${e.instancePath}/${escape(String(e.params['additionalProperty']))}`;
    return e.instancePath;
  });
}

/** At most this many problems are named; a hostile value can fail a schema a million times. */
const MAX_LISTED_ERRORS = 20;

/** The first problems as lines, and how many more there were. */
export function summarizeAjvErrors(errors: readonly ErrorObject[] | null | undefined, root: string): string[] {
  const all = errors ?? [];
  const lines = formatAjvErrors(all.slice(0, MAX_LISTED_ERRORS), root);
  if (all.length > MAX_LISTED_ERRORS) lines.push(`... and ${all.length - MAX_LISTED_ERRORS} more`);
  return lines;
}

/** What a validator looks like once loaded (ajv's ValidateFunction, compiled or standalone). */
export type StandaloneValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export interface SpecValidators {
  input: StandaloneValidator;
  output: StandaloneValidator;
}

const requireFromToolsmith = createRequire(import.meta.url);

/**
 * The only modules a generated validator may require: ajv's run-time helpers, the format
 * functions and the RE2 engine, all from toolsmith's own install.
 */
function validatorRequire(id: string): unknown {
  if (id === RE2_MODULE_ID) return re2Engine;
  if (id.startsWith('ajv/dist/runtime/') || id === 'ajv-formats/dist/formats') return requireFromToolsmith(id);
  throw new Error(`a generated validator may not require ${JSON.stringify(id)}`);
}

/** Instantiates the source written by createValidatorsSource (compile-schema.ts). */
export function instantiateValidators(source: string): SpecValidators {
  const factory = vm.compileFunction(source, ['require'], { filename: 'toolsmith-validators.js' });
  const made = factory(validatorRequire) as Partial<SpecValidators> | undefined; // `as`: the source returns { input, output }
  if (typeof made?.input !== 'function' || typeof made.output !== 'function') throw new TypeError('generated validators are malformed');
  return { input: made.input, output: made.output };
}

export type BoundedValidation = { status: 'valid' } | { status: 'invalid'; errors: ErrorObject[] } | { status: 'timeout' };

let context: vm.Context | undefined;
let call: vm.Script | undefined;

/**
 * Runs a validator with a deadline: a schema and a value that are each harmless alone can
 * still cost unbounded time together (`uniqueItems` over a large array of objects is
 * quadratic; nested `anyOf` over shared `$ref`s is exponential), and both may be hostile.
 * vm's timeout stops synchronous JavaScript with V8's TerminateExecution, even inside the
 * validator's own functions; measured at well under 0.1 ms per call, it costs `run` nothing
 * a worker thread would (~15 ms to start).
 */
export function validateWithin(validate: StandaloneValidator, data: unknown, timeoutMs: number): BoundedValidation {
  context ??= vm.createContext(Object.create(null) as object); // widening: a null-prototype object is an object (a context with no globals of ours)
  call ??= new vm.Script('validate(data)', { filename: 'toolsmith-bounded-validate.js' });
  context['validate'] = validate;
  context['data'] = data;
  try {
    const ok = call.runInContext(context, { timeout: Math.max(1, Math.floor(timeoutMs)) }) as boolean; // `as`: a validator returns a boolean
    return ok ? { status: 'valid' } : { status: 'invalid', errors: validate.errors ?? [] };
  } catch (error) {
    if (errnoCode(error) === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { status: 'timeout' };
    throw error;
  } finally {
    context['validate'] = undefined;
    context['data'] = undefined;
  }
}
