import type { Permission, SandboxProtections } from '../models/index.js';
import { cpuLimitSeconds, MAX_OPEN_FILES, MAX_PROCESSES } from './child-command.js';
import { INSTALL_HINT } from './os-layer.js';
import type { Isolation, SandboxLimits } from './types.js';

/** What was true of one launch (or of the machine, for `show`). */
export interface ProtectionFacts {
  limits: SandboxLimits;
  permissions: readonly Permission[];
  permissionModel: boolean;
  /** Set when bubblewrap ran the tool. */
  os: { version: string; namespaces: string[]; seccomp: boolean } | null;
  /** Under "node": whether `unshare --net` gave the child a network namespace. */
  networkNamespace: boolean;
  /** prlimit set RLIMIT_DATA, RLIMIT_CPU, RLIMIT_NOFILE (and, under the OS layer, RLIMIT_NPROC). */
  limitsApplied: boolean;
  isolation: Isolation;
  /** Why the OS layer is off, when it is. */
  osOffReason: string | null;
  /** Read paths that could not be mounted. */
  skippedReadPaths?: readonly string[];
}

/** The warning every report, run and `show` carries while the OS layer is off under "auto". */
export function osLayerOffWarning(reason: string): string {
  return `the OS sandbox layer is off (${reason}): tools run under Node's permission model alone, which is not a security boundary; to turn it on, ${INSTALL_HINT}`;
}

/** The protections record of a run: structured fields plus one line per active layer. */
export function createProtections(facts: ProtectionFacts): SandboxProtections {
  const { limits, os } = facts;
  const granted = facts.permissions.includes('net');
  const isolated = os !== null ? !granted : facts.networkNamespace && !granted;
  const network = granted ? 'granted' : isolated ? 'isolated' : 'not-isolated';
  const layers: string[] = [];
  if (os !== null) layers.push(`os: ${os.version} (${os.namespaces.join(', ')})`);
  if (os?.seccomp) layers.push(`seccomp filter (no ${granted ? '' : 'Unix sockets, '}keyrings, ptrace, bpf, perf events, userfaultfd, io_uring)`);
  if (facts.permissionModel) layers.push('node permission model');
  layers.push(
    network === 'granted' ? 'network: granted by spec' : network === 'isolated' ? 'network: isolated (own network namespace)' : 'network: NOT isolated (no network namespace on this machine; sockets and DNS refused in JavaScript only)',
  );
  if (facts.limitsApplied) layers.push(`memory cap ${limits.maxMemoryMb} MB (rlimit_data)`);
  layers.push(`heap cap ${limits.maxHeapMb} MB (v8)`);
  if (facts.limitsApplied) layers.push(`cpu ${cpuLimitSeconds(limits)} s (rlimit_cpu)`);
  layers.push(`wall clock ${limits.timeoutMs} ms (enforced by toolsmith${os !== null ? ' from outside the sandbox' : ''})`);
  const processCap = facts.limitsApplied && os !== null;
  if (processCap) layers.push(`processes ${MAX_PROCESSES} (rlimit_nproc)`);
  if (facts.limitsApplied) layers.push(`open files ${MAX_OPEN_FILES} (rlimit_nofile)`);
  if (os !== null) layers.push(`scratch ${limits.maxScratchMb} MB (tmpfs)`);
  layers.push(`output ${limits.maxOutputBytes} bytes`);
  const warnings: string[] = [];
  if (os === null && facts.isolation === 'auto' && facts.osOffReason !== null) warnings.push(osLayerOffWarning(facts.osOffReason));
  if (facts.skippedReadPaths !== undefined && facts.skippedReadPaths.length > 0) warnings.push(`fs:read paths not mounted: ${facts.skippedReadPaths.join(', ')}`);
  return {
    permission_model: facts.permissionModel,
    network_namespace: isolated,
    heap_cap_mb: limits.maxHeapMb,
    timeout_ms: limits.timeoutMs,
    max_output_bytes: limits.maxOutputBytes,
    isolation: os !== null ? 'os' : 'node',
    os_layer: os === null ? null : `${os.version} (${os.namespaces.join(', ')})`,
    network,
    memory_cap_mb: facts.limitsApplied ? limits.maxMemoryMb : null,
    cpu_limit_s: facts.limitsApplied ? cpuLimitSeconds(limits) : null,
    max_processes: processCap ? MAX_PROCESSES : null,
    max_open_files: facts.limitsApplied ? MAX_OPEN_FILES : null,
    scratch_cap_mb: os !== null ? limits.maxScratchMb : null,
    seccomp: os?.seccomp ?? false,
    layers,
    warnings,
  };
}
