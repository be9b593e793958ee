// Popup: the overlay toggle for the target tab, who is analyzed, the ML host's live status and the current call.
import { useEffect, useRef, useState } from 'preact/hooks';
import { backgroundMessenger, LIVE_STATUS_PORT, type LiveStatus } from '@/src/messaging/background';
import { CallSummaryPanel } from './CallDetail';
import { t } from '@/src/i18n';
import { errorMessage, formatNumber, formatPercent, isSupportedUrl, pipelineText, siteHealthText } from './format';
import type { TargetTab } from './target';
import { ErrorAlert } from './ui';
import { MAX_REFRESH_MS } from '@/src/overlay/logic/fair-share';
import { AnalyzeModeRow, CopyNotice, isYouTube, leaveOutActions, useAnalyzeMode } from './WhoIsAnalyzed';

/** A call this large slows its labels down by its size (on a 2-core machine, balanced mode), not because the machine is busy. */
const LARGE_CALL_TILES = 6;

/** After the worker restarts (its ports close), the popup reconnects this soon. */
const RECONNECT_MS = 500;

export function NowView({ target }: { target: TargetTab | null }) {
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const [on, setOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [linkError, setLinkError] = useState<string | null>(null);
  const [toggleError, setToggleError] = useState<string | null>(null);
  const [leaveOutError, setLeaveOutError] = useState<string | null>(null);
  // While a toggle is under way, a pushed status must not overwrite the state it is setting.
  const toggling = useRef(false);
  const tabId = target?.id ?? null;

  // The background pushes this tab's status when it changes (no polling); reconnects after a worker restart.
  useEffect(() => {
    if (tabId === null) return;
    let stopped = false;
    let port: chrome.runtime.Port | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      port = chrome.runtime.connect({ name: LIVE_STATUS_PORT });
      port.onMessage.addListener((s: LiveStatus) => {
        setStatus(s);
        if (!toggling.current) setOn(s.tab.on);
        setLinkError(null);
      });
      port.onDisconnect.addListener(() => {
        if (stopped) return;
        setLinkError(t('error_live_status', chrome.runtime.lastError?.message ?? t('extension_restarted')));
        timer = setTimeout(connect, RECONNECT_MS);
      });
      port.postMessage({ tabId });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      port?.disconnect();
    };
  }, [tabId]);

  const supported = target !== null && isSupportedUrl(target.url);
  const toggle = async () => {
    if (tabId === null) return;
    toggling.current = true;
    setBusy(true);
    try {
      const res = await backgroundMessenger.sendMessage('setOverlay', { tabId, on: !on });
      setOn(res.on);
      setToggleError(null);
    } catch (e) {
      setToggleError(t(on ? 'error_toggle_off' : 'error_toggle_on', errorMessage(e)));
    } finally {
      toggling.current = false;
      setBusy(false);
    }
  };

  const pipeline = status?.pipeline ?? null;
  const ready = pipeline?.state === 'ready' ? pipeline : null;
  const health = siteHealthText(status?.tab.site ?? null);
  const call = status?.call ?? null;
  const who = useAnalyzeMode(`${call?.id ?? ''}:${call?.analyze ?? ''}`);
  const site = call?.site ?? status?.tab.site?.site ?? null;
  return (
    <div class="now" data-testid="now">
      <div class="row">
        <span id="toggle-label">{t('overlay_in_tab')}</span>
        {/* Named by the row's label and its own word (On / Off): what it says is part of its name. */}
        <button type="button" class="toggle" data-testid="toggle" aria-labelledby="toggle-label toggle-state" aria-pressed={on} disabled={!supported || busy} onClick={() => void toggle()}>
          <span id="toggle-state">{on ? t('toggle_on') : t('toggle_off')}</span>
        </button>
      </div>
      {target === null && <p class="muted">{t('no_tab')}</p>}
      {target !== null && !supported && (
        <p class="muted" data-testid="unsupported">
          {t('unsupported')}
        </p>
      )}
      {on && health && (
        <p class="note" role="status" data-testid="site-health">
          {health}
        </p>
      )}
      <ErrorAlert error={toggleError} />
      <ErrorAlert error={linkError} />
      {/* The models failed: said on the first screen (the rest of the engine's facts are under Details). */}
      <ErrorAlert error={pipeline?.state === 'error' ? pipelineText(pipeline) : null} testId="pipeline-error" />
      <AnalyzeModeRow state={who} youtube={target !== null && isYouTube(site, target.url)} />
      <CopyNotice />
      {status && status.tab.slowdown > 1 && (
        <p class="muted" data-testid="slowed-down">
          {status.tab.tiles >= LARGE_CALL_TILES
            ? t('slowed_large_call', status.tab.tiles, formatNumber(status.tab.slowdown, 1), MAX_REFRESH_MS / 1000)
            : t('slowed_busy', formatNumber(status.tab.slowdown, 1), MAX_REFRESH_MS / 1000)}
        </p>
      )}
      <ErrorAlert error={leaveOutError} testId="leave-out-error" />
      {call ? (
        <CallSummaryPanel
          call={call}
          live
          // A self-coaching summary holds only the user: no one to leave out.
          participantActions={tabId !== null && call.analyze !== 'me' ? leaveOutActions(tabId, call.site, setLeaveOutError) : undefined}
        />
      ) : (
        supported && status && <p class="muted" data-testid="no-call">{t('no_call')}</p>
      )}
      <details class="engine" data-testid="details">
        <summary>{t('details')}</summary>
        <dl class="facts" aria-label={t('live_status_aria')}>
          <dt>{t('fact_models')}</dt>
          <dd data-testid="pipeline-state">{pipelineText(pipeline)}</dd>
          <dt>{t('fact_backend')}</dt>
          <dd data-testid="backend">{ready?.backend ?? '—'}</dd>
          {ready?.fallback && (
            <dd class="muted" data-testid="backend-fallback">
              {ready.fallback}
            </dd>
          )}
          <dt>{t('fact_analyzed')}</dt>
          <dd data-testid="fps">{status ? t('fps_value', formatNumber(status.fps, 1)) : '—'}</dd>
          {status?.tab.on && (
            <dd class="muted" data-testid="cpu-share" title={t('cpu_share_title')}>
              {t('cpu_share', formatPercent(status.tab.cpu))}
            </dd>
          )}
          <dt>{t('fact_faces')}</dt>
          <dd data-testid="faces">{status ? status.tab.faces : '—'}</dd>
          <dt>{t('fact_detector')}</dt>
          <dd data-testid="detector">{ready?.detector ?? '—'}</dd>
          <dt>{t('fact_classifier')}</dt>
          <dd data-testid="classifier">{ready?.classifier ?? '—'}</dd>
        </dl>
      </details>
    </div>
  );
}
