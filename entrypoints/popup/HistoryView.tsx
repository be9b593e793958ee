// Popup: stored calls (newest first, from the history's index), export and delete, and the detail
// of one call (its record, fetched when opened).
import { useEffect, useState } from 'preact/hooks';
import { callsFromJson, callsToCsv, callsToJson } from '@/src/calls/export';
import { type CallSummary } from '@/src/calls/summary';
import type { CallListing } from '@/src/calls/summary-read';
import { backgroundMessenger, type CallList } from '@/src/messaging/background';
import { plural, t } from '@/src/i18n';
import { CallDetail } from './CallDetail';
import { LabelName } from './charts';
import { CSV_TYPE, JSON_TYPE, tryDownload } from './download';
import { ANALYZE_MODE_NAMES, errorMessage, fileDate, formatDateTime, formatDuration, siteName } from './format';
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
        {t('dismiss')}
      </button>
    </div>
  );
}

/**
 * A history row. `analyze: 'me'` marks a self-coaching summary (CallSummary.analyze); the listing
 * shows the tag only where the history's index carries it (summary-read's listingOf).
 */
function HistoryItem({ call, onOpen, onStar }: { call: CallListing; onOpen: () => void; onStar: (starred: boolean) => void }) {
  const dom = call.dominant;
  const starred = call.starred === true;
  return (
    <li class="history-row">
      <button
        type="button"
        class="star"
        data-testid="star-call"
        aria-pressed={starred}
        aria-label={starred ? t('star_aria_starred') : t('star_aria')}
        title={starred ? t('star_title_starred') : t('star_title')}
        onClick={() => onStar(!starred)}
      >
        {starred ? '★' : '☆'}
      </button>
      <button type="button" class="history-item" data-testid="history-item" onClick={onOpen}>
        <span class="history-when">
          {formatDateTime(call.start)}
          {!call.ended && <span class="badge">{t('badge_live')}</span>}
          {call.analyze === 'me' && (
            <span class="tag" data-testid="history-self" title={t('history_self_title')}>
              {ANALYZE_MODE_NAMES.me}
            </span>
          )}
        </span>
        <span class="history-meta">
          <span>{siteName(call.site)}</span>
          <span>{formatDuration(Math.max(0, call.end - call.start))}</span>
          <span>{dom ? <LabelName label={dom} /> : t('no_faces')}</span>
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
      setError(t('error_load_calls', errorMessage(e)));
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
      setError(t('error_dismiss', errorMessage(e)));
    }
  };

  const openCall = async (id: string) => {
    try {
      const call = await backgroundMessenger.sendMessage('getCall', { id });
      if (call) setOpen(call);
      else {
        setError(t('call_gone'));
        void load();
      }
    } catch (e) {
      setError(t('error_open_call', errorMessage(e)));
    }
  };
  const star = async (id: string, starred: boolean) => {
    try {
      if (!(await backgroundMessenger.sendMessage('starCall', { id, starred }))) setError(t('call_gone'));
      await load();
    } catch (e) {
      setError(t('error_star_call', errorMessage(e)));
    }
  };
  const [imported, setImported] = useState<string | null>(null);
  /** Merge an "Export all JSON" file into the history (validated again by the background). */
  const importFile = async (file: File) => {
    try {
      const parsed = callsFromJson(await file.text());
      if ('error' in parsed) throw new Error(parsed.error);
      const o = await backgroundMessenger.sendMessage('importCalls', { calls: parsed.calls });
      const parts = [t('import_added', o.added), o.present > 0 && t('import_present', o.present), o.invalid > 0 && t('import_invalid', o.invalid), o.expired > 0 && t('import_expired', o.expired), o.overBudget > 0 && t('import_over_budget', o.overBudget)];
      // The list first, then the result: whoever reads the result sees the list it describes.
      await load();
      const list = parts.filter(Boolean).join(', ');
      setImported(o.saved ? t('import_result', list) : t('import_result_unsaved', list));
      setError(null);
    } catch (e) {
      setImported(null);
      setError(t('import_failed', errorMessage(e)));
    }
  };
  /** Every call in full (the list holds only what it shows), for the exports. */
  const exportAll = async (name: string, make: (calls: CallSummary[]) => string, type: string) => {
    try {
      const { calls: full } = await backgroundMessenger.sendMessage('listCalls', undefined);
      setError(tryDownload(name, () => make(full), type));
    } catch (e) {
      setError(t('export_failed', errorMessage(e)));
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
      {imported && (
        <p class="note" role="status" data-testid="import-result">
          {imported}
        </p>
      )}
      {history && <HistoryNotes history={history} onDismiss={() => void dismiss()} />}
      {loading && !history && <p class="muted">{t('loading')}</p>}
      {history && calls.length === 0 && (
        <p class="muted" data-testid="history-empty">
          {t('history_empty')}
        </p>
      )}
      {calls.length > 0 && (
        <ul class="history" data-testid="history-list" aria-label={t('history_list_aria')}>
          {calls.map((c) => (
            <HistoryItem key={c.id} call={c} onOpen={() => void openCall(c.id)} onStar={(on) => void star(c.id, on)} />
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" data-testid="export-all-csv" disabled={calls.length === 0} onClick={() => void exportAll(`emotion-calls-${stamp}.csv`, callsToCsv, CSV_TYPE)}>
          {t('export_all_csv')}
        </button>
        <button type="button" data-testid="export-all-json" disabled={calls.length === 0} onClick={() => void exportAll(`emotion-calls-${stamp}.json`, callsToJson, JSON_TYPE)}>
          {t('export_all_json')}
        </button>
        <label class="button" data-testid="import-json-label">
          {t('import_json')}
          <input
            type="file"
            accept="application/json,.json"
            class="visually-hidden"
            data-testid="import-json"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
        <ConfirmButton
          testId="delete-all"
          prompt={plural('delete_all_prompt', calls.length)}
          confirmLabel={t('delete_all')}
          onConfirm={removeAll}
          onError={(m) => setError(t('error_delete', m))}
          disabled={calls.length === 0}
        >
          {t('delete_all')}
        </ConfirmButton>
      </div>
    </div>
  );
}
