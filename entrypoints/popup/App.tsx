// Popup: the shell: first-run notice, then the Now / History / Settings tabs.
import { useEffect, useRef, useState } from 'preact/hooks';
import { backgroundMessenger } from '@/src/messaging/background';
import { type MessageKey, t } from '@/src/i18n';
import { FirstRun } from './FirstRun';
import { errorMessage } from './format';
import { HistoryView } from './HistoryView';
import { NowView } from './NowView';
import { SettingsView } from './SettingsView';
import { resolveTargetTab, type TargetTab } from './target';
import { ErrorAlert } from './ui';

type View = 'now' | 'history' | 'settings';
const VIEWS: ReadonlyArray<{ id: View; label: MessageKey }> = [
  { id: 'now', label: 'tab_now' },
  { id: 'history', label: 'tab_history' },
  { id: 'settings', label: 'tab_settings' },
];

function Tabs({ view, onSelect }: { view: View; onSelect: (v: View) => void }) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (e: KeyboardEvent) => {
    const i = VIEWS.findIndex((v) => v.id === view);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? VIEWS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const j = (next + VIEWS.length) % VIEWS.length;
    const target = VIEWS[j];
    if (!target) return;
    onSelect(target.id);
    refs.current[j]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={t('tabs_aria')} onKeyDown={onKeyDown}>
      {VIEWS.map((v, i) => (
        <button
          type="button"
          key={v.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="tab"
          id={`tab-${v.id}`}
          data-testid={`tab-${v.id}`}
          aria-selected={view === v.id}
          aria-controls={`panel-${v.id}`}
          tabIndex={view === v.id ? 0 : -1}
          onClick={() => onSelect(v.id)}
        >
          {t(v.label)}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const [firstRun, setFirstRun] = useState<'checking' | 'show' | 'done'>('checking');
  const [firstRunError, setFirstRunError] = useState<string | null>(null);
  const [view, setView] = useState<View>('now');
  /** undefined while the tab is being looked up. */
  const [target, setTarget] = useState<TargetTab | null | undefined>(undefined);
  const [targetError, setTargetError] = useState<string | null>(null);

  useEffect(() => {
    backgroundMessenger
      .sendMessage('getFirstRun', undefined)
      .then((r) => setFirstRun(r.acknowledged ? 'done' : 'show'))
      .catch((e: unknown) => {
        // Better to show the notice once too often than never.
        setFirstRunError(t('error_first_run_check', errorMessage(e)));
        setFirstRun('show');
      });
    resolveTargetTab()
      .then(setTarget)
      .catch((e: unknown) => {
        setTargetError(t('error_find_tab', errorMessage(e)));
        setTarget(null);
      });
  }, []);

  return (
    <main>
      <h1>{t('ext_name')}</h1>
      {firstRun === 'checking' && <p class="muted">{t('loading')}</p>}
      {firstRun === 'show' && <FirstRun loadError={firstRunError} onAcknowledged={() => setFirstRun('done')} />}
      {firstRun === 'done' && (
        <>
          <Tabs view={view} onSelect={setView} />
          <div class="panel" role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`} tabIndex={0}>
            {view === 'now' && (
              <>
                <ErrorAlert error={targetError} />
                {target === undefined ? <p class="muted">{t('loading')}</p> : <NowView target={target} />}
              </>
            )}
            {view === 'history' && <HistoryView />}
            {view === 'settings' && <SettingsView />}
          </div>
        </>
      )}
      <p class="muted footer">{t('footer_privacy')}</p>
    </main>
  );
}
