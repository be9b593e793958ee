// Any context: the two-stage pipeline (detect faces, classify each crop) behind one analyze() call.
import { type ModelCalibration, temper } from '../core/calibration';
import { cornersToPixels, FACE_CROP_SCALE, nonMaxSuppression, squareCrop } from '../core/boxes';
import { modelLabels } from '../core/label-set';
import { mapProbabilities, topLabel } from '../core/labels';
import { findModel, type ModelsManifest } from '../core/models';
import type { AnalyzeOptions, AnalyzeResult, BackendName, FaceResult, PixelBox } from '../core/types';
import { type BackendOptions, selectBackend, webgpuDeviceLost } from './backend';
import { createClassifier } from './classifiers';
import { createDetector } from './detectors';
import { PERSON_MIN_SCORE } from './logic/presence';
import { createPersonDetector, type PersonDetector } from './person';
import type { ModelFileReader } from './loader';
import { type ImageInput, isPixelData, type PixelData, sheetBatch, toImageTensor } from './preprocess';
import { tf } from './tf';

export interface PipelineOptions {
  manifest: ModelsManifest;
  read: ModelFileReader;
  /** Model ids from models.json; default: manifest.defaults. */
  detector?: string;
  classifier?: string;
  backend?: BackendOptions;
  /** 'detect' runs stage 1; 'whole' classifies the whole image as one face (tight face-crop datasets). */
  faces?: 'detect' | 'whole';
  minScore?: number;
  iouThreshold?: number;
  maxFaces?: number;
  /** Faces smaller than this many pixels (box side) are ignored. */
  minFaceSize?: number;
  /** How much the square classifier crop is grown around the detector box. */
  cropScale?: number;
  /** Run one analysis on a blank frame at creation so the first real frame is not slow. */
  warmup?: boolean;
  /** The person detector's model id (default: manifest.defaults.person; null: none), loaded on the first frame that asks for it. */
  person?: string | null;
  /** Apply the classifier's fitted temperature (models.json `calibration`); false: its raw probabilities (for fitting it). */
  calibrate?: boolean;
}


/** A backend that was selected and then failed, and why (the pipeline runs on the next one). */
export interface BackendFallback {
  from: BackendName;
  reason: string;
}

export interface Pipeline {
  readonly backend: BackendName;
  /** Set when WebGPU was chosen but failed to load or warm up the models, so this one runs instead. */
  readonly fallback: BackendFallback | null;
  /** WebGPU only: resolves with the reason when the device is lost (the pipeline is unusable then). */
  readonly lost: Promise<string> | null;
  readonly detectorId: string | null;
  readonly classifierId: string;
  /** The classifier's label set (modelLabels): every face's probabilities cover exactly these. */
  readonly labels: readonly string[];
  /** The classifier's input side in pixels (a face sheet's cells are best this size: one resampling). */
  readonly cropSize: number;
  /** The classifier's calibration (applied to every face's probabilities), or null: not calibrated. */
  readonly calibration: ModelCalibration | null;
  analyze(input: ImageInput, opts?: AnalyzeOptions): Promise<AnalyzeResult>;
  dispose(): void;
}

export const PIPELINE_DEFAULTS = { minScore: 0.5, iouThreshold: 0.3, maxFaces: 16, minFaceSize: 20, cropScale: FACE_CROP_SCALE } as const;

/**
 * Select a backend and load the pipeline on it. WebGPU can pass selection and still fail on real
 * work (shader compilation, out of memory, a lost device during the warm-up): the models are then
 * loaded again on the next backend in the order, and the pipeline says so (`fallback`).
 */
