// Popup: stored calls (newest first, from the history's index), export and delete, and the detail
// of one call (its record, fetched when opened).
import { useEffect, useState } from 'preact/hooks';
import { callsToCsv, callsToJson } from '@/src/core/export';
import { type CallSummary } from '@/src/core/summary';
import type { CallListing } from '@/src/core/summary-read';
import { backgroundMessenger, type CallList } from '@/src/messaging/background';
import { CallDetail } from './CallDetail';
import { LabelName } from './charts';
import { CSV_TYPE, JSON_TYPE, tryDownload } from './download';
import { errorMessage, fileDate, formatDateTime, formatDuration, siteName } from './format';
import { ConfirmButton, ErrorAlert } from './ui';

function HistoryNotes({ history, onDismiss }: { history: CallList; onDismiss: () => void }) {
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

function HistoryItem({ call, onOpen }: { call: CallListing; onOpen: () => void }) {
  const dom = call.dominant;
  return (
    <li>
      <button type="button" class="history-item" data-testid="history-item" onClick={onOpen}>
        <span class="history-when">
          {formatDateTime(call.start)}
          {!call.ended && <span class="badge">live</span>}
        </span>
        <span class="history-meta">
          <span>{siteName(call.site)}</span>
          <span>{formatDuration(Math.max(0, call.end - call.start))}</span>
          <span>{dom ? <LabelName label={dom} /> : 'no faces'}</span>
        </span>
        {call.title && <span class="history-title">{call.title}</span>}
      </button>
    </li>
  );
}

export function HistoryView() {
  const [history, setHistory] = useState<CallList | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<CallSummary | null>(null);

  const load = async () => {
    setLoading(true);
    try {
      const h = await backgroundMessenger.sendMessage('listCallIndex', undefined);
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

  const openCall = async (id: string) => {
    try {
      const call = await backgroundMessenger.sendMessage('getCall', { id });
      if (call) setOpen(call);
      else {
        setError('That call is no longer stored.');
        void load();
      }
    } catch (e) {
      setError(`Could not open the call: ${errorMessage(e)}`);
    }
  };
  /** Every call in full (the list holds only what it shows), for the exports. */
  const exportAll = async (name: string, make: (calls: CallSummary[]) => string, type: string) => {
    try {
      const { calls: full } = await backgroundMessenger.sendMessage('listCalls', undefined);
      setError(tryDownload(name, () => make(full), type));
    } catch (e) {
      setError(`Export failed: ${errorMessage(e)}`);
    }
  };
  if (open) {
    return (
      <CallDetail
        call={open}
        onBack={() => setOpen(null)}
        onDeleted={() => {
          setOpen(null);
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
            <HistoryItem key={c.id} call={c} onOpen={() => void openCall(c.id)} />
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" data-testid="export-all-csv" disabled={calls.length === 0} onClick={() => void exportAll(`emotion-calls-${stamp}.csv`, callsToCsv, CSV_TYPE)}>
          Export all CSV
        </button>
        <button type="button" data-testid="export-all-json" disabled={calls.length === 0} onClick={() => void exportAll(`emotion-calls-${stamp}.json`, callsToJson, JSON_TYPE)}>
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
