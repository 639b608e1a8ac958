import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/** What Linux names the threads of V8's platform pool: concurrent marking and other GC helpers. */
const V8_WORKER = 'V8Worker';

/**
 * Lowers the scheduling priority of this process's V8 worker threads to `nice` (Linux only: it
 * reads /proc/self/task; elsewhere nothing happens). The in-memory server keeps every document in
 * its heap, and a major garbage collection marks that heap on these threads: on a 2-core machine
 * they took the core the SMSC needed for ~200 ms (bench:e2e's half-rate p99 230-380 ms in 4 runs
 * of 6; with nice 10, 1 of 6), while the server's own thread keeps its priority. Returns how many
 * threads it changed.
 */
export function lowerWorkerThreadPriority(nice: number): number {
  if (process.platform !== 'linux') return 0;
  let changed = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== V8_WORKER) continue;
      setPriority(Number(tid), nice);
      changed += 1;
    } catch {
      // The thread ended meanwhile: nothing to lower.
    }
  }
  return changed;
}
