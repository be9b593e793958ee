// Popup: the notice shown once before anything else (privacy, consent, the EU AI Act), and the
// choice of who the overlay analyzes, which sets the default mode.
import { useState } from 'preact/hooks';
import type { AnalyzeMode } from '@/src/core/settings';
import { backgroundMessenger } from '@/src/messaging/background';
import { errorMessage } from './format';
import { ErrorAlert } from './ui';

const CHOICES: ReadonlyArray<{ mode: AnalyzeMode; label: string; hint: string }> = [
  { mode: 'me', label: 'Just me (self-coaching: only my own camera)', hint: "No one else's video is read. For practice, and for calls at work or in class." },
  { mode: 'everyone', label: 'Everyone in the call, with their consent', hint: 'Tell them first (the popup copies a notice for the chat); anyone can be left out.' },
];

export function FirstRun({ onAcknowledged, loadError }: { onAcknowledged: () => void; loadError: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The choice that reads no one else is the default: the user opts in to analyzing others.
  const [mode, setMode] = useState<AnalyzeMode>('me');
  const ok = async () => {
    setBusy(true);
    try {
      await backgroundMessenger.sendMessage('updateSettings', { analyze: mode });
    } catch (e) {
      setError(`Could not save your choice: ${errorMessage(e)}`);
      setBusy(false);
      return;
    }
    try {
      await backgroundMessenger.sendMessage('acknowledgeFirstRun', undefined);
      onAcknowledged();
    } catch (e) {
      setError(`Could not save that you have read this: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">Before you start</h2>
      <ul>
        <li>Everything runs on this device. No video, image or result is sent anywhere.</li>
        <li>Reading other people's emotions may need their consent. Tell the people in your call.</li>
        <li>
          The EU AI Act (Art. 5(1)(f)) prohibits inferring people's emotions in workplace and education settings, except for medical or safety reasons. Do not
          analyze others there.
        </li>
        <li>The overlay stays off until you turn it on, tab by tab.</li>
      </ul>
      <fieldset class="first-run-choice">
        <legend>How will you use it?</legend>
        {CHOICES.map(({ mode: m, label, hint }) => (
          <div class="choice-block" key={m}>
            <input type="radio" name="first-run-analyze" id={`first-run-${m}`} data-testid={`first-run-${m}`} checked={mode === m} onChange={() => setMode(m)} aria-describedby={`first-run-${m}-hint`} />
            <label for={`first-run-${m}`}>
              {label}
              <span class="muted" id={`first-run-${m}-hint`}>
                {hint}
              </span>
            </label>
          </div>
        ))}
        <p class="muted">You can switch at any time in the popup, in Settings, or with Alt+Shift+M.</p>
      </fieldset>
      <ErrorAlert error={error ?? loadError} />
      <button type="button" class="primary" data-testid="first-run-ok" disabled={busy} onClick={() => void ok()}>
        I understand
      </button>
    </section>
  );
}
