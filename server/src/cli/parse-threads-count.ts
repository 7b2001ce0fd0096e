// How many parse threads a check starts beside its main thread: a policy of its own, apart from the
// threads' plumbing (parse-workers.ts). A thread only pays when a core is idle for it.

import os from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';

/** Fewer files than this are parsed in the main thread alone (by default). */
export const THREADS_FROM = 400;

/** How many worker threads pay for `files` files, besides this thread (which parses too): none below
 * a few hundred files or on one core; else one per core that is idle besides this thread's, up to 3.
 * A core is idle when the other processes leave it free (like `make -l`): a parse thread costs CPU of
 * its own (starting, compiling its code, sending each tree to this thread, a second heap to collect)
 * and only shortens the run when it has a core to itself. On a busy machine it only adds CPU, and the
 * run takes longer. `busy` is how many cores the others keep busy: by default busyCores(): the
 * one-minute load average unless fewer are running now; when that average says every core is taken,
 * it takes more looks, over a longer while, to believe that none is. */
export function parseThreads(
  files: number,
  requested?: number,
  cores = os.availableParallelism(),
  busy?: number,
): number {
  if (requested !== undefined) return Math.max(0, requested);
  if (cores < 2 || files < THREADS_FROM) return 0;
  busy ??= othersBusy(os.loadavg()[0], cores);
  const idle = Math.floor(cores - 1 - busy + 0.5);
  return Math.max(0, Math.min(idle, cores - 1, 3));
}

/** How many of `cores` other work keeps busy, by busyCores (the looks stop once they leave no core
 * idle besides this thread's): more looks when the load average `load` says that every core is taken
 * (see LOOKS_WHEN_LOADED). */
export function othersBusy(
  load: number,
  cores: number,
  look: () => number | undefined = othersRunning,
): number {
  return busyCores(load, look, load >= cores ? LOOKS_WHEN_LOADED : LOOKS, cores - 1);
}

/** How many times busyCores looks at the tasks running now. */
const LOOKS = 5;
/**
 * How many times it looks when the load average is the number of cores or more. Such an average is
 * either a machine busy on the whole, whose other work comes and goes (a moment without it is no
 * idle core: at load 3.3 on 2 cores, 5 looks once started a thread for nothing), or one that was busy
 * with what ran just before, on this machine's own threads too: the check's own previous runs put the
 * average at 2.1 on an idle 2-core machine (bench-scale's 20,000 files), and the thread that pays
 * most there was never started. So it looks 50 times over about 60 ms, and stops at the first look
 * that sees other work. (Taken 40 times in a row at load 3-4 from a test suite on this machine, 25
 * looks over 25 ms still saw nothing in 10 decisions of one series; 50 looks in none of two.)
 */
export const LOOKS_WHEN_LOADED = 50;

/**
 * How many cores other work keeps busy: the one-minute load average, or fewer when that many are not
 * running now. The average trails by a minute: a command that ended seconds ago (a build, the test
 * before this one, a bench's own previous step) still counts there as a core taken, and on two cores
 * that alone left the check without its parse thread on an idle machine. So the tasks running now are
 * counted too (Linux: /proc/stat's procs_running, less this process's own running threads), a few
 * times a millisecond apart, and the most of those looks is taken: a machine that is busy now shows it
 * in at least one of them, while one that has just become idle shows nothing. Where the system has no
 * such counts (not Linux) it is the load average alone (0 where the system has none, e.g. Windows:
 * every other core counts as idle there).
 */
export function busyCores(
  load = os.loadavg()[0],
  look: () => number | undefined = othersRunning,
  looks = LOOKS,
  enough = Infinity,
): number {
  let most = 0;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < looks; i++) {
    if (i > 0) Atomics.wait(pause, 0, 0, 1);
    const n = look();
    if (n === undefined) return load;
    most = Math.max(most, n);
    // (no look can make it more than the load average; past `enough` the answer is the same)
    if (most >= load || most >= enough) return Math.min(most, load);
  }
  return most;
}

/** Tasks running on the system now besides this process's own (undefined where /proc cannot tell). */
function othersRunning(): number | undefined {
  try {
    const m = /^procs_running (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'));
    if (!m) return undefined;
    const running = Number(m[1]);
    // (this thread is one of them; the others of this process are counted only when there are more)
    if (running <= 1) return 0;
    let mine = 0;
    for (const task of readdirSync('/proc/self/task')) {
      const st = readFileSync(`/proc/self/task/${task}/stat`, 'latin1');
      // the state follows the command name, which is in parentheses and may hold spaces
      if (st.charAt(st.lastIndexOf(')') + 2) === 'R') mine++;
    }
    return Math.max(0, running - Math.max(1, mine));
  } catch {
    return undefined;
  }
}
