import { runGroup } from './run-group.js';

runGroup('core-a');
