// Popup: stored calls (newest first), export and delete, and the detail of one call.
import { useEffect, useState } from 'preact/hooks';
import { callsToCsv, callsToJson } from '@/src/core/export';
import { type CallSummary } from '@/src/core/summary';
import { callShares, dominant, durationMs } from '@/src/core/summary-read';
import { backgroundMessenger, type CallHistory } from '@/src/messaging/background';
import { CallDetail } from './CallDetail';
import { LabelName } from './charts';
import { CSV_TYPE, JSON_TYPE, tryDownload } from './download';
import { errorMessage, fileDate, formatDateTime, formatDuration, siteName } from './format';
import { ConfirmButton, ErrorAlert } from './ui';

function HistoryNotes({ history, onDismiss }: { history: CallHistory; onDismiss: () => void }) {
  if (history.notices.length === 0 && history.problems.length === 0) return null;
  return (
    <div class="note" role="status" data-testid="history-notes">
      <ul>
        {history.notices.map((n, i) => (
          <li key={`n${i}`}>{n}</li>
        ))}
        {history.problems.map((p, i) => (
          <li key={`p${i}`}>{p}</li>
        ))}
      </ul>
      <button type="button" class="link" data-testid="dismiss-notices" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

function HistoryItem({ call, onOpen }: { call: CallSummary; onOpen: () => void }) {
  const dom = dominant(callShares(call));
  return (
    <li>
      <button type="button" class="history-item" data-testid="history-item" onClick={onOpen}>
        <span class="history-when">
          {formatDateTime(call.start)}
          {!call.ended && <span class="badge">live</span>}
        </span>
        <span class="history-meta">
          <span>{siteName(call.site)}</span>
          <span>{formatDuration(durationMs(call))}</span>
          <span>{dom ? <LabelName label={dom} /> : 'no faces'}</span>
        </span>
        {call.title && <span class="history-title">{call.title}</span>}
      </button>
    </li>
  );
}

export function HistoryView() {
  const [history, setHistory] = useState<CallHistory | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  const load = async () => {
    setLoading(true);
    try {
      const h = await backgroundMessenger.sendMessage('listCalls', undefined);
      setHistory({ ...h, calls: [...h.calls].sort((a, b) => b.start - a.start) });
      setError(null);
    } catch (e) {
      setError(`Could not load calls: ${errorMessage(e)}`);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const dismiss = async () => {
    try {
      await backgroundMessenger.sendMessage('dismissNotices', undefined);
      setHistory((h) => (h ? { ...h, notices: [], problems: [] } : h));
    } catch (e) {
      setError(`Could not dismiss: ${errorMessage(e)}`);
    }
  };

  const open = openId !== null ? history?.calls.find((c) => c.id === openId) : undefined;
  if (open) {
    return (
      <CallDetail
        call={open}
        onBack={() => setOpenId(null)}
        onDeleted={() => {
          setOpenId(null);
          void load();
        }}
      />
    );
  }

  const calls = history?.calls ?? [];
  const stamp = fileDate(Date.now());
  const removeAll = async () => {
    await backgroundMessenger.sendMessage('deleteCalls', { ids: 'all' });
    await load();
  };
  return (
    <div data-testid="history">
      <ErrorAlert error={error} />
      {history && <HistoryNotes history={history} onDismiss={() => void dismiss()} />}
      {loading && !history && <p class="muted">Loading…</p>}
      {history && calls.length === 0 && (
        <p class="muted" data-testid="history-empty">
          No calls yet. Turn the overlay on during a call and its summary appears here.
        </p>
      )}
      {calls.length > 0 && (
        <ul class="history" data-testid="history-list" aria-label="Calls, newest first">
          {calls.map((c) => (
            <HistoryItem key={c.id} call={c} onOpen={() => setOpenId(c.id)} />
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" data-testid="export-all-csv" disabled={calls.length === 0} onClick={() => setError(tryDownload(`emotion-calls-${stamp}.csv`, () => callsToCsv(calls), CSV_TYPE))}>
          Export all CSV
        </button>
        <button type="button" data-testid="export-all-json" disabled={calls.length === 0} onClick={() => setError(tryDownload(`emotion-calls-${stamp}.json`, () => callsToJson(calls), JSON_TYPE))}>
          Export all JSON
        </button>
        <ConfirmButton
          testId="delete-all"
          prompt={`Delete all ${calls.length} call${calls.length === 1 ? '' : 's'}?`}
          confirmLabel="Delete all"
          onConfirm={removeAll}
          onError={(m) => setError(`Could not delete: ${m}`)}
          disabled={calls.length === 0}
        >
          Delete all
        </ConfirmButton>
      </div>
    </div>
  );
}
