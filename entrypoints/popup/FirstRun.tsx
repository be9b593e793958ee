// Popup: the notice shown once before anything else (privacy, consent, the EU AI Act), and the
// choice of who the overlay analyzes, which sets the default mode.
import { useState } from 'preact/hooks';
import type { AnalyzeMode } from '@/src/core/settings';
import { backgroundMessenger } from '@/src/messaging/background';
import { type MessageKey, t } from '@/src/i18n';
import { errorMessage } from './format';
import { ErrorAlert } from './ui';

const CHOICES: ReadonlyArray<{ mode: AnalyzeMode; label: MessageKey; hint: MessageKey }> = [
  { mode: 'me', label: 'first_run_me_label', hint: 'first_run_me_hint' },
  { mode: 'everyone', label: 'first_run_everyone_label', hint: 'first_run_everyone_hint' },
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
      setError(t('error_save_choice', errorMessage(e)));
      setBusy(false);
      return;
    }
    try {
      await backgroundMessenger.sendMessage('acknowledgeFirstRun', undefined);
      onAcknowledged();
    } catch (e) {
      setError(t('error_save_acknowledged', errorMessage(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">{t('first_run_title')}</h2>
      <ul>
        <li>{t('first_run_local')}</li>
        <li>{t('first_run_consent')}</li>
        <li>{t('first_run_ai_act')}</li>
        <li>{t('first_run_off')}</li>
      </ul>
      <fieldset class="first-run-choice">
        <legend>{t('first_run_question')}</legend>
        {CHOICES.map(({ mode: m, label, hint }) => (
          <div class="choice-block" key={m}>
            <input type="radio" name="first-run-analyze" id={`first-run-${m}`} data-testid={`first-run-${m}`} checked={mode === m} onChange={() => setMode(m)} aria-describedby={`first-run-${m}-hint`} />
            <label for={`first-run-${m}`}>
              {t(label)}
              <span class="muted" id={`first-run-${m}-hint`}>
                {t(hint)}
              </span>
            </label>
          </div>
        ))}
        <p class="muted">{t('first_run_switch')}</p>
      </fieldset>
      <ErrorAlert error={error ?? loadError} />
      <button type="button" class="primary" data-testid="first-run-ok" disabled={busy} onClick={() => void ok()}>
        {t('first_run_ok')}
      </button>
    </section>
  );
}
