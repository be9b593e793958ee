// Popup: the Settings about people: who is analyzed (Settings.analyze) and the people never analyzed
// (Settings.excludedNames, added from the Now view's "Never analyze <name>").
import type { AnalyzeMode, Settings } from '@/src/core/settings';
import { ANALYZE_MODE_NAMES, excludedNameText } from './format';

type Save = (patch: Partial<Settings>) => Promise<void>;

const ANALYZE_HINTS: Record<AnalyzeMode, string> = {
  me: 'self-coaching: only your own camera',
  everyone: 'with their consent',
};

export function AnalyzeChoice({ settings, save }: { settings: Settings; save: Save }) {
  return (
    <fieldset>
      <legend>Who is analyzed</legend>
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
          <label for={`setting-analyze-${mode}`}>
            {ANALYZE_MODE_NAMES[mode]} ({ANALYZE_HINTS[mode]})
          </label>
        </span>
      ))}
      <p class="muted">Alt+Shift+M switches it, mid-call too.</p>
    </fieldset>
  );
}

export function ExcludedNames({ settings, save }: { settings: Settings; save: Save }) {
  const names = settings.excludedNames;
  return (
    <fieldset>
      <legend>Never analyzed</legend>
      {names.length === 0 ? (
        <p class="muted" data-testid="excluded-empty">
          No one. In a call, "Never analyze &lt;name&gt;" in the Now view adds a person here.
        </p>
      ) : (
        <ul class="excluded" aria-label="People never analyzed, by name per site">
          {names.map((entry) => (
            <li key={entry}>
              <span data-testid="excluded-name">{excludedNameText(entry)}</span>
              <button
                type="button"
                class="link"
                data-testid="excluded-remove"
                aria-label={`Remove ${excludedNameText(entry)}: analyze them again`}
                onClick={() => void save({ excludedNames: names.filter((n) => n !== entry) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
