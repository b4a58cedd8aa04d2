import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './import-boundary.cases.js';

describe('import-boundary', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
