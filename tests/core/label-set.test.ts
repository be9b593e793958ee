import { describe, expect, it } from 'vitest';
import { labelColor, labelEmoji, orderLabels, PRODUCT_LABELS } from '../../src/core/label-set';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { readManifest } from '../../tools/lib/node-models';

describe('the label set', () => {
  const manifest = readManifest();

  it('is the label set models.json declares, in the same order', () => {
    expect(manifest.labels).toEqual([...PRODUCT_LABELS]);
  });

  it('covers what every shipped classifier is mapped to', () => {
    for (const m of manifest.models.filter((x) => x.task === 'emotion')) {
      const mapped = m.labels.map((l) => (l in m.labelMap ? m.labelMap[l] : l)).filter((l): l is string => typeof l === 'string');
      for (const l of mapped) expect(PRODUCT_LABELS, `${m.id}: ${l}`).toContain(l);
    }
  });

  it('gives each label a distinct colour and an emoji, and any other label a stable colour', () => {
    expect(new Set(PRODUCT_LABELS.map(labelColor)).size).toBe(PRODUCT_LABELS.length);
    for (const l of PRODUCT_LABELS) expect(labelEmoji(l)).toBeTruthy();
    expect(labelColor('ahegao')).toBe(labelColor('ahegao'));
    expect(labelEmoji('ahegao')).toBeNull();
  });

  it('is what settings show by default, and comes first in any list', () => {
    expect(DEFAULT_SETTINGS.visibleLabels).toEqual([...PRODUCT_LABELS]);
    expect(orderLabels(['ahegao', 'happy'])).toEqual([...PRODUCT_LABELS, 'ahegao']);
  });
});
