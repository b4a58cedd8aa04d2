// Types of scripts/eslint/assertion-comment.mjs for its test (tests/repo/assertion-comment.test.ts).
import type { Rule } from 'eslint';

export declare const assertionComment: Rule.RuleModule;
