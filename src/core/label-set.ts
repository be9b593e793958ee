// Pure: the emotion labels, in one place. Every chip, colour, emoji, summary, export, setting and
// tool reads them from here; tests/core/label-set.test.ts checks them against models.json.
import { mapLabel } from './labels';

/** The paper's five biological classes, in display order: what every shipped classifier maps to. */
export const BASIC_LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'] as const;

/**
 * Every label a shipped classifier can produce, in display order (models.json `labels`): the five
 * basic ones and the paper's sixth, "ahegao", which only its own six-class model declares. A call's
 * label set is the chosen classifier's (modelLabels), never this whole union.
 */
export const PRODUCT_LABELS = [...BASIC_LABELS, 'ahegao'] as const;
export type ProductLabel = (typeof PRODUCT_LABELS)[number];

const STYLE: Readonly<Record<ProductLabel, { color: string; emoji: string }>> = {
  angry: { color: '#d93025', emoji: '😠' },
  happy: { color: '#e37400', emoji: '😄' },
  neutral: { color: '#80868b', emoji: '😐' },
  sad: { color: '#1a73e8', emoji: '😢' },
  surprise: { color: '#a142f4', emoji: '😮' },
  ahegao: { color: '#e52592', emoji: '😛' },
};

/** Labels a model may add later still get a stable colour. */
const FALLBACK_COLORS = ['#188038', '#d01884', '#00838f'] as const;

const isProductLabel = (label: string): label is ProductLabel => (PRODUCT_LABELS as readonly string[]).includes(label);

export function labelColor(label: string): string {
  if (isProductLabel(label)) return STYLE[label].color;
  let hash = 0;
  for (const ch of label) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return FALLBACK_COLORS[hash % FALLBACK_COLORS.length] ?? '#5f6368';
}

export function labelEmoji(label: string): string | null {
  return isProductLabel(label) ? STYLE[label].emoji : null;
}

/** The product's labels first, then any others in the order given, without repeats. */
export function orderLabels(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set<string>([...PRODUCT_LABELS, ...lists.flat()])];
}

/**
 * A classifier's label set: the product labels its outputs map to (models.json `labelMap`: a label
 * not named maps to itself, null drops it), in display order.
 */
export function modelLabels(model: { labels: readonly string[]; labelMap: Readonly<Record<string, string | null>> }, product: readonly string[] = PRODUCT_LABELS): string[] {
  const mapped = new Set(model.labels.map((l) => mapLabel(model.labelMap, l)));
  return product.filter((l) => mapped.has(l));
}
