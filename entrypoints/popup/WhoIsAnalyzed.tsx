// Popup: who the overlay analyzes, in the Now view: the mode and its switch, "Don't analyze <name>"
// on each participant of the live call, and the notice to paste into the call's chat.
import { useEffect, useState } from 'preact/hooks';
import type { AnalyzeMode } from '@/src/core/settings';
import type { SiteId } from '@/src/core/types';
import { backgroundMessenger } from '@/src/messaging/background';
import { t } from '@/src/i18n';
import { youtubeAdapter } from '@/src/sites/youtube';
import type { ParticipantActions } from './charts';
import { ANALYZE_MODE_NAMES, errorMessage, siteName } from './format';
import { ErrorAlert } from './ui';

export interface AnalyzeModeState {
  /** null until Settings are read. */
  mode: AnalyzeMode | null;
  busy: boolean;
  error: string | null;
  switchMode: () => Promise<void>;
}

/**
 * Settings.analyze, read when the popup opens and again when `refreshKey` changes (the live call's
 * mode or id: the shortcut may have switched the mode while the popup is open).
 */
export function useAnalyzeMode(refreshKey: string): AnalyzeModeState {
  const [mode, setMode] = useState<AnalyzeMode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    backgroundMessenger
      .sendMessage('getSettings', undefined)
      .then((s) => setMode(s.analyze))
      .catch((e: unknown) => setError(t('error_read_analyze', errorMessage(e))));
  }, [refreshKey]);
  const switchMode = async () => {
    if (mode === null) return;
    setBusy(true);
    try {
      const saved = await backgroundMessenger.sendMessage('updateSettings', { analyze: mode === 'me' ? 'everyone' : 'me' });
      setMode(saved.analyze);
      setError(null);
    } catch (e) {
      setError(t('error_switch_analyze', errorMessage(e)));
    } finally {
      setBusy(false);
    }
  };
  return { mode, busy, error, switchMode };
}

/** Whether the tab is a YouTube page: a video has no self view, so "Just me" has nothing to pick. */
export function isYouTube(site: SiteId | null, url: string): boolean {
  if (site !== null) return site === 'youtube';
  try {
    return youtubeAdapter.matches(new URL(url));
  } catch {
    return false;
  }
}

export function AnalyzeModeRow({ state, youtube }: { state: AnalyzeModeState; youtube: boolean }) {
  const { mode, busy, error, switchMode } = state;
  return (
    <>
      {mode !== null && (
        <div class="row">
          <span>
            {t('analyzing_label')}{' '}
            <strong data-testid="analyze-mode">{ANALYZE_MODE_NAMES[mode]}</strong>
          </span>
          <button type="button" data-testid="analyze-toggle" disabled={busy} title="Alt+Shift+M" onClick={() => void switchMode()}>
            {mode === 'me' ? t('analyze_everyone_button') : ANALYZE_MODE_NAMES.me}
          </button>
        </div>
      )}
      {mode === 'me' && <p class="muted">{t('me_only_note')}</p>}
      {youtube && (
        <p class="muted" data-testid="analyze-youtube">
          {t('youtube_note')}
        </p>
      )}
      <ErrorAlert error={error} />
    </>
  );
}

/** "Copy a notice for the chat": src/core/consent's words in the browser's language, to the clipboard. */
export function CopyNotice() {
  const [result, setResult] = useState<{ copied: true } | { error: string } | null>(null);
  const text = t('chat_notice');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setResult({ copied: true });
    } catch (e) {
      setResult({ error: t('error_copy', errorMessage(e)) });
    }
  };
  return (
    <div class="copy-notice">
      <div class="row">
        <button type="button" data-testid="copy-notice" onClick={() => void copy()}>
          {t('copy_notice')}
        </button>
        {result && 'copied' in result && (
          <span class="muted" role="status" data-testid="copy-notice-status">
            {t('copied')}
          </span>
        )}
      </div>
      {result && 'error' in result && <ErrorAlert error={result.error} testId="copy-notice-status" />}
      <details>
        <summary>{t('show_notice')}</summary>
        <p class="notice-text" data-testid="notice-text">
          {text}
        </p>
      </details>
    </div>
  );
}

/**
 * Each live participant's "Don't analyze <name>" (this call: not sampled again, their row deleted)
 * and, for a named one, "Never analyze <name> on <site>" (Settings.excludedNames). The row goes when
 * the background pushes the call without them.
 */
export function leaveOutActions(tabId: number, site: SiteId, onError: (message: string | null) => void): ParticipantActions {
  return (p, shown) => {
    const leaveOut = async (always: boolean) => {
      try {
        await backgroundMessenger.sendMessage('leaveOut', { tabId, key: p.key, name: p.name, ...(always ? { always: true } : {}) });
        onError(null);
      } catch (e) {
        onError(t('error_leave_out', shown, errorMessage(e)));
      }
    };
    // An unnamed tile is known by its key only: "this person" reads better than "tile:3".
    const who = p.name ?? t('this_person');
    return (
      <div class="leave-out">
        <button type="button" class="link" data-testid="leave-out" onClick={() => void leaveOut(false)}>
          {t('leave_out', who)}
        </button>
        {p.name !== null && (
          <button type="button" class="link" data-testid="leave-out-always" onClick={() => void leaveOut(true)}>
            {t('leave_out_always', p.name, siteName(site))}
          </button>
        )}
      </div>
    );
  };
}
