// Content script: the link to the offscreen ML host. Asks until it is ready (or failed), creating
// it when it is missing and waiting while a just-created host has no listener yet.
import type { PipelineState } from '../messaging/offscreen';

/** A message no ML host answered: none exists, or it is still starting (only the background heard it). */
const NO_HOST = /Receiving end does not exist|Could not establish connection|message port closed|^No response$/;
/** How long a starting ML host may stay unreachable before the tiles show an error. */
export const HOST_START_MS = 20_000;
const POLL_MS = 250;

/** This script's extension was updated, reloaded or removed: its runtime is gone for good. */
const ORPHANED = /Extension context invalidated/;

function isNoHost(err: unknown): boolean {
  return NO_HOST.test(err instanceof Error ? err.message : String(err));
}

/**
 * What a failed message to the ML host says of the link (extension messaging reports these only as
 * message text): 'orphaned', 'no-host' (none answered: gone or starting), or null (the host failed).
 */
export function linkError(err: unknown): 'orphaned' | 'no-host' | null {
  const message = err instanceof Error ? err.message : String(err);
  return ORPHANED.test(message) ? 'orphaned' : NO_HOST.test(message) ? 'no-host' : null;
}

export interface PipelineLinkDeps {
  ensureOffscreen(): Promise<void>;
  pipelineStatus(): Promise<PipelineState>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The ML host's state once it is no longer loading (ready or error), or 'loading' if `signal` aborted first. */
export async function waitForPipeline(deps: PipelineLinkDeps, signal: AbortSignal): Promise<PipelineState> {
  const deadline = deps.now() + HOST_START_MS;
  let state: PipelineState = { state: 'loading' };
  try {
    await deps.ensureOffscreen();
    while (!signal.aborted) {
      try {
        state = await deps.pipelineStatus();
      } catch (err) {
        // A host document that is still starting (just created, e.g. after an extension reload)
        // has no listener yet: only the background hears the message and leaves it unanswered.
        if (!isNoHost(err) || deps.now() > deadline) throw err;
        await deps.ensureOffscreen();
        state = { state: 'loading' };
      }
      if (state.state !== 'loading') break;
      await deps.sleep(POLL_MS);
    }
  } catch (err) {
    state = { state: 'error', error: err instanceof Error ? err.message : String(err) };
  }
  return state;
}
