import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './tool-default-export.cases.js';

describe('tool-default-export', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
