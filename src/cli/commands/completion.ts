import { createCompletionScript, describeForCompletion, type Shell } from '../completion-script.js';
import { createProgram } from '../program.js';
import { EXIT } from '../../models/exit-codes.js';
import type { Handler } from '../program.js';

/** `toolsmith completion bash|zsh|fish`: the script is generated from the live command tree. */
const completion: Handler = async ([shell], flags) => {
  const script = createCompletionScript(describeForCompletion(createProgram(async () => undefined)), shell as Shell); // safe: the argument's .choices() admits only the three shells
  if (flags.json) process.stdout.write(`${JSON.stringify({ shell, script }, null, 2)}\n`);
  else process.stdout.write(script);
  return EXIT.OK;
};
export default completion;
