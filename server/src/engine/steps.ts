// Work done in steps: a generator that yields between small pieces of a long computation, so that a
// caller with an event loop can give other requests a turn; a caller without one runs it to its end.

/** Run a generator to its end (no turns given) and return its value. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
