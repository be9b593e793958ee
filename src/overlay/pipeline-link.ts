// Content script: the link to the offscreen ML host. One question when the overlay starts (the
// background creates the host if needed and answers with its state); every change after that is
// pushed to the tab (ContentProtocol.pipelineChanged), never polled.
import { type PipelineState, TAB_CAPTURE_STOPPED } from '../messaging/offscreen';

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
