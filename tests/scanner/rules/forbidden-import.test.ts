import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './forbidden-import.cases.js';

describe('forbidden-import', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
