// The linear-time regular-expression engine of every JSON Schema `pattern` and
// `patternProperties` toolsmith evaluates (SPEC 8): RE2 semantics through re2js, a pure
// JavaScript port of RE2 (no native addon). A backtracking engine lets one hostile
// pattern, or one hostile string against an innocent-looking pattern, cost minutes of CLI
// time; RE2 matches in time linear in the input. The price: no lookaround and no
// backreferences (RE2 refuses them, so such a schema fails the schema gate), and `\s`, `.`
// follow RE2 (ASCII whitespace; `.` excludes only \n).
import { createRequire } from 'node:module';

/** What ajv calls a RegExpEngine: (pattern, flags) -> { test }, plus the code standalone validators use to reach it. */
export interface Re2Engine {
  (pattern: string, flags: string): { test(text: string): boolean };
  code: string;
}

/** The module id a cached standalone validator requires to get this engine (see validator-runtime.ts). */
export const RE2_MODULE_ID = 'toolsmith:re2';

interface Re2Compiled {
  test(text: string): boolean;
}
interface Re2Module {
  RE2JS: { compile(pattern: string): Re2Compiled };
}

let re2: Re2Module | undefined;

/**
 * ECMAScript escapes RE2 spells differently: `\uXXXX` and `\u{X...}` become `\x{...}`.
 * Escaped backslashes are copied as they are, so `\\u0041` stays a backslash and `u0041`.
 */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = pattern[i + 1];
    const braced = next === 'u' ? /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 2)) : null;
    const four = next === 'u' ? /^[0-9a-fA-F]{4}/.exec(pattern.slice(i + 2)) : null;
    if (braced !== null) {
      out += `\\x{${braced[1] ?? ''}}`;
      i += 1 + braced[0].length;
    } else if (four !== null) {
      out += `\\x{${four[0]}}`;
      i += 5;
    } else {
      out += c + (next ?? '');
      i += 1;
    }
  }
  return out;
}

/** Compiles a schema pattern with RE2. @throws Error naming the pattern when RE2 cannot take it */
export const re2Engine: Re2Engine = Object.assign(
  (pattern: string, flags: string) => {
    // Loaded on first use: only schemas with patterns pay its ~10 ms.
    re2 ??= createRequire(import.meta.url)('re2js') as Re2Module; // `as`: re2js's CommonJS build exports RE2JS
    let compiled: Re2Compiled;
    try {
      compiled = re2.RE2JS.compile(toRe2Syntax(pattern));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`pattern ${JSON.stringify(pattern)} is not supported by the linear-time (RE2) engine: ${reason}`);
    }
    // ajv keys each compiled pattern by its toString(): without a distinct one, every pattern of
    // a schema after the first would silently reuse the first one's (ajv's code.ts usePattern).
    return { test: (text: string) => compiled.test(text), toString: () => `re2:/${pattern}/${flags}` };
  },
  { code: `require(${JSON.stringify(RE2_MODULE_ID)})` },
);
