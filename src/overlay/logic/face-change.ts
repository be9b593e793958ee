// Pure: has a tracked face changed since it was last classified? Each cell of a face sheet is
// summarized as a coarse grid of mean luma; a face whose every block moved by at most a few grey
// levels (video noise, a still listener) looks the same to the classifier, which is not asked again.

/** Grid cells per side of a face's signature. */
export const SIGNATURE_GRID = 8;

/**
 * Mean luma (ITU-R 601) of each block of a SIGNATURE_GRID x SIGNATURE_GRID grid over cell `index`
 * of an RGBA face sheet `cell` pixels high.
 */
export function cellSignature(data: ArrayLike<number>, sheetWidth: number, cell: number, index: number): Float32Array {
  const g = SIGNATURE_GRID;
  const sums = new Float32Array(g * g);
  const counts = new Uint16Array(g * g);
  const x0 = index * cell;
  for (let y = 0; y < cell; y++) {
    const row = Math.min(g - 1, Math.floor((y * g) / cell));
    for (let x = 0; x < cell; x++) {
      const k = row * g + Math.min(g - 1, Math.floor((x * g) / cell));
      const i = (y * sheetWidth + x0 + x) * 4;
      sums[k]! += 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
      counts[k]!++;
    }
  }
  return sums.map((s, k) => s / Math.max(1, counts[k] ?? 1));
}

/** The largest change of any block between two signatures (grey levels, 0-255). */
export function maxBlockChange(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs((a[k] ?? 0) - (b[k] ?? 0)));
  return max;
}
