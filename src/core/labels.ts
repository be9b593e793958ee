// Pure label maths: softmax, mapping a model's output labels onto the product's label set.

export function softmax(logits: ArrayLike<number>): number[] {
  const xs = Array.from(logits);
  if (xs.length === 0) return [];
  const max = Math.max(...xs);
  const exps = xs.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The product label a model's output label counts towards: labelMap's entry (null: dropped), else itself. */
export function mapLabel(labelMap: Readonly<Record<string, string | null>>, label: string): string | null {
  return label in labelMap ? (labelMap[label] ?? null) : label;
}

/**
 * Map a probability vector in the model's output order onto target labels. `labelMap` names, for
 * each model output label, the target label it counts towards (outputs mapped to nothing are dropped),
 * and the result is renormalized over the target labels.
 */
export function mapProbabilities(
  probs: ArrayLike<number>,
  outputLabels: readonly string[],
  labelMap: Readonly<Record<string, string | null>>,
  targetLabels: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(targetLabels.map((l) => [l, 0]));
  outputLabels.forEach((label, i) => {
    const target = mapLabel(labelMap, label);
    if (target == null || !(target in out)) return;
    out[target] = (out[target] ?? 0) + (probs[i] ?? 0);
  });
  const total = Object.values(out).reduce((a, b) => a + b, 0);
  if (total > 0) for (const k of Object.keys(out)) out[k] = (out[k] ?? 0) / total;
  return out;
}

/** The arg-max label of a probability record (first label wins ties). */
export function topLabel(probabilities: Readonly<Record<string, number>>): { label: string; score: number } {
  let best = { label: '', score: -Infinity };
  for (const [label, score] of Object.entries(probabilities)) if (score > best.score) best = { label, score };
  return best;
}
