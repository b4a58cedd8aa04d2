/** The one escape function for terminal output (issue 8, item 5): a table of what it does. */
import { describe, expect, it } from 'vitest';
import { createEscaper, escapeTerminal, hasBidiControls, hasInvisibleCharacters } from '../../src/cli/io/escape.js';

describe('escapeTerminal', () => {
  it.each([
    ['plain text', 'plain text', 'plain text'],
    ['a\x1b[2Kb', 'a\\x1b[2Kb', 'a\\x1b[2Kb'],
    ['bell\x07', 'bell\\x07', 'bell\\x07'],
    ['cr\rlf\n', 'cr\\rlf\\n', 'cr\\rlf\n'],
    ['tab\there', 'tab\\there', 'tab\there'],
    ['osc \x1b]52;c;aGk=\x07', 'osc \\x1b]52;c;aGk=\\x07', 'osc \\x1b]52;c;aGk=\\x07'],
    ['c1 \x9b2J \x85', 'c1 \\x9b2J \\x85', 'c1 \\x9b2J \\x85'],
    ['del\x7f nul\x00', 'del\\x7f nul\\x00', 'del\\x7f nul\\x00'],
    ['rlo \u202e lri \u2066 pdi \u2069 lrm \u200e alm \u061c', 'rlo \\u{202e} lri \\u{2066} pdi \\u{2069} lrm \\u{200e} alm \\u{61c}', 'rlo \\u{202e} lri \\u{2066} pdi \\u{2069} lrm \\u{200e} alm \\u{61c}'],
    ['zero\u200bwidth \ufeffbom', 'zero\\u{200b}width \\u{feff}bom', 'zero\\u{200b}width \\u{feff}bom'],
    ['line\u2028sep', 'line\\u{2028}sep', 'line\\u{2028}sep'],
    ['café ✓ 日本', 'café ✓ 日本', 'café ✓ 日本'],
    // Red team: invisible characters beyond the zero-width ones (Cf, fillers, selectors, tags).
    ['soft\u00adhyphen wj\u2061op', 'soft\\xadhyphen wj\\u{2061}op', 'soft\\xadhyphen wj\\u{2061}op'],
    ['filler { a,\u3164}', 'filler { a,\\u{3164}}', 'filler { a,\\u{3164}}'],
    ['tag \u{e0041}\u{e0042} vs \ufe0f', 'tag \\u{e0041}\\u{e0042} vs \\u{fe0f}', 'tag \\u{e0041}\\u{e0042} vs \\u{fe0f}'],
  ])('%j -> %j (one line), %j (multi-line)', (input, line, block) => {
    expect(escapeTerminal(input)).toBe(line);
    expect(escapeTerminal(input, { multiline: true })).toBe(block);
    for (const out of [escapeTerminal(input), escapeTerminal(input, { multiline: true })]) expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  });

  it('the escaper flags where bidirectional controls were met, once each', () => {
    const esc = createEscaper();
    esc.line('ok', 'a');
    esc.block('x\u202ey', 'index.ts');
    esc.line('\u2067', 'spec.returns');
    esc.line('\u202e again', 'index.ts');
    esc.line({ nested: '\u202e' }, 'json');
    expect(esc.bidi).toEqual(['index.ts', 'spec.returns', 'json']);
    expect(hasBidiControls('plain')).toBe(false);
    expect(hasBidiControls('a\u2068b')).toBe(true);
  });

  it('the escaper flags where invisible characters were met (bidirectional ones apart)', () => {
    const esc = createEscaper();
    esc.block('const { a,\u3164} = input', 'index.ts');
    esc.line('\u202e only bidi', 'spec.returns');
    esc.line('tag\u{e0041}', 'tests.json');
    expect(esc.invisible).toEqual(['index.ts', 'tests.json']);
    expect(hasInvisibleCharacters('plain café')).toBe(false);
  });
});
