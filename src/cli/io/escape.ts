// The one place untrusted text is made safe for a terminal (STYLE habit 11). Spec fields,
// names, notes, logs, error messages, test names, code and diff lines are written by people
// and tools we do not trust: a raw ESC can move the cursor and overwrite what a reviewer
// reads ("permissions: none"), CR can hide a line, OSC 52 can set the clipboard, and
// bidirectional controls can make code read differently from how it runs (Trojan Source,
// CVE-2021-42574). JSON output needs none of this: JSON.stringify escapes every control
// character, and the bytes stay exact.

/** C0 controls and DEL and C1 controls, plus the Unicode line and paragraph separators. */
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Bidirectional formatting characters (the Trojan Source set). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/**
 * Invisible characters that make two different strings look identical, or hide text: every
 * format character (Unicode category Cf: zero-width characters, the soft hyphen, invisible
 * operators, the tag characters U+E0000-U+E007F that smuggle ASCII text), the variation
 * selectors, the combining grapheme joiner, and the fillers that render as blank but are
 * letters to JavaScript (U+3164 HANGUL FILLER as an identifier is the "invisible backdoor":
 * `const { timeout,\u3164} = params` reads as one destructured name).
 */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/gu;

function codeOf(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
}

function named(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return codeOf(ch);
}

export interface EscapeOptions {
  /** Keep `\n` and `\t` (code, notes, logs, diffs); otherwise they are shown as `\n`, `\t` too. */
  multiline?: boolean;
}

/**
 * Makes a string safe to print on a terminal: every C0/C1 control character (but `\n` and
 * `\t` in multi-line fields), DEL, U+2028/U+2029, bidirectional controls and invisible
 * characters are shown as visible escapes (`\x1b`, `\r`, `\u{202e}`). Anything else passes
 * through unchanged. Not for JSON output (it is exact already).
 */
export function escapeTerminal(text: string, options: EscapeOptions = {}): string {
  const controls = options.multiline ? CONTROL_EXCEPT_NEWLINE_TAB : CONTROL_ALL;
  return text.replace(controls, named).replace(BIDI, codeOf).replace(INVISIBLE, codeOf);
}

/** Whether a string holds invisible characters other than bidirectional controls (shown escaped, and flagged to the reviewer). */
export function hasInvisibleCharacters(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text.replace(BIDI, ''));
}

/** Whether a string holds bidirectional controls (shown escaped, and flagged to the reviewer). */
export function hasBidiControls(text: string): boolean {
  BIDI.lastIndex = 0;
  return BIDI.test(text);
}

/** An escaper that remembers where it met bidirectional controls, for a warning at the top of `show` and `diff`. */
export interface Escaper {
  /** One-line field: every control character escaped. */
  line(value: unknown, where?: string): string;
  /** Multi-line field (code, notes, logs, diff): `\n` and `\t` kept. */
  block(value: unknown, where?: string): string;
  /** Places where bidirectional controls were found, in order, once each. */
  readonly bidi: string[];
  /** Places where other invisible characters (zero-width, tags, fillers) were found, in order, once each. */
  readonly invisible: string[];
}

export function createEscaper(): Escaper {
  const bidi: string[] = [];
  const invisible: string[] = [];
  const note = (text: string, where: string | undefined) => {
    if (where !== undefined && hasBidiControls(text) && !bidi.includes(where)) bidi.push(where);
    if (where !== undefined && hasInvisibleCharacters(text) && !invisible.includes(where)) invisible.push(where);
  };
  const asText = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value) ?? String(value));
  return {
    line(value, where) {
      const text = asText(value);
      note(text, where);
      return escapeTerminal(text);
    },
    block(value, where) {
      const text = asText(value);
      note(text, where);
      return escapeTerminal(text, { multiline: true });
    },
    bidi,
    invisible,
  };
}
