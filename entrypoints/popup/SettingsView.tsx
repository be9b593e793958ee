// Popup: the user's settings; every change is saved at once and the stored (validated) value shown back.
import { useEffect, useState } from 'preact/hooks';
import { PERFORMANCE_MODES, type PerformanceMode, type Settings, SETTINGS_LIMITS } from '@/src/core/settings';
import { backgroundMessenger } from '@/src/messaging/background';
import { ANALYZE_MODE_NAMES, errorMessage, excludedNameText } from './format';
import { LabelName } from './charts';
import { orderLabels } from '@/src/core/label-set';
import { ModelPicker } from './ModelPicker';
import { AnalyzeChoice, ExcludedNames } from './PeopleSettings';
import { ErrorAlert } from './ui';

type NumberKey = keyof typeof SETTINGS_LIMITS;

const NUMBER_FIELDS: ReadonlyArray<{ key: NumberKey; label: string; step: number; unit: string; hint?: string }> = [
  { key: 'fps', label: 'Sampling rate', step: 0.5, unit: 'frames/s per video' },
  { key: 'minFaceSize', label: 'Minimum face size', step: 1, unit: 'px' },
  { key: 'smoothingWindow', label: 'Smoothing window', step: 1, unit: 'frames' },
  { key: 'retentionDays', label: 'Keep history for', step: 1, unit: 'days', hint: '0 keeps calls forever; starred calls are always kept' },
  { key: 'historyBudgetMB', label: 'History size limit', step: 1, unit: 'MB', hint: 'past it the oldest unstarred calls are deleted' },
];

function numberPatch(key: NumberKey, value: number): Partial<Settings> {
  const patch: Partial<Settings> = {};
  patch[key] = value;
  return patch;
}

const SETTING_NAMES: Record<keyof Settings, string> = {
  performanceMode: 'Performance',
  fps: 'Sampling rate',
  minFaceSize: 'Minimum face size',
  smoothingWindow: 'Smoothing window',
  chipStyle: 'Chips',
  showBoxes: 'Face boxes',
  visibleLabels: 'Labels shown',
  retentionDays: 'Keep history (days)',
  historyBudgetMB: 'History size limit (MB)',
  analyze: 'Who is analyzed',
  excludedNames: 'Never analyzed',
  detector: 'Face detector',
  classifier: 'Emotion classifier',
};

/** A stored setting's value as the user reads it ("Just me", "Google Meet: Ada", "on"). */
function valueText(k: keyof Settings, saved: Settings): string {
  if (k === 'analyze') return ANALYZE_MODE_NAMES[saved.analyze];
  if (k === 'excludedNames') return saved.excludedNames.length > 0 ? saved.excludedNames.map(excludedNameText).join(', ') : 'no one';
  const v = saved[k];
  return Array.isArray(v) ? (v.length > 0 ? v.join(', ') : 'none') : typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v);
}

/** "Saved: Sampling rate = 15", from the values the background stored (clamped, rounded). */
function describe(patch: Partial<Settings>, saved: Settings): string {
  const parts = (Object.keys(patch) as Array<keyof Settings>).map((k) => `${SETTING_NAMES[k]} = ${valueText(k, saved)}`);
  return `Saved: ${parts.join('; ')}`;
}

/** What the history takes beside its limit, and the calls waiting for room (the disk was full). */
function HistoryUsage({ limitMB }: { limitMB: number }) {
  const [usage, setUsage] = useState<{ bytes: number; calls: number; pending: number } | null>(null);
  useEffect(() => {
    backgroundMessenger
      .sendMessage('historyUsage', undefined)
      .then(setUsage)
      .catch(() => setUsage(null));
  }, [limitMB]);
  if (!usage) return null;
  const mb = usage.bytes / (1024 * 1024);
  return (
    <p class="muted" data-testid="history-usage">
      The history holds {usage.calls} call{usage.calls === 1 ? '' : 's'} in {mb < 0.1 ? mb.toFixed(2) : mb.toFixed(1)} MB of its {limitMB} MB limit.
      {usage.pending > 0 && <strong> {usage.pending} call(s) wait for disk space and are not saved yet.</strong>}
    </p>
  );
}

