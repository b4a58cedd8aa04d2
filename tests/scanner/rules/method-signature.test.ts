import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './method-signature.cases.js';

describe('method-signature', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
