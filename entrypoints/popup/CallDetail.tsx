// Popup: one call's summary (shared by the live view and history) and the history detail around it.
import { useState } from 'preact/hooks';
import { callsToCsv, callsToJson } from '@/src/calls/export';
import { type CallSummary } from '@/src/calls/summary';
import { durationMs, headlineOf, recentMood } from '@/src/calls/summary-read';
import { backgroundMessenger } from '@/src/messaging/background';
import { labelName, plural, t } from '@/src/i18n';
import { Legend, type ParticipantActions, ParticipantBars, TimelineChart } from './charts';
import { CSV_TYPE, downloadBlob, JSON_TYPE, tryDownload } from './download';
import { callUncertainText, errorMessage, fileStamp, formatDateTime, formatDuration, formatSpan, siteName } from './format';
import { renderPng, summaryImage } from './summary-image';
import { ConfirmButton, ErrorAlert } from './ui';

/** The call in one line: "24 min · 4 people · mostly neutral, Ada mostly happy". */
export function callHeadline(call: CallSummary, durationMs: number): string {
  const h = headlineOf(call);
  const parts = [formatSpan(durationMs), plural('headline_people', h.people)];
  if (h.mostly) parts.push(t('headline_mostly', labelName(h.mostly)) + (h.standout ? `, ${t('headline_person_mostly', h.standout.name, labelName(h.standout.label))}` : ''));
  return parts.join(' · ');
}

/** A live call's last minute: its mood, and who changed most lately. */
function RecentMood({ call }: { call: CallSummary }) {
  const { mostly, changedMost } = recentMood(call);
  if (!mostly) return null;
  return (
    <p class="recent" data-testid="call-recent">
      {t('live_last_minute', labelName(mostly))}
      {changedMost && ` · ${t('live_changed_most', changedMost)}`}
    </p>
  );
}

/**
 * Title, a headline, timeline and participants of a call, then its facts (with the models that
 * produced it) one click away. `live`: the
 * call is in progress (elapsed time). `participantActions`: what each participant's row offers (the
 * live call's "Don't analyze <name>").
 */
export function CallSummaryPanel({ call, live = false, participantActions }: { call: CallSummary; live?: boolean; participantActions?: ParticipantActions }) {
  const self = call.analyze === 'me';
  // A live call's last frame may be a moment ago; the elapsed time keeps counting meanwhile.
  const duration = live ? Math.max(durationMs(call), Date.now() - call.start) : durationMs(call);
  const [seekError, setSeekError] = useState<string | null>(null);
  const uncertain = callUncertainText(call);
  // A video's moments and timeline bars play the video from there, in the tab where it runs.
  const onSeek =
    call.clock === 'media'
      ? (ms: number) =>
          void backgroundMessenger.sendMessage('seekMedia', { id: call.id, seconds: ms / 1000 }).then(
            (r) => setSeekError(r.ok ? null : r.reason),
            (e: unknown) => setSeekError(t('error_seek', errorMessage(e))),
          )
      : undefined;
  return (
    <section class="call" aria-label={live ? t('call_aria_current') : t('call_aria')} data-testid={live ? 'live-call' : undefined}>
      {self ? (
        // The user's own summary: said first, so it is never read as someone else's.
        <>
          <h2 class="call-title" data-testid="self-coaching-title">
            {t('self_coaching_title')}
            {!call.ended && <span class="badge">{t('badge_live')}</span>}
          </h2>
          <p class="call-subtitle muted">{t('self_coaching_subtitle', call.title || siteName(call.site))}</p>
        </>
      ) : (
        <h2 class="call-title">
          {call.title || siteName(call.site)}
          {!call.ended && <span class="badge">{t('badge_live')}</span>}
        </h2>
      )}
      <p class="headline" data-testid="call-headline">
        {callHeadline(call, duration)}
      </p>
      {live && !call.ended && <RecentMood call={call} />}
      {call.endReason === 'models-changed' && (
        <p class="muted" data-testid="call-models-changed">
          {t('call_models_changed')}
        </p>
      )}
      {call.endReason === 'mode-changed' && (
        <p class="muted" data-testid="call-mode-changed">
          {self ? t('call_mode_changed_from_me') : t('call_mode_changed_from_everyone')}
        </p>
      )}
      {call.endReason === 'media-changed' && (
        <p class="muted" data-testid="call-media-changed">
          {t('call_media_changed')}
        </p>
      )}
      <Legend labels={call.labels} />
      <h3>{t('heading_timeline')}</h3>
      <TimelineChart call={call} onSeek={onSeek} />
      {call.clock === 'media' && call.rewatched && (
        <p class="muted" data-testid="rewatched">
          {t('rewatched')}
        </p>
      )}
      <ErrorAlert error={seekError} />
      <h3>{self ? t('participant_you') : t('heading_participants')}</h3>
      <ParticipantBars call={call} onSeek={onSeek} actions={participantActions} live={live && !call.ended} />
      {uncertain && (
        <p class="muted" data-testid="call-uncertain">
          {uncertain}
        </p>
      )}
      <details class="engine" data-testid="call-details">
        <summary>{t('call_details')}</summary>
        <dl class="facts">
          <dt>{t('fact_site')}</dt>
          <dd>{siteName(call.site)}</dd>
          <dt>{t('fact_started')}</dt>
          <dd>{formatDateTime(call.start)}</dd>
          {call.clock === 'media' && call.mediaDurationMs !== undefined && (
            <>
              <dt>{t('fact_video')}</dt>
              <dd data-testid="video-length">{t('video_length', formatDuration(call.mediaDurationMs))}</dd>
            </>
          )}
          <dt>{live ? t('fact_elapsed') : t('fact_duration')}</dt>
          <dd data-testid="call-duration">{formatDuration(duration)}</dd>
          <dt>{t('fact_frames')}</dt>
          <dd data-testid="call-frames">{call.frames}</dd>
          <dt>{t('fact_backend')}</dt>
          <dd>{call.backend ?? '—'}</dd>
          <dt>{t('fact_detector')}</dt>
          <dd data-testid="call-detector">{call.models?.detector ?? '—'}</dd>
          <dt>{t('fact_classifier')}</dt>
          <dd data-testid="call-classifier">{call.models?.classifier ?? '—'}</dd>
        </dl>
      </details>
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
      setError(t('error_save_image', errorMessage(e)));
    }
  };
  return (
    <div data-testid="call-detail">
      <button type="button" class="link" data-testid="back" onClick={onBack}>
        {t('back_all_calls')}
      </button>
      <CallSummaryPanel call={call} />
      <div class="actions">
        <button type="button" data-testid="export-csv" onClick={() => setError(tryDownload(`${name}.csv`, () => callsToCsv([call]), CSV_TYPE))}>
          {t('export_csv')}
        </button>
        <button type="button" data-testid="export-json" onClick={() => setError(tryDownload(`${name}.json`, () => callsToJson([call]), JSON_TYPE))}>
          {t('export_json')}
        </button>
        <button type="button" data-testid="save-image" onClick={() => void saveImage()}>
          {t('save_image')}
        </button>
        <ConfirmButton testId="delete-call" prompt={t('delete_call_prompt')} confirmLabel={t('delete')} onConfirm={remove} onError={(m) => setError(t('error_delete', m))}>
          {t('delete')}
        </ConfirmButton>
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}
