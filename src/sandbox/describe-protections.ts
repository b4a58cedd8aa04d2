import type { Permission, SandboxProtections } from '../models/index.js';
import { createProtections } from './create-protections.js';
import { baseBwrapArgs, systemMountArgs } from './create-os-command.js';
import { prlimitArgs } from './child-command.js';
import { hasPrlimit, permissionFlag, probeNetworkNamespace } from './node-launchers.js';
import { bwrapVersion, probeOsLayer, type OsLayer } from './os-layer.js';
import type { Isolation, SandboxLimits } from './types.js';

export interface MachineProtections {
  protections: SandboxProtections;
  /** Set when runs are refused here (isolation "os" without a working OS layer): why. */
  refused: string | null;
}

/** bubblewrap running `node -e 0` with the same namespaces, files and limits as a run. */
function probeCommand(layer: OsLayer, limits: SandboxLimits): { file: string; args: string[] } {
  const args = [...baseBwrapArgs(layer, false), ...systemMountArgs(1024 * 1024), '--chdir', '/work', '--'];
  if (layer.prlimit !== null) args.push(layer.prlimit.program, ...prlimitArgs(limits, true), '--');
  args.push(layer.node.program, '-e', '0');
  return { file: layer.bwrap, args };
}

/**
 * What a run of a tool with these permissions would get on this machine, without running
 * it (for `show`): probes bubblewrap once per process when the OS layer is wanted.
 */
export async function describeProtections(limits: SandboxLimits, permissions: readonly Permission[], isolation: Isolation): Promise<MachineProtections> {
  const base = { limits, permissions, permissionModel: permissionFlag() !== null, isolation };
  const nodeOnly = (osOffReason: string | null): SandboxProtections =>
    createProtections({ ...base, os: null, networkNamespace: !permissions.includes('net') && probeNetworkNamespace(), limitsApplied: hasPrlimit(), osOffReason });
  if (isolation === 'node') return { protections: nodeOnly(null), refused: null };
  const state = probeOsLayer((layer) => probeCommand(layer, limits));
  if (!state.ok) return { protections: nodeOnly(state.reason), refused: isolation === 'os' ? state.reason : null };
  const namespaces = ['user', 'pid', ...(permissions.includes('net') ? [] : ['net']), 'mount', 'ipc', 'uts'];
  const os = { version: await bwrapVersion(state.layer.bwrap), namespaces, seccomp: state.layer.seccomp };
  return { protections: createProtections({ ...base, os, networkNamespace: false, limitsApplied: state.layer.prlimit !== null, osOffReason: null }), refused: null };
}
