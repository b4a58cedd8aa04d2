/**
 * A seccomp filter (classic BPF, the format `bwrap --seccomp FD` reads) for tool processes.
 *
 * It closes what namespaces leave open: a Unix domain socket file reachable through a
 * granted read path (a Docker or D-Bus socket is root on the host, and a read-only mount
 * does not stop connect()), the user's kernel keyrings, and a few kernel interfaces no tool
 * needs and exploits like (bpf, perf_event_open, userfaultfd, ptrace, io_uring, whose
 * IORING_OP_SOCKET would also create a socket past a filter on socket()). libuv falls back to
 * its thread pool when io_uring is refused (Node 20 has it off by default). Everything else is
 * allowed: Node needs a broad set of calls, and the namespaces, the mount table and the
 * permission model do the rest. seccomp can inspect only integer arguments, which is why
 * sockets are refused at socket(AF_UNIX) rather than at connect(path).
 */

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const EACCES = 13;
const ENOSYS = 38;
const AF_UNIX = 1;
/** x32 system calls on x86_64 carry this bit: refused whole, so no second numbering slips past. */
const X32_SYSCALL_BIT = 0x40000000;

interface Arch {
  audit: number;
  socket: number;
  denied: number[];
  x32: boolean;
}

/** System call numbers from the kernel's unistd tables (x86_64: arch/x86/entry/syscalls/syscall_64.tbl; arm64: include/uapi/asm-generic/unistd.h). */
const ARCHES: Record<string, Arch> = {
  x64: {
    audit: 0xc000003e,
    socket: 41,
    // ptrace, process_vm_readv, process_vm_writev, add_key, request_key, keyctl, perf_event_open, bpf, userfaultfd, kexec_load, kexec_file_load, io_uring_setup/enter/register
    denied: [101, 310, 311, 248, 249, 250, 298, 321, 323, 246, 320, 425, 426, 427],
    x32: true,
  },
  arm64: {
    audit: 0xc00000b7,
    socket: 198,
    // ptrace, process_vm_readv, process_vm_writev, add_key, request_key, keyctl, perf_event_open, bpf, userfaultfd, kexec_load, kexec_file_load, io_uring_setup/enter/register
    denied: [117, 270, 271, 217, 218, 219, 241, 280, 282, 104, 294, 425, 426, 427],
    x32: false,
  },
};

interface Instruction {
  code: number;
  k: number;
  jt?: string;
  jf?: string;
}

/** Whether a filter can be built for this CPU architecture. */
export function seccompSupported(arch = process.arch): boolean {
  return arch in ARCHES;
}

/**
 * The filter's bytes (struct sock_filter[]), or null on an architecture without a table.
 * `allowUnixSockets` is true for tools granted `net`: they get the host network, and a Unix
 * socket is part of it.
 */
export function createSeccompFilter(allowUnixSockets: boolean, arch = process.arch): Buffer | null {
  const table = ARCHES[arch];
  if (table === undefined) return null;
  const program: Array<Instruction | string> = [
    { code: BPF_LD_W_ABS, k: 4 }, // seccomp_data.arch
    { code: BPF_JEQ_K, k: table.audit, jf: 'enosys' }, // another ABI (i386 via int 0x80): refused
    { code: BPF_LD_W_ABS, k: 0 }, // seccomp_data.nr
  ];
  if (table.x32) program.push({ code: BPF_JGE_K, k: X32_SYSCALL_BIT, jt: 'enosys' });
  for (const nr of table.denied) program.push({ code: BPF_JEQ_K, k: nr, jt: 'eperm' });
  if (!allowUnixSockets) {
    program.push({ code: BPF_JEQ_K, k: table.socket, jf: 'allow' });
    program.push({ code: BPF_LD_W_ABS, k: 16 }); // seccomp_data.args[0], low 32 bits (little-endian)
    program.push({ code: BPF_JEQ_K, k: AF_UNIX, jt: 'eacces' });
  }
  program.push('allow', { code: BPF_RET_K, k: SECCOMP_RET_ALLOW });
  program.push('eacces', { code: BPF_RET_K, k: SECCOMP_RET_ERRNO | EACCES });
  program.push('eperm', { code: BPF_RET_K, k: SECCOMP_RET_ERRNO | EPERM });
  program.push('enosys', { code: BPF_RET_K, k: SECCOMP_RET_ERRNO | ENOSYS });
  return assemble(program);
}

/** Resolves labels into BPF's relative jump offsets (instructions to skip) and encodes. */
function assemble(program: Array<Instruction | string>): Buffer {
  const labels = new Map<string, number>();
  const instructions: Instruction[] = [];
  for (const item of program) {
    if (typeof item === 'string') labels.set(item, instructions.length);
    else instructions.push(item);
  }
  const out = Buffer.alloc(instructions.length * 8);
  instructions.forEach((instruction, index) => {
    const offset = (label: string | undefined): number => {
      if (label === undefined) return 0;
      const target = labels.get(label);
      if (target === undefined || target <= index || target - index - 1 > 255) throw new Error(`bad seccomp jump to ${label}`);
      return target - index - 1;
    };
    out.writeUInt16LE(instruction.code, index * 8);
    out.writeUInt8(offset(instruction.jt), index * 8 + 2);
    out.writeUInt8(offset(instruction.jf), index * 8 + 3);
    out.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return out;
}
