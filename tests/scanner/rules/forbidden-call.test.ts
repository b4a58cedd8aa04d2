import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './forbidden-call.cases.js';

describe('forbidden-call', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
