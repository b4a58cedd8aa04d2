import { assertIdentity } from '../stores/identity.js';
import type { CommandOptions, OpenWorkspace } from '../workspace/open-workspace.js';

/**
 * Who runs a command that writes an audit line, normalised (src/stores/identity.ts):
 * TOOLSMITH_ACTOR, else the OS user name.
 * @throws UserError (exit 2) naming where the unusable name came from
 */
export function resolveActor(options: CommandOptions, open: OpenWorkspace): string {
  const env = options.env ?? process.env;
  const source = options.actor !== undefined ? 'the actor' : env['TOOLSMITH_ACTOR'] !== undefined ? 'TOOLSMITH_ACTOR' : `the OS user name`;
  return assertIdentity(open.actor, source);
}
