// Pure: training helpers shared by the trainer and its tests (class weights, seeded randomness).

/**
 * The paper's class weights (the `mu` recipe): total = sum(counts) / n_classes;
 * score_c = count_c / total; weight_c = 1 / (score_c * mu) if score_c < 1 else 1.
 */
export function classWeights(counts: readonly number[], mu: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0) / counts.length;
  return counts.map((c) => {
    const score = total > 0 ? c / total : 0;
    return score < 1 && score > 0 ? 1 / (score * mu) : 1;
  });
}

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Log-uniform sample in [lo, hi]. */
export function logUniform(random: () => number, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + random() * (Math.log(hi) - Math.log(lo)));
}

export function pick<T>(random: () => number, options: readonly T[]): T {
  return options[Math.floor(random() * options.length)] as T;
}

/** Per-class macro-F1 and recalls of arg-max(logits + bias), for calibration. */
export function scoreWithBias(logits: ArrayLike<number>, truth: ArrayLike<number>, bias: readonly number[]): { macroF1: number; recalls: number[] } {
  const c = bias.length;
  const n = truth.length;
  const tp = new Array<number>(c).fill(0);
  const predicted = new Array<number>(c).fill(0);
  const support = new Array<number>(c).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if ((logits[i * c + k] ?? 0) + (bias[k] ?? 0) > (logits[i * c + best] ?? 0) + (bias[best] ?? 0)) best = k;
    const t = truth[i] ?? 0;
    support[t] = (support[t] ?? 0) + 1;
    predicted[best] = (predicted[best] ?? 0) + 1;
    if (best === t) tp[t] = (tp[t] ?? 0) + 1;
  }
  const recalls = tp.map((x, k) => ((support[k] ?? 0) > 0 ? x / (support[k] ?? 1) : 0));
  const f1s = tp.map((x, k) => {
    const p = (predicted[k] ?? 0) > 0 ? x / (predicted[k] ?? 1) : 0;
    const r = recalls[k] ?? 0;
    return p + r > 0 ? (2 * p * r) / (p + r) : 0;
  });
  return { macroF1: f1s.reduce((a, b) => a + b, 0) / c, recalls };
}

/**
 * Post-hoc logit adjustment, chosen on the validation split: per-class biases added to the logits
 * that maximize macro-F1 while keeping every class's recall at or above `minRecall` where that is
 * reachable (coordinate search on a grid). All zeros when nothing beats the unadjusted model.
 */
export function calibrateBiases(logits: ArrayLike<number>, truth: ArrayLike<number>, classes: number, minRecall: number): number[] {
  const objective = (b: number[]) => {
    const { macroF1, recalls } = scoreWithBias(logits, truth, b);
    const shortfall = recalls.reduce((a, r) => a + Math.max(0, minRecall - r), 0);
    return macroF1 - 2 * shortfall;
  };
  const bias = new Array<number>(classes).fill(0);
  let best = objective(bias);
  for (let pass = 0; pass < 4; pass++) {
    for (let k = 0; k < classes; k++) {
      let bestV = bias[k] ?? 0;
      for (let i = -30; i <= 30; i++) {
        bias[k] = i / 20;
        const o = objective(bias);
        if (o > best + 1e-9) [best, bestV] = [o, i / 20];
      }
      bias[k] = bestV;
    }
  }
  return bias.map((b) => Math.round(b * 100) / 100);
}
