// Any extension context: the one shape check storage items keyed by id share on migration and read.

/** A copy of `value` when it is a plain object (not null, not an array), else an empty one. */
export function objectOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}
