// Popup (pure): one colour and emoji per emotion label, used by every chart and list.
import { EMOJI } from '@/src/content/overlay';

/** The product's labels, in display order. */
export const DEFAULT_LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'] as const;

const COLORS: Readonly<Record<string, string>> = {
  angry: '#d93025',
  happy: '#f9ab00',
  neutral: '#80868b',
  sad: '#1a73e8',
  surprise: '#9334e6',
};
/** Labels a future model may add still get a stable colour. */
const FALLBACK_COLORS = ['#188038', '#e8710a', '#12b5cb', '#e52592', '#a142f4'] as const;

export function labelColor(label: string): string {
  const known = COLORS[label];
  if (known) return known;
  let hash = 0;
  for (const ch of label) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return FALLBACK_COLORS[hash % FALLBACK_COLORS.length] ?? '#5f6368';
}

export function labelEmoji(label: string): string | null {
  return EMOJI[label] ?? null;
}

/** The default labels first, then any others in the order given, without repeats. */
export function orderLabels(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set<string>([...DEFAULT_LABELS, ...lists.flat()])];
}
