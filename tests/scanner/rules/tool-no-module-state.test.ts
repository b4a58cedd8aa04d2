import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './tool-no-module-state.cases.js';

describe('tool-no-module-state', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
