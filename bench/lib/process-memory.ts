/**
 * Memory of the extensions' renderer processes (Chromium's `--extension-process`), read from
 * Linux's /proc: the largest, after pages were scored, is the encoder's offscreen document.
 * The encoder's WebAssembly memory and runtime live there, outside the JavaScript heap, so
 * the browser's own heap figures miss most of it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  /** Resident set size (VmRSS), bytes: includes pages shared with other Chromium processes. */
  residentBytes: number;
  /** Private (clean + dirty) pages, bytes: what this process alone costs. */
  privateBytes: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function kilobytes(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Every process whose parent chain reaches `root`, from /proc (Linux only; [] elsewhere). */
function descendants(root: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const parent = new Map<number, number>();
  for (const e of entries) {
    const stat = read(`/proc/${e}/stat`);
    // The command name (field 2) is in parentheses and may hold spaces: the parent id is the
    // second field after its closing parenthesis.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
    if (Number.isFinite(ppid)) parent.set(Number(e), ppid);
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/**
 * The extension renderer processes under the browser `browserPid` (Linux; [] elsewhere),
 * largest private memory first. Chromium puts a cross-origin-isolated page such as the
 * encoder's offscreen document in a process of its own, beside the one for the service worker
 * and other extensions' pages.
 */
export function extensionProcesses(browserPid: number | undefined): ProcessMemory[] {
  if (browserPid === undefined) return [];
  const out: ProcessMemory[] = [];
  for (const pid of descendants(browserPid)) {
    // Chromium rewrites its children's command lines: arguments may be joined by spaces.
    const cmdline = read(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ') ?? '';
    if (!/(^| )--type=renderer( |$)/.test(cmdline) || !/(^| )--extension-process( |$)/.test(cmdline)) continue;
    const status = read(`/proc/${pid}/status`);
    const rollup = read(`/proc/${pid}/smaps_rollup`);
    if (!status || !rollup) continue;
    out.push({
      pid,
      residentBytes: kilobytes(status, 'VmRSS'),
      privateBytes: kilobytes(rollup, 'Private_Clean') + kilobytes(rollup, 'Private_Dirty'),
    });
  }
  return out.sort((a, b) => b.privateBytes - a.privateBytes);
}
