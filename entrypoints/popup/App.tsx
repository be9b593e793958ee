// Popup: toggle for this tab and the ML host's live status.
import { useEffect, useState } from 'preact/hooks';
import { backgroundMessenger } from '@/src/messaging/background';
import { offscreenMessenger, type PipelineState } from '@/src/messaging/offscreen';

async function activeTab(): Promise<{ id: number; url: string } | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id !== undefined ? { id: tab.id, url: tab.url ?? '' } : null;
}

export function App() {
  const [tab, setTab] = useState<{ id: number; url: string } | null>(null);
  const [on, setOn] = useState(false);
  const [pipeline, setPipeline] = useState<PipelineState | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const t = await activeTab();
      setTab(t);
      if (t) setOn((await backgroundMessenger.sendMessage('getOverlay', { tabId: t.id })).on);
    })().catch((e: unknown) => setError(String(e)));
    let stop = false;
    const poll = async () => {
      try {
        await backgroundMessenger.sendMessage('ensureOffscreen', undefined);
        setPipeline(await offscreenMessenger.sendMessage('pipelineStatus', undefined));
      } catch (e) {
        setPipeline({ state: 'error', error: e instanceof Error ? e.message : String(e) });
      }
      if (!stop) setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      stop = true;
    };
  }, []);

  const toggle = async () => {
    if (!tab) return;
    try {
      setOn((await backgroundMessenger.sendMessage('setOverlay', { tabId: tab.id, on: !on })).on);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <main>
      <h1>Emotion Overlay</h1>
      <p class="muted">Runs on this device. No frame or face leaves your computer.</p>
      <div class="row">
        <span>Overlay in this tab</span>
        <button class="toggle" aria-pressed={on} disabled={!tab} onClick={toggle}>
          {on ? 'On' : 'Off'}
        </button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <dl aria-label="Model status">
        <dt>Models</dt>
        <dd data-testid="pipeline-state">
          {pipeline === null ? 'checking…' : pipeline.state === 'ready' ? 'ready' : pipeline.state === 'loading' ? 'loading…' : `error: ${pipeline.error}`}
        </dd>
        {pipeline?.state === 'ready' && (
          <>
            <dt>Backend</dt>
            <dd data-testid="backend">{pipeline.backend}</dd>
            <dt>Detector</dt>
            <dd>{pipeline.detector}</dd>
            <dt>Classifier</dt>
            <dd>{pipeline.classifier}</dd>
          </>
        )}
      </dl>
    </main>
  );
}
