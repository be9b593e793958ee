// Popup: the Settings about people: who is analyzed (Settings.analyze) and the people never analyzed
// (Settings.excludedNames, added from the Now view's "Never analyze <name>").
import type { AnalyzeMode, Settings } from '@/src/core/settings';
import { type MessageKey, t } from '@/src/i18n';
import { excludedNameText } from './format';

type Save = (patch: Partial<Settings>) => Promise<void>;

/** Each mode's name with its hint, e.g. "Just me (self-coaching: only your own camera)". */
const ANALYZE_CHOICES: Record<AnalyzeMode, MessageKey> = { me: 'analyze_choice_me', everyone: 'analyze_choice_everyone' };

export function AnalyzeChoice({ settings, save }: { settings: Settings; save: Save }) {
  return (
    <fieldset>
      <legend>{t('setting_analyze')}</legend>
      {(['me', 'everyone'] as const).map((mode) => (
        <span class="choice" key={mode}>
          <input
            type="radio"
            name="analyze"
            id={`setting-analyze-${mode}`}
            data-testid={`setting-analyze-${mode}`}
            checked={settings.analyze === mode}
            onChange={() => void save({ analyze: mode })}
          />
          <label for={`setting-analyze-${mode}`}>{t(ANALYZE_CHOICES[mode])}</label>
        </span>
      ))}
      <p class="muted">{t('analyze_shortcut_hint')}</p>
    </fieldset>
  );
}

export function ExcludedNames({ settings, save }: { settings: Settings; save: Save }) {
  const names = settings.excludedNames;
  return (
    <fieldset>
      <legend>{t('setting_excluded_names')}</legend>
      {names.length === 0 ? (
        <p class="muted" data-testid="excluded-empty">
          {t('excluded_empty')}
        </p>
      ) : (
        <ul class="excluded" aria-label={t('excluded_aria')}>
          {names.map((entry) => (
            <li key={entry}>
              <span data-testid="excluded-name">{excludedNameText(entry)}</span>
              <button
                type="button"
                class="link"
                data-testid="excluded-remove"
                aria-label={t('excluded_remove_aria', excludedNameText(entry))}
                onClick={() => void save({ excludedNames: names.filter((n) => n !== entry) })}
              >
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
