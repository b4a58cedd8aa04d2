// The lint rule behind STYLE's "no `as` without a comment saying why it is safe" (issue 10, item 7).
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { assertionComment } from '../../scripts/eslint/assertion-comment.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

tester.run('toolsmith/assertion-comment', assertionComment, {
  valid: [
    { name: 'a comment on the same line', code: 'const n = x as number; // safe: checked above\n' },
    { name: 'a comment on the line above', code: '// safe: the parser sets it\nconst n = x as number;\n' },
    { name: 'a comment inside a multi-line assertion', code: 'const f = ((a: string) => {\n  // safe: same signature\n  return a;\n}) as F;\n' },
    { name: 'as const claims nothing', code: 'const k = [1, 2] as const;\n' },
    { name: 'as unknown claims nothing', code: 'const v = JSON.parse(t) as unknown;\n' },
  ],
  invalid: [
    { name: 'a bare as', code: 'const n = x as number;\n', errors: [{ messageId: 'missing', line: 1, column: 11 }] },
    { name: 'angle-bracket assertion', code: 'const n = <number>x;\n', errors: [{ messageId: 'missing', line: 1, column: 11 }] },
    { name: 'a comment two lines up does not count', code: '// about something else\n\nconst n = x as number;\n', errors: [{ messageId: 'missing', line: 3 }] },
    { name: 'as unknown as T still needs the reason for T', code: 'const n = x as unknown as T;\n', errors: [{ messageId: 'missing', line: 1, column: 11 }] },
  ],
});
