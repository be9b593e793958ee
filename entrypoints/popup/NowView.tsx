// Popup: the overlay toggle for the target tab, the ML host's live status and the current call.
import { useEffect, useRef, useState } from 'preact/hooks';
import { backgroundMessenger, type LiveStatus } from '@/src/messaging/background';
import { CallSummaryPanel } from './CallDetail';
import { errorMessage, isSupportedUrl, pipelineText } from './format';
import type { TargetTab } from './target';
import { ErrorAlert } from './ui';

const POLL_MS = 1000;

export function NowView({ target }: { target: TargetTab | null }) {
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const [on, setOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [pollError, setPollError] = useState<string | null>(null);
  const [toggleError, setToggleError] = useState<string | null>(null);
  // Bumped by each toggle: a poll that started before it must not overwrite the new state.
  const toggles = useRef(0);
  const tabId = target?.id ?? null;

  useEffect(() => {
    if (tabId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const seen = toggles.current;
      try {
        // Idempotent: (re)creates the ML host if it is not there, so its status can be read.
        await backgroundMessenger.sendMessage('ensureOffscreen', undefined);
        const s = await backgroundMessenger.sendMessage('getLiveStatus', { tabId });
        if (stopped) return;
        setStatus(s);
        if (seen === toggles.current) setOn(s.tab.on);
        setPollError(null);
      } catch (e) {
        if (!stopped) setPollError(`Live status unavailable: ${errorMessage(e)}`);
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tabId]);

  const supported = target !== null && isSupportedUrl(target.url);
  const toggle = async () => {
    if (tabId === null) return;
    toggles.current++;
    setBusy(true);
    try {
      const res = await backgroundMessenger.sendMessage('setOverlay', { tabId, on: !on });
      setOn(res.on);
      setToggleError(null);
    } catch (e) {
      setToggleError(`Could not turn the overlay ${on ? 'off' : 'on'}: ${errorMessage(e)}`);
    } finally {
      toggles.current++;
      setBusy(false);
    }
  };

  const pipeline = status?.pipeline ?? null;
  const ready = pipeline?.state === 'ready' ? pipeline : null;
  return (
    <div class="now" data-testid="now">
      <div class="row">
        <span id="toggle-label">Overlay in this tab</span>
        <button type="button" class="toggle" data-testid="toggle" aria-labelledby="toggle-label" aria-pressed={on} disabled={!supported || busy} onClick={() => void toggle()}>
          <span aria-hidden="true">{on ? 'On' : 'Off'}</span>
        </button>
      </div>
      {target === null && <p class="muted">No tab to control.</p>}
      {target !== null && !supported && (
        <p class="muted" data-testid="unsupported">
          Not a supported page. Open a call on Google Meet, Zoom (web) or YouTube.
        </p>
      )}
      <ErrorAlert error={toggleError} />
      <ErrorAlert error={pollError} />
      <dl class="facts" aria-label="Live status">
        <dt>Models</dt>
        <dd data-testid="pipeline-state">{pipelineText(pipeline)}</dd>
        <dt>Backend</dt>
        <dd data-testid="backend">{ready?.backend ?? '—'}</dd>
        {ready?.fallback && (
          <dd class="muted" data-testid="backend-fallback">
            {ready.fallback}
          </dd>
        )}
        <dt>Analyzed</dt>
        <dd data-testid="fps">{status ? `${status.fps.toFixed(1)} frames/s` : '—'}</dd>
        {status && status.tab.slowdown > 1 && (
          <dd class="muted" data-testid="slowed-down">
            Sampling {status.tab.slowdown.toFixed(1)}x slower to stay within the performance mode's CPU budget (the machine is busy, or many tiles)
          </dd>
        )}
        <dt>Faces</dt>
        <dd data-testid="faces">{status ? status.tab.faces : '—'}</dd>
        <dt>Detector</dt>
        <dd data-testid="detector">{ready?.detector ?? '—'}</dd>
        <dt>Classifier</dt>
        <dd data-testid="classifier">{ready?.classifier ?? '—'}</dd>
      </dl>
      {status?.call ? (
        <CallSummaryPanel call={status.call} live />
      ) : (
        supported && status && <p class="muted" data-testid="no-call">No call in progress in this tab.</p>
      )}
    </div>
  );
}
