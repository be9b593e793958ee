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
