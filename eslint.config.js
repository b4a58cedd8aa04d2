// The habits of STYLE.md that a linter can hold (`npm run lint`, part of `npm test`). Not
// type-aware on purpose: the rules below need only the syntax, so lint stays a few seconds.
import tseslint from 'typescript-eslint';
import { assertionComment } from './scripts/eslint/assertion-comment.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'registry/**', 'staged/**', 'templates/**', 'examples/**', 'tests/fixtures/**', 'coverage/**', 'src/models/generated/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin, toolsmith: { rules: { 'assertion-comment': assertionComment } } },
    rules: {
      // Only cli/ prints (STYLE habit 1); everything else returns data or emits events.
      'no-console': 'error',
      // A for-in loop reads inherited properties too: filter them, or say why not.
      'guard-for-in': 'error',
      // STYLE: functions under ~40 lines, a longer one says why; past 60 it is worth a look.
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
      // `as` only (no `<T>x`), never on an object literal (annotate the variable instead)...
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      // ...and each one says why it is safe.
      'toolsmith/assertion-comment': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
