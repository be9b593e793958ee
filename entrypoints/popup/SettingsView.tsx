// Popup: the user's settings; every change is saved at once and the stored (validated) value shown back.
import { useEffect, useState } from 'preact/hooks';
import { PERFORMANCE_MODES, type PerformanceMode, type Settings, SETTINGS_LIMITS } from '@/src/core/settings';
import { backgroundMessenger } from '@/src/messaging/background';
import { labelName, type MessageKey, plural, t } from '@/src/i18n';
import { ANALYZE_MODE_NAMES, errorMessage, excludedNameText, formatNumber } from './format';
import { LabelName } from './charts';
import { orderLabels } from '@/src/core/label-set';
import { ModelPicker } from './ModelPicker';
import { AnalyzeChoice, ExcludedNames } from './PeopleSettings';
import { ErrorAlert } from './ui';

type NumberKey = keyof typeof SETTINGS_LIMITS;

const NUMBER_FIELDS: ReadonlyArray<{ key: NumberKey; label: MessageKey; step: number; unit: MessageKey; hint?: MessageKey }> = [
  { key: 'fps', label: 'setting_fps', step: 0.5, unit: 'unit_fps_per_video' },
  { key: 'minFaceSize', label: 'setting_min_face_size', step: 1, unit: 'unit_px' },
  { key: 'smoothingWindow', label: 'setting_smoothing_window', step: 1, unit: 'unit_frames' },
  { key: 'retentionDays', label: 'setting_retention_days', step: 1, unit: 'unit_days', hint: 'hint_retention' },
  { key: 'historyBudgetMB', label: 'setting_history_budget', step: 1, unit: 'unit_mb', hint: 'hint_history_budget' },
];

function numberPatch(key: NumberKey, value: number): Partial<Settings> {
  const patch: Partial<Settings> = {};
  patch[key] = value;
  return patch;
}

const SETTING_NAMES: Record<keyof Settings, MessageKey> = {
  performanceMode: 'setting_performance',
  fps: 'setting_fps',
  minFaceSize: 'setting_min_face_size',
  smoothingWindow: 'setting_smoothing_window',
  chipStyle: 'setting_chip_style',
  showBoxes: 'setting_show_boxes',
  visibleLabels: 'setting_visible_labels',
  retentionDays: 'setting_retention_days_saved',
  historyBudgetMB: 'setting_history_budget_saved',
  analyze: 'setting_analyze',
  excludedNames: 'setting_excluded_names',
  detector: 'setting_detector',
  classifier: 'setting_classifier',
};

/** A stored setting's value as the user reads it ("Just me", "Google Meet: Ada", "on"). */
function valueText(k: keyof Settings, saved: Settings): string {
  if (k === 'analyze') return ANALYZE_MODE_NAMES[saved.analyze];
  if (k === 'excludedNames') return saved.excludedNames.length > 0 ? saved.excludedNames.map(excludedNameText).join(', ') : t('value_no_one');
  if (k === 'visibleLabels') return saved.visibleLabels.length > 0 ? saved.visibleLabels.map(labelName).join(', ') : t('value_none');
  if (k === 'performanceMode') return t(`performance_${saved.performanceMode}`);
  if (k === 'chipStyle') return t(`value_chip_${saved.chipStyle}`);
  const v = saved[k];
  return typeof v === 'boolean' ? (v ? t('value_on') : t('value_off')) : String(v);
}

/** "Saved: Sampling rate = 15", from the values the background stored (clamped, rounded). */
function describe(patch: Partial<Settings>, saved: Settings): string {
  const parts = (Object.keys(patch) as Array<keyof Settings>).map((k) => `${t(SETTING_NAMES[k])} = ${valueText(k, saved)}`);
  return t('settings_saved', parts.join('; '));
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
      {plural('history_usage', usage.calls, formatNumber(mb, mb < 0.1 ? 2 : 1), limitMB)}
      {usage.pending > 0 && <strong> {t('history_pending', usage.pending)}</strong>}
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
      .catch((e: unknown) => setError(t('error_load_settings', errorMessage(e))));
  }, []);

  const save = async (patch: Partial<Settings>) => {
    try {
      const next = await backgroundMessenger.sendMessage('updateSettings', patch);
      setSettings(next);
      setSaved(describe(patch, next));
      setError(null);
    } catch (e) {
      setError(t('error_save', errorMessage(e)));
      // Show the stored values again rather than the unsaved input.
      setSettings((s) => (s ? { ...s } : s));
    }
  };

  if (!settings) return error ? <ErrorAlert error={error} /> : <p class="muted">{t('loading')}</p>;

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
        <legend>{t('setting_performance')}</legend>
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
            <label for={`setting-performance-${mode}`}>{t('performance_choice', t(`performance_${mode}`), PERFORMANCE_MODES[mode].fps)}</label>
          </span>
        ))}
      </fieldset>
      {NUMBER_FIELDS.map(({ key, label, step, unit, hint }) => {
        const { min, max } = SETTINGS_LIMITS[key];
        const id = `setting-${key}`;
        return (
          <div class="field" key={key}>
            <label for={id}>{t(label)}</label>
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
                {hint ? t('field_range_hint', t(unit), min, max, t(hint)) : t('field_range', t(unit), min, max)}
              </span>
            </span>
          </div>
        );
      })}
      <HistoryUsage limitMB={settings.historyBudgetMB} />
      <ModelPicker settings={settings} save={save} />
      <fieldset>
        <legend>{t('chips_legend')}</legend>
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
            <label for={`setting-chipStyle-${style}`}>{style === 'text' ? t('chip_text') : t('chip_emoji')}</label>
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
        <label for="setting-showBoxes">{t('show_boxes')}</label>
      </div>
      <fieldset>
        <legend>{t('labels_legend')}</legend>
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
        <p class="muted">{t('hidden_labels_note')}</p>
      </fieldset>
      <ErrorAlert error={error} />
      <p class="muted saved" role="status" data-testid="settings-saved">
        {saved ?? ''}
      </p>
    </form>
  );
}
