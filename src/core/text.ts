// Pure: bounded text. Names, titles and ids come from pages (a tile's label, document.title, the
// URL): they are cut to a fixed number of user-perceived characters, never inside one.

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Names shown per participant (a Meet name tag, a Zoom label). */
export const MAX_NAME_GRAPHEMES = 64;
/** Call titles (the page's document.title). */
export const MAX_TITLE_GRAPHEMES = 120;
/** Ids a page influences: call ids from its URL, tile ids. */
export const MAX_ID_GRAPHEMES = 128;

/**
 * At most `max` graphemes (emoji sequences, combining marks and flags stay whole); a cut string
 * ends with '…', which counts towards `max`.
 */
export function truncateGraphemes(text: string, max: number): string {
  if (text.length <= max) return text; // fewer code units than max: fewer graphemes too
  const kept: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (kept.length === max) {
      kept[max - 1] = '…';
      return kept.join('');
    }
    kept.push(segment);
  }
  return text;
}
