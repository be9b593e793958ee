// Node: writing models into public/models (quantized weight shards, model.json, models.json entries).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelEntry, type ModelMeasurement, type ModelsManifest, parseModelsManifest, type Quantization } from '../../src/core/models';
import type { ModelCalibration } from '../../src/core/calibration';
import { quantizeFloat16, quantizeUint8 } from './quantize';
import { MODELS_DIR } from './paths';
import type { tf } from './tf-node';

export const QUANT_SUFFIX: Record<Quantization, string> = { float32: 'f32', float16: 'f16', uint8: 'u8' };

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  quantization?: { dtype: 'float16' | 'uint8'; min?: number; scale?: number };
}

/** Encode tensors into one shard with the requested quantization (int32 stays exact). */
export function encodeWeights(map: tf.NamedTensorMap, names: string[], q: Quantization): { specs: WeightSpec[]; data: Buffer } {
  const specs: WeightSpec[] = [];
  const chunks: Buffer[] = [];
  for (const name of names) {
    const t = map[name];
    if (!t) throw new Error(`weight ${name} missing from source`);
    const spec: WeightSpec = { name, shape: t.shape, dtype: t.dtype as WeightSpec['dtype'] };
    if (t.dtype !== 'float32' || q === 'float32') {
      const values = t.dtype === 'float32' ? new Float32Array(t.dataSync()) : new Int32Array(t.dataSync());
      chunks.push(Buffer.from(values.buffer));
    } else if (q === 'float16') {
      spec.quantization = { dtype: 'float16' };
      chunks.push(Buffer.from(quantizeFloat16(t.dataSync() as Float32Array).buffer));
    } else {
      const { data, min, scale } = quantizeUint8(t.dataSync() as Float32Array);
      spec.quantization = { dtype: 'uint8', min, scale };
      chunks.push(Buffer.from(data.buffer));
    }
    specs.push(spec);
  }
  return { specs, data: Buffer.concat(chunks) };
}

export function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Write <id>/model.json and <id>/weights.bin; returns their models.json file records. */
export function writeModelDir(id: string, modelJson: unknown, weights: Buffer): ModelEntry['files'] {
  const dir = join(MODELS_DIR, id);
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(modelJson)}\n`;
  writeFileSync(join(dir, 'model.json'), json);
  writeFileSync(join(dir, 'weights.bin'), weights);
  return [
    { path: `${id}/model.json`, bytes: Buffer.byteLength(json), sha256: sha256(json) },
    { path: `${id}/weights.bin`, bytes: weights.byteLength, sha256: sha256(weights) },
  ];
}

export function readManifestFile(): ModelsManifest | null {
  const p = join(MODELS_DIR, 'models.json');
  return existsSync(p) ? parseModelsManifest(JSON.parse(readFileSync(p, 'utf8'))) : null;
}

/**
 * Write models.json with `entries` replacing same-id entries; entries from elsewhere (the other
 * tool: npm models vs npm run train) are kept, so neither tool drops the other's models.
 */
export function writeManifest(entries: readonly ModelEntry[], defaults: ModelsManifest['defaults'], labels: string[], dropIds: readonly string[] = []): ModelsManifest {
  const previous = readManifestFile();
  const ids = new Set([...entries.map((e) => e.id), ...dropIds]);
  const kept = (previous?.models ?? []).filter((m) => !ids.has(m.id) && m.files.every((f) => existsSync(join(MODELS_DIR, f.path))));
  // A rebuilt model with the same bytes keeps what the evaluation scripts measured and fitted for it.
  const sameFiles = (a: ModelEntry, b: ModelEntry) => a.files.length === b.files.length && a.files.every((f, i) => f.sha256 === b.files[i]?.sha256);
  const measuredOf = (e: ModelEntry) => {
    const old = previous?.models.find((m) => m.id === e.id);
    if (!old || !sameFiles(old, e)) return e;
    return { ...e, ...(old.measured && !e.measured ? { measured: old.measured } : {}), ...(old.calibration && !e.calibration ? { calibration: old.calibration } : {}) };
  };
  const manifest: ModelsManifest = { version: 1, labels, defaults, models: [...entries.map(measuredOf), ...kept] };
  writeFileSync(join(MODELS_DIR, 'models.json'), `${JSON.stringify(parseModelsManifest(manifest), null, 2)}\n`);
  return manifest;
}

/** Store what an evaluation script measured into models.json (entries by id; the rest unchanged). */
export function recordMeasurements(measured: ReadonlyMap<string, ModelMeasurement>): void {
  updateEntries((m) => {
    const mm = measured.get(m.id);
    return mm ? { ...m, measured: mm } : m;
  });
}

/** Write each fitted calibration (`npm run eval -- calibration`) into its model's models.json entry. */
export function recordCalibrations(calibrations: ReadonlyMap<string, ModelCalibration>): void {
  updateEntries((m) => {
    const c = calibrations.get(m.id);
    return c ? { ...m, calibration: c } : m;
  });
}

function updateEntries(update: (m: ModelEntry) => ModelEntry): void {
  const manifest = readManifestFile();
  if (!manifest) throw new Error('public/models/models.json is missing: run npm run models first');
  writeFileSync(join(MODELS_DIR, 'models.json'), `${JSON.stringify(parseModelsManifest({ ...manifest, models: manifest.models.map(update) }), null, 2)}\n`);
}
