// Pure: how many of a page's media elements become tiles.

/**
 * At most this many tiles per page (Meet's largest gallery is 7 x 7). A page with more playing
 * media (by accident or on purpose) gets its largest ones analyzed and costs no more than that.
 */
export const MAX_TILES = 49;

/** The `max` largest items by `area`, in their original order (ties keep the earlier one). */
export function largestTiles<T>(items: readonly T[], area: (t: T) => number, max = MAX_TILES): T[] {
  if (items.length <= max) return [...items];
  const keep = new Set(
    items
      .map((t, i) => ({ i, a: area(t) }))
      .sort((x, y) => y.a - x.a || x.i - y.i)
      .slice(0, max)
      .map((x) => x.i),
  );
  return items.filter((_, i) => keep.has(i));
}
