// Node (Linux): CPU time of a Chromium's processes, by process type, read from /proc. What a user
// feels (fans, battery, a slower call) is CPU, not throughput: benchmarks read it here.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const PROCESS_KINDS = ['browser', 'gpu', 'extension', 'page', 'utility', 'other'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];
export type CpuByKind = Record<ProcessKind, number>;

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function readStat(pid: number): { ppid: number; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return { ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return null; // exited meanwhile
  }
}

function cmdline(pid: number): string[] {
  try {
    // Zygote-forked children (renderers, utilities) rewrite their title into one space-separated string.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
  } catch {
    return [];
  }
}

function kindOf(args: string[]): ProcessKind {
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (!type) return 'browser';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'renderer') return args.includes('--extension-process') ? 'extension' : 'page';
  if (type === 'utility') return 'utility';
  return 'other';
}

/** The browser process whose command line holds `tag` (a unique flag passed at launch). */
export function findBrowserPid(tag: string): number {
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const args = cmdline(pid);
    if (args.includes(tag) && kindOf(args) === 'browser') return pid;
  }
  throw new Error(`no browser process with ${tag}`);
}

/** Cumulative CPU ms of every process in the tree under `rootPid` (itself included), by pid. */
export function sampleTree(rootPid: number): Map<number, { kind: ProcessKind; cpuMs: number }> {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = readStat(pid);
    if (!s) continue;
    parents.set(pid, s.ppid);
    cpu.set(pid, s.cpuMs);
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 16; p = parents.get(p), depth++) if (p === rootPid) return true;
    return false;
  };
  const out = new Map<number, { kind: ProcessKind; cpuMs: number }>();
  for (const [pid, ms] of cpu) if (inTree(pid)) out.set(pid, { kind: kindOf(cmdline(pid)), cpuMs: ms });
  return out;
}

/** CPU ms spent between two samples, by kind (processes started in between count from zero). */
export function cpuBetween(a: ReturnType<typeof sampleTree>, b: ReturnType<typeof sampleTree>): CpuByKind {
  const out = Object.fromEntries(PROCESS_KINDS.map((k) => [k, 0])) as CpuByKind;
  for (const [pid, now] of b) out[now.kind] += now.cpuMs - (a.get(pid)?.cpuMs ?? 0);
  return out;
}

export const totalCpu = (c: CpuByKind): number => PROCESS_KINDS.reduce((s, k) => s + c[k], 0);

/** CPU by kind over `ms` of wall time while `during` runs (or while waiting). */
export async function measureCpu(rootPid: number, ms: number): Promise<CpuByKind> {
  const a = sampleTree(rootPid);
  await new Promise((r) => setTimeout(r, ms));
  return cpuBetween(a, sampleTree(rootPid));
}
