import { passAtKTable } from '../../metrics/pass-at-k.js';
import { UserError } from '../../models/errors.js';
import { createIo } from '../io/output.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

function wholeNumber(value: unknown, flag: string): number {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) throw new UserError(`${flag} must be a non-negative whole number (got "${text}")`, 'e.g. toolsmith metrics pass-at-k --n 200 --c 13 --k 1,10,100');
  return Number(text);
}

const passAtKCommand: Handler = async (_args, flags) => {
  const io = await createIo(flags);
  const n = wholeNumber(flags['n'], '--n');
  const c = wholeNumber(flags['c'], '--c');
  const ks = String(flags['k']).split(',').map((k) => wholeNumber(k, '--k'));
  let table: Record<string, number>;
  try {
    for (const k of ks) if (k > n) throw new RangeError(`k (${k}) cannot exceed n (${n})`);
    table = passAtKTable(n, c, ks);
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error), 'pass@k needs 1 <= k <= n and 0 <= c <= n');
  }
  io.result({ n, c, pass_at_k: table }, () => Object.entries(table).map(([k, v]) => `pass@${k} = ${v.toFixed(6)}`).join('\n'));
  return EXIT.OK;
};
export default passAtKCommand;
