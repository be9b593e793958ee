// Pure description of public/models/models.json: the one place that says what each model is.
import type { ModelCalibration } from './calibration';

export type ModelTask = 'face-detection' | 'emotion' | 'person-detection';
export type ModelArchitecture = 'ssd-mobilenetv1' | 'blazeface' | 'movenet' | 'faceapi-expression' | 'faceapi-features-mlp' | 'graph-features-mlp' | 'graph-classifier';
export type Quantization = 'float32' | 'float16' | 'uint8';

export interface ModelFile {
  /** Relative to public/models. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelInput {
  width: number;
  height: number;
  /** 3 = RGB, 1 = grey (luma from RGB with ITU-R 601 weights). */
  channels: 1 | 3;
  /** Convert to grey first, then repeat it over the channels (models trained on grey faces, e.g. FER+). */
  grey?: boolean;
  /** Per-channel normalization on 0..255 pixels: (x - mean) / std. */
  mean: number[];
  std: number[];
}

/**
 * What an evaluation script measured for a model (written into models.json by it, never by hand):
 * the Settings picker shows it. Node, tfjs wasm, on the machine the script ran on.
 */
export interface ModelMeasurement {
  /** Macro-F1 (0..1) on the wild valid split within each source (classifiers: every scored source; detectors: the default classifier's on their crops, oahega and webcam-colour). */
  wildMacroF1: Record<string, number>;
  /** Classifiers: FER+ test macro-F1 (0..1, five classes). */
  ferplusMacroF1?: number;
  /** Detectors: the share of wild valid photos (one face each) where a face was found. */
  facesFound?: number;
  /** Median milliseconds per face (classifiers) or per frame (detectors). */
  ms: number;
  /** The command that measured it, and when (ISO date). */
  by: string;
  date: string;
}

/** "nhfi 64.1 / sfew 50.2 / ..." (macro-F1 %, sources in the order measured), for the picker and README's table. */
export function wildScoresText(m: ModelMeasurement): string {
  return Object.entries(m.wildMacroF1)
    .map(([source, f1]) => `${source} ${(f1 * 100).toFixed(1)}`)
    .join(' / ');
}

export interface ModelEntry {
  id: string;
  task: ModelTask;
  architecture: ModelArchitecture;
  /** 'graph-model' = tfjs GraphModel JSON; 'weights' = a tfjs weights manifest run by our own op graph. */
  format: 'graph-model' | 'weights';
  input: ModelInput;
  /** Output labels in output order (classifiers only). */
  labels: string[];
  /** Model label -> product label (null = dropped). Labels not named map to themselves. */
  labelMap: Record<string, string | null>;
  /** Whether the network ends in raw logits (we apply sigmoid/softmax) or in probabilities. */
  outputs: 'logits' | 'probabilities';
  quantization: Quantization;
  bytes: number;
  files: ModelFile[];
  source: { package: string; version: string; files: string[] };
  licence: string;
  /** The data the weights were trained on and those data's terms (the picker shows it). */
  trainedOn: string;
  description: string;
  /**
   * The name the Settings picker shows it under. Only models with one are offered there: a variant
   * without one is the same model in another quantization, kept for the benchmarks.
   */
  name?: string;
  measured?: ModelMeasurement;
  /** Classifiers: the fitted temperature and uncertain threshold (`npm run eval -- calibration`); absent: not calibrated, no percentage shown. */
  calibration?: ModelCalibration;
}

export interface ModelsManifest {
  version: 1;
  /** The product's label set: what users see, in display order. */
  labels: string[];
  /** `person`: the person detector a tile without a face is checked with (absent: none ships). */
  defaults: { detector: string; classifier: string; person?: string };
  models: ModelEntry[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validate parsed models.json; throws an Error naming what is wrong. */
export function parseModelsManifest(raw: unknown): ModelsManifest {
  if (!isRecord(raw) || raw.version !== 1) throw new Error('models.json: expected { version: 1, ... }');
  const { labels, defaults, models } = raw;
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new Error('models.json: labels must be strings');
  if (!isRecord(defaults) || typeof defaults.detector !== 'string' || typeof defaults.classifier !== 'string') {
    throw new Error('models.json: defaults.detector and defaults.classifier are required');
  }
  if (!Array.isArray(models)) throw new Error('models.json: models must be an array');
  for (const m of models) {
    if (!isRecord(m) || typeof m.id !== 'string') throw new Error('models.json: every model needs an id');
    for (const key of ['task', 'architecture', 'format', 'input', 'labels', 'files'] as const) {
      if (!(key in m)) throw new Error(`models.json: model ${m.id} lacks ${key}`);
    }
  }
  const manifest = raw as unknown as ModelsManifest;
  if (defaults.person !== undefined && typeof defaults.person !== 'string') throw new Error('models.json: defaults.person must be a model id');
  for (const id of [manifest.defaults.detector, manifest.defaults.classifier, ...(manifest.defaults.person ? [manifest.defaults.person] : [])]) {
    if (!manifest.models.some((m) => m.id === id)) throw new Error(`models.json: default model ${id} is not listed`);
  }
  return manifest;
}

export function findModel(manifest: ModelsManifest, id: string, task: ModelTask): ModelEntry {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) {
    const known = manifest.models.filter((m) => m.task === task).map((m) => m.id);
    throw new Error(`unknown model id "${id}" (known ${task} models: ${known.join(', ')})`);
  }
  if (entry.task !== task) throw new Error(`model "${id}" is a ${entry.task} model, not ${task}`);
  return entry;
}
