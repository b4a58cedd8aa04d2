import { describe, expect, it } from 'vitest';
import { listPlaceholders, renderTemplate } from '../../src/generate/render-template.js';
import { UserError } from '../../src/models/errors.js';

describe('renderTemplate', () => {
  it('substitutes raw values and tolerates spaces inside the braces', () => {
    expect(renderTemplate('a {{x}} b {{ y }} c', { x: '1', y: 'two' }, 't')).toBe('a 1 b two c');
  });

  it('indents the continuation lines of multi-line values like the placeholder line', () => {
    const template = '{\n  "input": {{value|json}}\n}';
    expect(renderTemplate(template, { value: { a: [1] } }, 't')).toBe('{\n  "input": {\n    "a": [\n      1\n    ]\n  }\n}');
  });

  it('writes json as a safe string literal', () => {
    expect(renderTemplate('throw new Error({{m|json}});', { m: 'a "quoted"\nline' }, 't')).toBe(
      'throw new Error("a \\"quoted\\"\\nline");',
    );
  });

  it('escapes comment terminators and continues comment lines with " * "', () => {
    const rendered = renderTemplate('/**\n * Note: {{text|comment}}\n */', { text: 'a */ b\n\nc' }, 't');
    expect(rendered).toBe('/**\n * Note: a *\\/ b\n *\n * c\n */');
  });

  it('leaves brace pairs that are not placeholders alone', () => {
    expect(renderTemplate('const o = {{ a: 1 }};', {}, 't')).toBe('const o = {{ a: 1 }};');
  });

  it('rejects an unknown placeholder or filter with a UserError naming the template', () => {
    expect(() => renderTemplate('{{missing}}', { known: 'x' }, '"mine"')).toThrow(UserError);
    expect(() => renderTemplate('{{missing}}', { known: 'x' }, '"mine"')).toThrow('template "mine" uses an unknown placeholder {{missing}}');
    expect(() => renderTemplate('{{known|shout}}', { known: 'x' }, '"mine"')).toThrow(/unknown filter "shout"/);
  });

  it('lists the placeholders a template uses', () => {
    expect(listPlaceholders('{{a}} {{ b|json }} {{a}}')).toEqual(['a', 'b']);
  });
});
