// Pure (scheduling injected): requests made within one task travel as one batch message, and each
// caller still gets its own answer or error. The tiles sampled together by one scheduler tick then
// cost one message each way, and the ML host can classify all their faces in one model call.

/** One request's answer inside a batch reply: a failure is that request's alone. */
export type BatchAnswer<R> = { ok: true; value: R } | { ok: false; error: string };

export function coalesce<Q, R>(send: (batch: Q[]) => Promise<Array<BatchAnswer<R>>>, schedule: (flush: () => void) => void): (req: Q) => Promise<R> {
  let pending: Array<{ req: Q; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    send(batch.map((p) => p.req)).then(
      (answers) => {
        if (answers.length !== batch.length) {
          const err = new Error(`batch reply has ${answers.length} answers for ${batch.length} requests`);
          batch.forEach((p) => p.reject(err));
          return;
        }
        batch.forEach((p, i) => {
          const a = answers[i]!;
          if (a.ok) p.resolve(a.value);
          else p.reject(new Error(a.error));
        });
      },
      // The whole message failed (no receiver, extension reloaded): every request did.
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  };
  return (req) =>
    new Promise<R>((resolve, reject) => {
      if (pending.length === 0) schedule(flush);
      pending.push({ req, resolve, reject });
    });
}

/**
 * When a batch goes: after the current task (the tiles one scheduler tick sampled), or later while
 * `busy()` says a frame of that tick is still being encoded (a JPEG encodes off the main thread and
 * would otherwise travel alone, one more message), but never more than `maxMs` after the first request.
 */
export function afterTask(timers: { setTimeout: (fn: () => void, ms: number) => unknown; now: () => number }, busy: () => boolean, maxMs: number): (flush: () => void) => void {
  return (flush) => {
    const t0 = timers.now();
    const go = () => (busy() && timers.now() - t0 < maxMs ? timers.setTimeout(go, 2) : flush());
    timers.setTimeout(go, 0);
  };
}

