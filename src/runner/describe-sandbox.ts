/**
 * What a run would get on this machine (for `show`), kept out of runner/index.ts so that
 * `toolsmith run` does not load it.
 */
export { describeProtections, type MachineProtections } from '../sandbox/describe-protections.js';
