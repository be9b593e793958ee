// Popup: the face detector and emotion classifier the overlay runs, from models.json, each with what
// the evaluation scripts measured (npm run eval -- detectors / eval -- classifiers write it there).
import { useEffect, useState } from 'preact/hooks';
import { modelLabels } from '@/src/core/label-set';
import { type ModelEntry, type ModelsManifest, type ModelTask, parseModelsManifest, wildScoresText } from '@/src/core/models';
import type { Settings } from '@/src/core/settings';
import { labelName, t } from '@/src/i18n';
import { errorMessage, formatBytes, formatNumber, formatPercent } from './format';
import { ErrorAlert } from './ui';

/** "wild valid macro-F1 nhfi 64.1 / sfew 50.2 / ... · 10.2 ms per face · 365 kB", or what is not measured. */
function measuredText(m: ModelEntry): string {
  const size = formatBytes(m.bytes);
  const r = m.measured;
  if (!r) return t('model_not_measured', size);
  const ms = formatNumber(r.ms, 1);
  return [
    t('model_scores', wildScoresText(r)),
    r.facesFound !== undefined && t('model_faces_found', formatPercent(r.facesFound, 1)),
    m.task === 'emotion' ? t('model_ms_per_face', ms) : t('model_ms_per_frame', ms),
    size,
  ]
    .filter(Boolean)
    .join(' · ');
}

function ModelChoices({ manifest, task, chosen, onPick }: { manifest: ModelsManifest; task: ModelTask; chosen: string | null; onPick: (id: string) => void }) {
  const offered = manifest.models.filter((m) => m.task === task && m.name);
  const fallback = task === 'emotion' ? manifest.defaults.classifier : manifest.defaults.detector;
  const current = chosen && offered.some((m) => m.id === chosen) ? chosen : fallback;
  const key = task === 'emotion' ? 'classifier' : 'detector';
  return (
    <fieldset data-testid={`setting-${key}`}>
      <legend>{task === 'emotion' ? t('setting_classifier') : t('setting_detector')}</legend>
      {chosen && current !== chosen && <p class="muted">{t('model_missing', chosen)}</p>}
      {offered.map((m) => (
        <div class="model-choice" key={m.id}>
          <input type="radio" name={key} id={`setting-${key}-${m.id}`} data-testid={`setting-${key}-${m.id}`} checked={current === m.id} onChange={() => onPick(m.id)} />
          <label for={`setting-${key}-${m.id}`}>
            <span class="model-name">
              {m.name}
              {m.id === fallback && <span class="badge">{t('badge_default')}</span>}
            </span>
            {task === 'emotion' && <span class="muted model-labels">{modelLabels(m, manifest.labels).map(labelName).join(', ')}</span>}
            <span class="muted model-measured" data-testid="model-measured">
              {measuredText(m)}
            </span>
            <span class="muted model-trained-on" data-testid="model-trained-on">{t('model_trained_on', m.trainedOn)}</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** Both pickers; a pick is saved at once and reaches running calls without a reload. */
export function ModelPicker({ settings, save }: { settings: Settings; save: (patch: Partial<Settings>) => Promise<void> }) {
  const [manifest, setManifest] = useState<ModelsManifest | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch(browser.runtime.getURL('/models/models.json'))
      .then((r) => r.json())
      .then((j: unknown) => setManifest(parseModelsManifest(j)))
      .catch((e: unknown) => setError(t('error_read_models', errorMessage(e))));
  }, []);
  if (!manifest) return error ? <ErrorAlert error={error} /> : null;
  return (
    <section class="models" aria-label={t('fact_models')}>
      <ModelChoices manifest={manifest} task="face-detection" chosen={settings.detector} onPick={(id) => void save({ detector: id })} />
      <ModelChoices manifest={manifest} task="emotion" chosen={settings.classifier} onPick={(id) => void save({ classifier: id })} />
      <p class="muted">{t('models_note')}</p>
    </section>
  );
}
