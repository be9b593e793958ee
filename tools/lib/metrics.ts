// Pure (any context): classification metrics and latency statistics for evaluation tools and benchmarks.

/** Counts over a fixed label list: `counts[truth][predicted]`, indices into `labels`. */
export interface ConfusionMatrix {
  labels: readonly string[];
  counts: number[][];
}

export interface ClassMetrics {
  label: string;
  /** How many samples truly have this label. */
  support: number;
  /** How many samples were predicted as this label. */
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

function indexOfLabel(labels: readonly string[], label: string, what: string): number {
  const i = labels.indexOf(label);
  // An unknown label is a caller bug (e.g. a label map out of date); counting it silently would skew every metric.
  if (i < 0) throw new Error(`${what} label "${label}" is not one of: ${labels.join(', ')}`);
  return i;
}

export function confusionMatrix(truths: readonly string[], predictions: readonly string[], labels: readonly string[]): ConfusionMatrix {
  if (truths.length !== predictions.length) {
    throw new Error(`confusionMatrix: ${truths.length} truths but ${predictions.length} predictions`);
  }
  const counts = labels.map(() => labels.map(() => 0));
  truths.forEach((truth, k) => {
    const row = counts[indexOfLabel(labels, truth, 'truth')];
    const col = indexOfLabel(labels, predictions[k] ?? '', 'predicted');
    if (row) row[col] = (row[col] ?? 0) + 1;
  });
  return { labels, counts };
}

function cell(cm: ConfusionMatrix, truth: number, predicted: number): number {
  return cm.counts[truth]?.[predicted] ?? 0;
}

function total(cm: ConfusionMatrix): number {
  return cm.counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}

/** Fraction of samples on the diagonal; NaN when there are no samples (undefined, not 0). */
export function accuracy(cm: ConfusionMatrix): number {
  const n = total(cm);
  if (n === 0) return NaN;
  return cm.labels.reduce((sum, _, i) => sum + cell(cm, i, i), 0) / n;
}

/**
 * Precision, recall and F1 per label. A ratio with a zero denominator is 0 (a never-predicted
 * class has precision 0, a class with no truths has recall 0), so no NaN leaks into averages.
 */
export function perClassMetrics(cm: ConfusionMatrix): ClassMetrics[] {
  return cm.labels.map((label, i) => {
    const tp = cell(cm, i, i);
    const support = cm.labels.reduce((sum, _, j) => sum + cell(cm, i, j), 0);
    const predicted = cm.labels.reduce((sum, _, j) => sum + cell(cm, j, i), 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support, predicted, precision, recall, f1 };
  });
}

/**
 * Unweighted mean F1 over classes. A class with neither truths nor predictions is excluded: it says
 * nothing about the classifier and would otherwise drag the mean towards 0. NaN when no class counts.
 */
export function macroF1(cm: ConfusionMatrix): number {
  const counted = perClassMetrics(cm).filter((c) => c.support > 0 || c.predicted > 0);
  if (counted.length === 0) return NaN;
  return counted.reduce((sum, c) => sum + c.f1, 0) / counted.length;
}

/**
 * The p-th percentile (0..100) by LINEAR interpolation between closest ranks (numpy's default,
 * Excel's PERCENTILE.INC): rank = p/100 * (n - 1) on the sorted values. NaN for an empty array.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: p must be within 0..100, got ${p}`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (rank - lo);
}

/** The arithmetic mean. NaN for an empty array (as percentile). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The 50th percentile (linear interpolation: the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The summary every timing table prints: median and 90th percentile. */
export interface Stats {
  median: number;
  p90: number;
}

export function summarize(values: readonly number[]): Stats {
  return { median: median(values), p90: percentile(values, 90) };
}

/**
 * How old the shown label gets, per result: for consecutive results of the same tile, when the next
 * one arrived minus when the previous one's frame was sampled (the previous label stays up until then).
 */
export function labelAges(results: ReadonlyArray<{ tile: string; sampledAt: number; doneAt: number }>): number[] {
  const byTile = new Map<string, Array<{ sampledAt: number; doneAt: number }>>();
  for (const r of results) (byTile.get(r.tile) ?? byTile.set(r.tile, []).get(r.tile)!).push(r);
  const ages: number[] = [];
  for (const list of byTile.values()) {
    list.sort((a, b) => a.doneAt - b.doneAt);
    for (let i = 1; i < list.length; i++) ages.push(list[i]!.doneAt - list[i - 1]!.sampledAt);
  }
  return ages;
}

/** Gaps between consecutive labels of each tile (`at`: when the label arrived). */
export function refreshGaps(results: ReadonlyArray<{ tile: string; at: number }>): number[] {
  const byTile = new Map<string, number[]>();
  for (const r of results) (byTile.get(r.tile) ?? byTile.set(r.tile, []).get(r.tile)!).push(r.at);
  return [...byTile.values()].flatMap((ats) => ats.sort((a, b) => a - b).slice(1).map((at, i) => at - ats[i]!));
}
