// Popup: one call's summary (shared by the live view and history) and the history detail around it.
import { useState } from 'preact/hooks';
import { callsToCsv, callsToJson } from '@/src/calls/export';
import { type CallSummary } from '@/src/calls/summary';
import { durationMs } from '@/src/calls/summary-read';
import { backgroundMessenger } from '@/src/messaging/background';
import { Legend, type ParticipantActions, ParticipantBars, TimelineChart } from './charts';
import { CSV_TYPE, downloadBlob, JSON_TYPE, tryDownload } from './download';
import { errorMessage, fileStamp, formatDateTime, formatDuration, siteName } from './format';
import { renderPng, summaryImage } from './summary-image';
import { ConfirmButton, ErrorAlert } from './ui';

/**
 * Title, facts (with the models that produced it), timeline and participants of a call. `live`: the
 * call is in progress (elapsed time). `participantActions`: what each participant's row offers (the
 * live call's "Don't analyze <name>").
 */
export function CallSummaryPanel({ call, live = false, participantActions }: { call: CallSummary; live?: boolean; participantActions?: ParticipantActions }) {
  const self = call.analyze === 'me';
  // A live call's last frame may be a moment ago; the elapsed time keeps counting meanwhile.
  const duration = live ? Math.max(durationMs(call), Date.now() - call.start) : durationMs(call);
  const [seekError, setSeekError] = useState<string | null>(null);
  // A video's moments and timeline bars play the video from there, in the tab where it runs.
  const onSeek =
    call.clock === 'media'
      ? (ms: number) =>
          void backgroundMessenger.sendMessage('seekMedia', { id: call.id, seconds: ms / 1000 }).then(
            (r) => setSeekError(r.ok ? null : r.reason),
            (e: unknown) => setSeekError(`Could not play the video from there: ${errorMessage(e)}`),
          )
      : undefined;
  return (
    <section class="call" aria-label={live ? 'Current call' : 'Call'} data-testid={live ? 'live-call' : undefined}>
      {self ? (
        // The user's own summary: said first, so it is never read as someone else's.
        <>
          <h2 class="call-title" data-testid="self-coaching-title">
            Your self-coaching summary
            {!call.ended && <span class="badge">live</span>}
          </h2>
          <p class="call-subtitle muted">
            {call.title || siteName(call.site)}: only your own camera was analyzed.
          </p>
        </>
      ) : (
        <h2 class="call-title">
          {call.title || siteName(call.site)}
          {!call.ended && <span class="badge">live</span>}
        </h2>
      )}
      <dl class="facts">
        <dt>Site</dt>
        <dd>{siteName(call.site)}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(call.start)}</dd>
        {call.clock === 'media' && call.mediaDurationMs !== undefined && (
          <>
            <dt>Video</dt>
            <dd data-testid="video-length">{formatDuration(call.mediaDurationMs)} long; summarized on its own clock</dd>
          </>
        )}
        <dt>{live ? 'Elapsed' : 'Duration'}</dt>
        <dd data-testid="call-duration">{formatDuration(duration)}</dd>
        <dt>Frames</dt>
        <dd data-testid="call-frames">{call.frames}</dd>
        <dt>Backend</dt>
        <dd>{call.backend ?? '—'}</dd>
        <dt>Detector</dt>
        <dd data-testid="call-detector">{call.models?.detector ?? '—'}</dd>
        <dt>Classifier</dt>
        <dd data-testid="call-classifier">{call.models?.classifier ?? '—'}</dd>
      </dl>
      {call.endReason === 'models-changed' && (
        <p class="muted" data-testid="call-models-changed">
          The models were changed in Settings here: the call goes on in the next entry, with the new models' labels.
        </p>
      )}
      {call.endReason === 'mode-changed' && (
        <p class="muted" data-testid="call-mode-changed">
          Who is analyzed was switched here ({self ? 'from just you to everyone in the call' : 'from everyone in the call to just you'}): the call goes on in the next entry.
        </p>
      )}
      {call.endReason === 'media-changed' && (
        <p class="muted" data-testid="call-media-changed">
          Another video took this one's place here (an ad ended, or the next video began): it is summarized in the next entry, on its own timeline.
        </p>
      )}
      <Legend labels={call.labels} />
      <h3>Timeline</h3>
      <TimelineChart call={call} onSeek={onSeek} />
      {call.clock === 'media' && call.rewatched && (
        <p class="muted" data-testid="rewatched">
          Parts of the video were watched more than once: every viewing is counted at its place on the video's timeline.
        </p>
      )}
      <ErrorAlert error={seekError} />
      <h3>{self ? 'You' : 'Participants'}</h3>
      <ParticipantBars call={call} onSeek={onSeek} actions={participantActions} />
    </section>
  );
}

export function CallDetail({ call, onBack, onDeleted }: { call: CallSummary; onBack: () => void; onDeleted: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const name = `emotion-call-${call.site}-${fileStamp(call.start)}`;
  const remove = async () => {
    await backgroundMessenger.sendMessage('deleteCalls', { ids: [call.id] });
    onDeleted();
  };
  const saveImage = async () => {
    try {
      downloadBlob(`${name}.png`, await renderPng(summaryImage(call)));
      setError(null);
    } catch (e) {
      setError(`Could not save the image: ${errorMessage(e)}`);
    }
  };
  return (
    <div data-testid="call-detail">
      <button type="button" class="link" data-testid="back" onClick={onBack}>
        ← All calls
      </button>
      <CallSummaryPanel call={call} />
      <div class="actions">
        <button type="button" data-testid="export-csv" onClick={() => setError(tryDownload(`${name}.csv`, () => callsToCsv([call]), CSV_TYPE))}>
          Export CSV
        </button>
        <button type="button" data-testid="export-json" onClick={() => setError(tryDownload(`${name}.json`, () => callsToJson([call]), JSON_TYPE))}>
          Export JSON
        </button>
        <button type="button" data-testid="save-image" onClick={() => void saveImage()}>
          Save image
        </button>
        <ConfirmButton testId="delete-call" prompt="Delete this call?" confirmLabel="Delete" onConfirm={remove} onError={(m) => setError(`Could not delete: ${m}`)}>
          Delete
        </ConfirmButton>
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}
