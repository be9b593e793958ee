// Popup: small shared widgets (error alert, a two-step confirm button).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '@/src/i18n';
import { errorMessage } from './format';

export function ErrorAlert({ error, testId }: { error: string | null; testId?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}

interface ConfirmButtonProps {
  /** The first button's text, e.g. "Delete all". */
  children: ComponentChildren;
  /** The question shown in place of the button, e.g. "Delete all 12 calls?". */
  prompt: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onError: (message: string) => void;
  testId: string;
  disabled?: boolean;
}

/** A destructive action asked twice inside the popup (window.confirm would close it). */
export function ConfirmButton({ children, prompt, confirmLabel, onConfirm, onError, testId, disabled }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" class="danger" data-testid={testId} disabled={disabled} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span class="confirm" role="group" aria-label={prompt}>
      <span>{prompt}</span>
      <button type="button" class="danger solid" ref={confirmRef} data-testid={`${testId}-confirm`} disabled={busy} onClick={() => void confirm()}>
        {confirmLabel}
      </button>
      <button type="button" data-testid={`${testId}-cancel`} disabled={busy} onClick={() => setAsking(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}