export async function createPipeline(options: PipelineOptions): Promise<Pipeline> {
  const order = options.backend?.order ?? ['webgpu', 'wasm', 'cpu'];
  const { backend } = await selectBackend({ ...options.backend, order });
  try {
    return await loadOn(backend, options, null);
  } catch (err) {
    const rest = order.slice(order.indexOf(backend) + 1);
    if (backend !== 'webgpu' || rest.length === 0) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    console.warn(`[pipeline] WebGPU failed after selection, falling back to ${rest.join(', then ')}:`, err);
    const next = await selectBackend({ ...options.backend, order: rest });
    return loadOn(next.backend, options, { from: 'webgpu', reason });
  }
}

async function loadOn(backend: BackendName, options: PipelineOptions, fallback: BackendFallback | null): Promise<Pipeline> {
  const { manifest, read } = options;
  const mode = options.faces ?? 'detect';
  const minScore = options.minScore ?? PIPELINE_DEFAULTS.minScore;
  const iouThreshold = options.iouThreshold ?? PIPELINE_DEFAULTS.iouThreshold;
  const maxFaces = options.maxFaces ?? PIPELINE_DEFAULTS.maxFaces;
  const minFaceSize = options.minFaceSize ?? PIPELINE_DEFAULTS.minFaceSize;
  const cropScale = options.cropScale ?? PIPELINE_DEFAULTS.cropScale;

  const classifierEntry = findModel(manifest, options.classifier ?? manifest.defaults.classifier, 'emotion');
  const detectorEntry = mode === 'detect' ? findModel(manifest, options.detector ?? manifest.defaults.detector, 'face-detection') : null;
  const detector = detectorEntry ? await createDetector(detectorEntry, read) : null;
  let classifier: Awaited<ReturnType<typeof createClassifier>>;
  try {
    classifier = await createClassifier(classifierEntry, read);
  } catch (err) {
    detector?.dispose();
    throw err;
  }
  // The call's label set: what this classifier's outputs map to, never the whole product union.
  const labels = modelLabels(classifierEntry, manifest.labels);
  const calibration = options.calibrate === false ? null : (classifierEntry.calibration ?? null);
  const personId = options.person === undefined ? manifest.defaults.person : options.person;
  const personEntry = personId ? findModel(manifest, personId, 'person-detection') : null;
  let personDetector: Promise<PersonDetector> | null = null;
  /** The person detector's verdict on a frame without faces (loaded on first use: most calls never need it). */
  async function presence(image: tf.Tensor3D): Promise<{ person: NonNullable<AnalyzeResult['person']>; ms: number }> {
    if (!personEntry) throw new Error('no person detector in models.json');
    personDetector ??= createPersonDetector(personEntry, read);
    const detector = await personDetector.catch((err: unknown) => {
      personDetector = null; // a failed load is tried again on the next frame that asks
      throw err;
    });
    const t0 = performance.now();
    const score = await detector.score(image);
    return { person: { score, present: score >= PERSON_MIN_SCORE }, ms: performance.now() - t0 };
  }
  let disposed = false;

  async function analyzeTensor(image: tf.Tensor3D, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
    const [height, width] = image.shape;
    const minFace = opts.minFaceSize ?? minFaceSize;
    const t0 = performance.now();
    let boxes: ReadonlyArray<{ box: PixelBox; score: number; roll?: number; turn?: number }>;
    if (opts.sheet && !opts.faces) throw new Error('a face sheet needs the faces it holds');
    if (opts.faces && (detector || opts.sheet)) {
      boxes = opts.faces;
    } else if (detector) {
      const candidates = await detector.detect(image, minScore);
      boxes = nonMaxSuppression(candidates, { maxResults: maxFaces, iouThreshold, minScore })
        .map((c) => ({ box: cornersToPixels(c.box, width, height), score: c.score, roll: c.roll, ...(c.turn === undefined ? {} : { turn: c.turn }) }))
        .filter((f) => Math.min(f.box.width, f.box.height) >= Math.min(minFace, width, height));
    } else {
      boxes = [{ box: { x: 0, y: 0, width, height }, score: 1 }];
    }
    const t1 = performance.now();
    const sheet = opts.sheet;
    const crops = sheet ? boxes.map((_, i) => ({ x: i * sheet.cell, y: 0, width: sheet.cell, height: sheet.cell })) : boxes.map((b) => (detector ? squareCrop(b.box, cropScale) : b.box));
    const probs = await classifier.classify(image, crops);
    const r = result(boxes, probs, { detect: t1 - t0, classify: performance.now() - t1 }, sheet?.frame ?? { width, height }, !opts.faces);
    if (!opts.presence || !r.detected || r.faces.length > 0 || !personEntry) return r;
    const p = await presence(image);
    return { ...r, person: p.person, ms: { ...r.ms, person: p.ms } };
  }

  function result(boxes: ReadonlyArray<{ box: PixelBox; score: number; roll?: number; turn?: number }>, probs: Float32Array[], ms: AnalyzeResult['ms'], input: AnalyzeResult['input'], detected: boolean): AnalyzeResult {
    const faces: FaceResult[] = boxes.map((b, i) => {
      const raw = probs[i] ?? [];
      const probabilities = mapProbabilities(calibration ? temper(raw, calibration.temperature) : raw, classifierEntry.labels, classifierEntry.labelMap, labels);
      return { box: b.box, score: b.score, ...(b.roll === undefined ? {} : { roll: b.roll }), ...(b.turn === undefined ? {} : { turn: b.turn }), label: topLabel(probabilities).label, probabilities };
    });
    return { faces, backend, ms, input, detected };
  }

  /** A face sheet of RGBA cells at the classifier's own input size (it goes straight into the model's batch: sheetBatch), else null. */
  function modelSheet(input: ImageInput, opts: AnalyzeOptions = {}): { pixels: PixelData; faces: NonNullable<AnalyzeOptions['faces']>; frame: AnalyzeResult['input'] } | null {
    const { sheet, faces } = opts;
    const { width, height } = classifierEntry.input;
    if (!sheet || !faces || !isPixelData(input) || sheet.cell !== width || sheet.cell !== height || input.height !== height || input.width !== width * faces.length) return null;
    return { pixels: input, faces, frame: sheet.frame };
  }

  const pipeline: Pipeline = {
    backend,
    fallback,
    lost: backend === 'webgpu' ? webgpuDeviceLost() : null,
    detectorId: detectorEntry?.id ?? null,
    classifierId: classifierEntry.id,
    labels,
    cropSize: classifierEntry.input.width,
    calibration,
    async analyze(input, opts) {
      if (disposed) throw new Error('pipeline is disposed');
      const sheet = modelSheet(input, opts);
      if (sheet) {
        const t0 = performance.now();
        const probs = await classifier.classifyBatch(sheetBatch(sheet.pixels, sheet.faces.length, classifierEntry.input));
        return result(sheet.faces, probs, { detect: 0, classify: performance.now() - t0 }, sheet.frame, false);
      }
      const { image, owned } = toImageTensor(input);
      try {
        return await analyzeTensor(image, opts);
      } finally {
        if (owned) image.dispose();
      }
    },
    dispose() {
      disposed = true;
      detector?.dispose();
      classifier.dispose();
      void personDetector?.then((d) => d.dispose()).catch(() => {});
    },
  };
  if (options.warmup ?? true) {
    // Both stages once, so shader compilation / wasm kernel set-up is not paid by the first real frame.
    let blank: tf.Tensor3D | null = null;
    try {
      blank = tf.zeros([64, 64, 3], 'int32') as tf.Tensor3D;
      await detector?.detect(blank, 1);
      await classifier.classify(blank, [{ x: 0, y: 0, width: 64, height: 64 }]);
    } catch (err) {
      try {
        pipeline.dispose();
      } catch {
        // A failed backend may fail to free its tensors too; the warm-up's error is the one to report.
      }
      throw err;
    } finally {
      blank?.dispose();
    }
  }
  return pipeline;
}
