// Pure (timers injected): a deadline for work that may never settle, such as a message whose
// receiver hangs. The work itself cannot be cancelled; its late result is ignored.

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Settles like `work`, or rejects with a TimeoutError once `ms` have passed. */
export function withTimeout<T>(work: Promise<T>, ms: number, timers: Timers, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => reject(new TimeoutError(what, ms)), ms);
    work.then(
      (v) => {
        timers.clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        timers.clearTimeout(timer);
        reject(err);
      },
    );
  });
}
