import { closeSync, openSync, readSync } from 'node:fs';

/** What the dynamic loader needs to know about one ELF file. */
export interface ElfInfo {
  /** PT_INTERP: the loader's own path (executables only). */
  interpreter: string | null;
  /** DT_NEEDED: the names of the shared libraries it links against. */
  needed: string[];
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
/** Headers and dynamic sections are small; a bound on what one read may ask for keeps a corrupt file harmless. */
const MAX_READ = 1 << 20;

/**
 * Reads the interpreter and the needed libraries of a 64-bit little-endian ELF file
 * (x86_64, aarch64), so the sandbox can bind exactly the files Node loads instead of the
 * whole of /usr. Reading headers costs well under a millisecond; `ldd` would cost a process
 * on every `toolsmith run`. Returns null for anything else (the caller then reports that the
 * OS layer cannot be built here).
 */
export function readElfInfo(file: string): ElfInfo | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const read = (offset: bigint | number, length: number, exact = true): Buffer => {
      if (length < 0 || length > MAX_READ) throw new RangeError('ELF structure too large');
      const buffer = Buffer.alloc(length);
      const got = readSync(fd, buffer, 0, length, Number(offset));
      if (exact && got !== length) throw new RangeError('truncated ELF file');
      return buffer.subarray(0, got);
    };
    const header = read(0, 64);
    // \x7fELF, ELFCLASS64 (2), little-endian (1)
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return null;
    const phoff = header.readBigUInt64LE(32);
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    const table = read(phoff, phentsize * phnum);
    const loads: Array<{ vaddr: bigint; offset: bigint; filesz: bigint }> = [];
    let interpreter: string | null = null;
    let dynamic: { offset: bigint; size: bigint } | null = null;
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      const type = table.readUInt32LE(at);
      const offset = table.readBigUInt64LE(at + 8);
      const vaddr = table.readBigUInt64LE(at + 16);
      const filesz = table.readBigUInt64LE(at + 32);
      if (type === PT_LOAD) loads.push({ vaddr, offset, filesz });
      else if (type === PT_INTERP) interpreter = read(offset, Number(filesz)).toString('latin1').replace(/\0.*$/s, '');
      else if (type === PT_DYNAMIC) dynamic = { offset, size: filesz };
    }
    if (dynamic === null) return { interpreter, needed: [] };
    const entries = read(dynamic.offset, Number(dynamic.size));
    const neededOffsets: bigint[] = [];
    let strtab: bigint | null = null;
    for (let at = 0; at + 16 <= entries.length; at += 16) {
      const tag = entries.readBigInt64LE(at);
      const value = entries.readBigUInt64LE(at + 8);
      if (tag === DT_NULL) break;
      if (tag === DT_NEEDED) neededOffsets.push(value);
      else if (tag === DT_STRTAB) strtab = value;
    }
    if (strtab === null) return { interpreter, needed: [] };
    // DT_STRTAB is a virtual address: find the file offset through the segment that maps it.
    const segment = loads.find((load) => strtab !== null && strtab >= load.vaddr && strtab < load.vaddr + load.filesz);
    if (segment === undefined) return null;
    const strtabOffset = strtab - segment.vaddr + segment.offset;
    const needed = neededOffsets.map((offset) => readCString(read, strtabOffset + offset));
    return { interpreter, needed };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function readCString(read: (offset: bigint, length: number, exact: boolean) => Buffer, offset: bigint): string {
  const chunk = read(offset, 256, false);
  const end = chunk.indexOf(0);
  return chunk.subarray(0, end === -1 ? chunk.length : end).toString('latin1');
}
