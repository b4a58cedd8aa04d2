import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './tool-capabilities.cases.js';

describe('tool-capabilities', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