export function SettingsView() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    backgroundMessenger
      .sendMessage('getSettings', undefined)
      .then(setSettings)
      .catch((e: unknown) => setError(`Could not load settings: ${errorMessage(e)}`));
  }, []);

  const save = async (patch: Partial<Settings>) => {
    try {
      const next = await backgroundMessenger.sendMessage('updateSettings', patch);
      setSettings(next);
      setSaved(describe(patch, next));
      setError(null);
    } catch (e) {
      setError(`Could not save: ${errorMessage(e)}`);
      // Show the stored values again rather than the unsaved input.
      setSettings((s) => (s ? { ...s } : s));
    }
  };

  if (!settings) return error ? <ErrorAlert error={error} /> : <p class="muted">Loading…</p>;

  const labels = orderLabels(settings.visibleLabels);
  const setLabel = (label: string, on: boolean) => {
    const visible = new Set(settings.visibleLabels);
    if (on) visible.add(label);
    else visible.delete(label);
    void save({ visibleLabels: labels.filter((l) => visible.has(l)) });
  };

  return (
    <form class="settings" data-testid="settings" onSubmit={(e) => e.preventDefault()}>
      <AnalyzeChoice settings={settings} save={save} />
      <ExcludedNames settings={settings} save={save} />
      <fieldset>
        <legend>Performance</legend>
        {(Object.keys(PERFORMANCE_MODES) as PerformanceMode[]).map((mode) => (
          <span class="choice" key={mode}>
            <input
              type="radio"
              name="performanceMode"
              id={`setting-performance-${mode}`}
              data-testid={`setting-performance-${mode}`}
              checked={settings.performanceMode === mode}
              onChange={() => void save({ performanceMode: mode, fps: PERFORMANCE_MODES[mode].fps })}
            />
            <label for={`setting-performance-${mode}`}>
              {PERFORMANCE_MODES[mode].name} ({PERFORMANCE_MODES[mode].fps} frames/s per video)
            </label>
          </span>
        ))}
      </fieldset>
      {NUMBER_FIELDS.map(({ key, label, step, unit, hint }) => {
        const { min, max } = SETTINGS_LIMITS[key];
        const id = `setting-${key}`;
        return (
          <div class="field" key={key}>
            <label for={id}>{label}</label>
            <span class="field-input">
              <input
                id={id}
                data-testid={id}
                type="number"
                min={min}
                max={max}
                step={step}
                value={settings[key]}
                aria-describedby={`${id}-hint`}
                onChange={(e) => {
                  const v = e.currentTarget.valueAsNumber;
                  if (Number.isFinite(v)) void save(numberPatch(key, v));
                  else setSettings({ ...settings });
                }}
              />
              <span class="muted" id={`${id}-hint`}>
                {unit} ({min}–{max}){hint ? `; ${hint}` : ''}
              </span>
            </span>
          </div>
        );
      })}
      <HistoryUsage limitMB={settings.historyBudgetMB} />
      <ModelPicker settings={settings} save={save} />
      <fieldset>
        <legend>Chips show</legend>
        {(['text', 'emoji'] as const).map((style) => (
          <span class="choice" key={style}>
            <input
              type="radio"
              name="chipStyle"
              id={`setting-chipStyle-${style}`}
              data-testid={`setting-chipStyle-${style}`}
              checked={settings.chipStyle === style}
              onChange={() => void save({ chipStyle: style })}
            />
            <label for={`setting-chipStyle-${style}`}>{style === 'text' ? 'Text (happy 80%)' : 'Emoji (😄 80%)'}</label>
          </span>
        ))}
      </fieldset>
      <div class="choice">
        <input
          type="checkbox"
          id="setting-showBoxes"
          data-testid="setting-showBoxes"
          checked={settings.showBoxes}
          onChange={(e) => void save({ showBoxes: e.currentTarget.checked })}
        />
        <label for="setting-showBoxes">Show face boxes</label>
      </div>
      <fieldset>
        <legend>Labels shown on chips</legend>
        {labels.map((l) => (
          <span class="choice" key={l}>
            <input
              type="checkbox"
              id={`setting-label-${l}`}
              data-testid={`setting-label-${l}`}
              checked={settings.visibleLabels.includes(l)}
              onChange={(e) => setLabel(l, e.currentTarget.checked)}
            />
            <label for={`setting-label-${l}`}>
              <LabelName label={l} />
            </label>
          </span>
        ))}
        <p class="muted">Hidden labels are still counted in call summaries.</p>
      </fieldset>
      <ErrorAlert error={error} />
      <p class="muted saved" role="status" data-testid="settings-saved">
        {saved ?? ''}
      </p>
    </form>
  );
}
