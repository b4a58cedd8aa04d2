import { describe } from 'vitest';
import { ruleTable } from '../rule-tester.js';
import { tables } from './required-finally-call.cases.js';

describe('required-finally-call', () => {
  for (const table of tables) ruleTable(table.rule, table);
});
