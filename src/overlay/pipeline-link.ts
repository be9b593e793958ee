// Content script: the link to the offscreen ML host. One question when the overlay starts (the
// background creates the host if needed and answers with its state); every change after that is
// pushed to the tab (ContentProtocol.pipelineChanged), never polled.
import { type PipelineState, TAB_CAPTURE_STOPPED } from '../messaging/offscreen';
import type { Run } from './controller-types';

/** A message no ML host answered: none exists, or it is still starting (only the background heard it). */
const NO_HOST = /Receiving end does not exist|Could not establish connection|message port closed|^No response$/;
/** This script's extension was updated, reloaded or removed: its runtime is gone for good. */
const ORPHANED = /Extension context invalidated/;
/** How long an unanswered question may be asked again (the worker or host starting) before the tiles show an error. */
export const HOST_START_MS = 20_000;
const RETRY_MS = 500;

/**
 * What a failed message to the ML host says of the link (extension messaging reports these only as
 * message text): 'orphaned', 'no-host' (none answered: gone or starting), 'no-capture' (the tab's
 * capture stopped: the tab left its call, or a new host holds none), or null (the host failed).
 */
export function linkError(err: unknown): 'orphaned' | 'no-host' | 'no-capture' | null {
  const message = err instanceof Error ? err.message : String(err);
  return ORPHANED.test(message) ? 'orphaned' : NO_HOST.test(message) ? 'no-host' : message.includes(TAB_CAPTURE_STOPPED) ? 'no-capture' : null;
}

export interface PipelineLinkDeps {
  /** The background makes sure the host exists and is listening, and answers with its state. */
  ensureOffscreen(): Promise<PipelineState>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The ML host's state now (or the error that kept it from answering); 'loading' if `signal` aborted first. */
export async function connectToHost(deps: PipelineLinkDeps, signal: AbortSignal): Promise<PipelineState> {
  const deadline = deps.now() + HOST_START_MS;
  while (!signal.aborted) {
    try {
      return await deps.ensureOffscreen();
    } catch (err) {
      // A message nobody answered (a worker or host still starting) is asked again, for a while.
      if (linkError(err) !== 'no-host' || deps.now() > deadline) return { state: 'error', error: err instanceof Error ? err.message : String(err) };
      await deps.sleep(RETRY_MS);
    }
  }
  return { state: 'loading' };
}

/**
 * The ML host's pipeline as one tab knows it: asked once when the overlay starts (boot), changed by
 * the background's pushes, asked again when a result names a pipeline this tab does not know.
 */
export class HostLink {
  state: PipelineState = { state: 'loading' };

  constructor(
    private readonly deps: { win: Window; ensureOffscreen(): Promise<PipelineState>; pipelineStatus(): Promise<PipelineState> },
    private readonly apply: (run: Run, state: PipelineState) => void,
  ) {}

  /** Ask for the ML host (the background creates it if needed) unless a question is under way; what it answers lets the tiles go. */
  boot(run: Run): void {
    this.state = { state: 'loading' };
    const pushes = run.pushes;
    run.booting ??= (async () => {
      const { win } = this.deps;
      const sleep = (ms: number) => new Promise<void>((r) => win.setTimeout(r, ms));
      const state = await connectToHost({ ensureOffscreen: this.deps.ensureOffscreen, now: () => win.performance.now(), sleep }, run.signal);
      run.booting = null;
      // A state pushed meanwhile is newer than this answer.
      if (!run.signal.aborted && run.pushes === pushes) this.apply(run, state);
    })();
  }

  /** Ask the ML host what runs now (one question at a time). */
  refresh(run: Run): void {
    run.refreshing ??= this.deps
      .pipelineStatus()
      .then((state) => {
        if (!run.signal.aborted && state.state !== 'loading') this.state = state;
      })
      .catch((err: unknown) => console.warn('[emotion-overlay] pipeline status', err))
      .finally(() => (run.refreshing = null));
  }
}
