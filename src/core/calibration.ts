// Pure: how far a classifier's confidence can be trusted. Temperature scaling (one number fitted on
// validation faces: p -> p^(1/T), renormalized, which is softmax(logits / T)), the expected
// calibration error and its reliability table, and the confidence under which a label is shown as
// uncertain. The pipeline applies a model's calibration (models.json `calibration`) to every face.

/** A classifier's calibration as `npm run eval -- calibration` fitted it (written into models.json, never by hand). */
export interface ModelCalibration {
  /** Softmax temperature fitted on validation faces (1: unchanged; above 1: the model was over-confident). */
  temperature: number;
  /** A (smoothed, calibrated) top probability under this is shown as uncertain, without a percentage. */
  uncertainBelow: number;
  /** Expected calibration error (0..1) on the faces it was fitted on, after calibration. */
  ece: number;
  /** What it was fitted on (sources, split), the command, and when (ISO date). */
  fittedOn: string;
  by: string;
  date: string;
}

/** The share of a calibration error a percentage may carry and still be shown (5 points). */
export const MAX_SHOWN_ECE = 0.05;

/** Whether a chip may show this model's confidence as a percentage: it was calibrated and the fit holds. */
export function showsPercent(calibration: Pick<ModelCalibration, 'ece'> | null | undefined): boolean {
  return calibration != null && calibration.ece <= MAX_SHOWN_ECE;
}

/** p^(1/T), renormalized (T = 1: a copy). */
export function temper(probs: ArrayLike<number>, temperature: number): number[] {
  const xs = Array.from(probs, (p) => Math.max(p, 1e-12));
  if (temperature === 1) return Array.from(probs);
  const logs = xs.map((p) => Math.log(p) / temperature);
  const max = Math.max(...logs);
  const exps = logs.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** One face: its class probabilities (in some fixed class order) and the index of its true class. */
export interface ScoredFace {
  probs: readonly number[];
  truth: number;
}

/** Mean negative log-likelihood of the true class at temperature T. */
export function meanNll(faces: readonly ScoredFace[], temperature: number): number {
  let sum = 0;
  for (const f of faces) sum -= Math.log(Math.max(temper(f.probs, temperature)[f.truth] ?? 0, 1e-12));
  return sum / Math.max(1, faces.length);
}

/** The temperature with the least mean NLL (golden-section search over log T in [0.25, 8]). */
export function fitTemperature(faces: readonly ScoredFace[]): number {
  let [lo, hi] = [Math.log(0.25), Math.log(8)];
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (x: number) => meanNll(faces, Math.exp(x));
  let [a, b] = [hi - g * (hi - lo), lo + g * (hi - lo)];
  let [fa, fb] = [f(a), f(b)];
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      [b, fb] = [a, fa];
      a = hi - g * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      [a, fa] = [b, fb];
      b = lo + g * (hi - lo);
      fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** A face's top class and its probability. */
function top(probs: readonly number[]): { index: number; confidence: number } {
  let index = 0;
  for (let i = 1; i < probs.length; i++) if ((probs[i] ?? 0) > (probs[index] ?? 0)) index = i;
  return { index, confidence: probs[index] ?? 0 };
}

export interface ReliabilityBin {
  /** Confidence range [from, to). */
  from: number;
  to: number;
  faces: number;
  meanConfidence: number;
  accuracy: number;
}

/** Faces by top confidence in `bins` equal bins over [0, 1]: how often the top label was right in each. */
export function reliability(faces: readonly ScoredFace[], bins = 10): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, faces: 0, confidence: 0, right: 0 }));
  for (const f of faces) {
    const t = top(f.probs);
    const bin = out[Math.min(bins - 1, Math.floor(t.confidence * bins))]!;
    bin.faces++;
    bin.confidence += t.confidence;
    if (t.index === f.truth) bin.right++;
  }
  return out.map((b) => ({ from: b.from, to: b.to, faces: b.faces, meanConfidence: b.faces ? b.confidence / b.faces : 0, accuracy: b.faces ? b.right / b.faces : 0 }));
}

/** Expected calibration error: the faces-weighted mean gap between confidence and accuracy over the bins. */
export function expectedCalibrationError(faces: readonly ScoredFace[], bins = 10): number {
  const n = faces.length;
  if (n === 0) return 0;
  return reliability(faces, bins).reduce((e, b) => e + (b.faces / n) * Math.abs(b.meanConfidence - b.accuracy), 0);
}

/** Top-label accuracy. */
export function accuracy(faces: readonly ScoredFace[]): number {
  return faces.length ? faces.filter((f) => top(f.probs).index === f.truth).length / faces.length : 0;
}

/** Each face's top confidence. */
export function topConfidence(probs: readonly number[]): number {
  return top(probs).confidence;
}

/**
 * The uncertain threshold: faces are grouped in bands of confidence `width` wide (starting every
 * `step`); the threshold is the middle of the highest band (of at least `minFaces` faces) whose
 * labels are wrong more often than right. Above it, every band's labels are right more often than
 * not; a label under it is shown as uncertain. 0.2 (nothing uncertain in practice) if no band is.
 */
export function chooseUncertainBelow(faces: readonly ScoredFace[], opts: { step?: number; width?: number; minFaces?: number } = {}): number {
  const { step = 0.05, width = 0.1, minFaces = 20 } = opts;
  const scored = faces.map((f) => {
    const t = top(f.probs);
    return { confidence: t.confidence, right: t.index === f.truth };
  });
  for (let k = Math.round((1 - width) / step); k >= 0; k--) {
    const from = k * step;
    const band = scored.filter((f) => f.confidence >= from && f.confidence < from + width);
    if (band.length >= minFaces && band.filter((f) => f.right).length / band.length < 0.5) return Math.max(0.2, Math.round((from + width / 2) * 100) / 100);
  }
  return 0.2;
}
