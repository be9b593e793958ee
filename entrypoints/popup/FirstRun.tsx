// Popup: the notice shown once before anything else (privacy, consent, the EU AI Act).
import { useState } from 'preact/hooks';
import { backgroundMessenger } from '@/src/messaging/background';
import { errorMessage } from './format';
import { ErrorAlert } from './ui';

export function FirstRun({ onAcknowledged, loadError }: { onAcknowledged: () => void; loadError: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ok = async () => {
    setBusy(true);
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
          The EU AI Act (Art. 5(1)(f)) prohibits emotion recognition in workplace and education settings, except for medical or safety reasons.
        </li>
        <li>The overlay stays off until you turn it on, tab by tab.</li>
      </ul>
      <ErrorAlert error={error ?? loadError} />
      <button type="button" class="primary" data-testid="first-run-ok" disabled={busy} onClick={() => void ok()}>
        I understand
      </button>
    </section>
  );
}
