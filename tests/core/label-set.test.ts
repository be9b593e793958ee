import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../tools/lib/paths';
import { describe, expect, it } from 'vitest';
import { BASIC_LABELS, labelColor, labelEmoji, modelLabels, orderLabels, PRODUCT_LABELS } from '../../src/core/label-set';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { readManifest } from '../../tools/lib/node-models';

describe('the label set', () => {
  const manifest = readManifest();
  const classifiers = manifest.models.filter((x) => x.task === 'emotion');

  it('is the label set models.json declares, in the same order', () => {
    expect(manifest.labels).toEqual([...PRODUCT_LABELS]);
  });

  it('is the union of what the shipped classifiers are mapped to, each of them to the five basic labels at least', () => {
    const union = new Set<string>();
    for (const m of classifiers) {
      const mapped = m.labels.map((l) => (l in m.labelMap ? m.labelMap[l] : l)).filter((l): l is string => typeof l === 'string');
      for (const l of mapped) expect(PRODUCT_LABELS, `${m.id}: ${l}`).toContain(l);
      mapped.forEach((l) => union.add(l));
      expect(modelLabels(m)).toEqual(expect.arrayContaining([...BASIC_LABELS]));
    }
    expect([...union].sort()).toEqual([...PRODUCT_LABELS].sort());
  });

  it("gives a classifier its own label set in display order: ahegao only for the paper's six-class model", () => {
    const paper = classifiers.find((m) => m.labels.includes('ahegao'));
    expect(paper, 'a six-class classifier ships').toBeDefined();
    expect(modelLabels(paper!)).toEqual(['angry', 'happy', 'neutral', 'sad', 'surprise', 'ahegao']);
    for (const m of classifiers.filter((x) => x !== paper)) expect(modelLabels(m), m.id).toEqual([...BASIC_LABELS]);
    expect(modelLabels({ labels: ['surprised', 'fearful', 'happy'], labelMap: { surprised: 'surprise', fearful: null } })).toEqual(['happy', 'surprise']);
  });

  it('gives each label a distinct colour and an emoji, and any other label a stable colour', () => {
    expect(new Set(PRODUCT_LABELS.map(labelColor)).size).toBe(PRODUCT_LABELS.length);
    for (const l of PRODUCT_LABELS) expect(labelEmoji(l)).toBeTruthy();
    expect(labelColor('contempt')).toBe(labelColor('contempt'));
    expect(labelEmoji('contempt')).toBeNull();
  });

  it('is what settings show by default, and comes first in any list', () => {
    expect(DEFAULT_SETTINGS.visibleLabels).toEqual([...PRODUCT_LABELS]);
    expect(orderLabels(['contempt', 'happy'])).toEqual([...PRODUCT_LABELS, 'contempt']);
  });
});

describe('label colours in the charts', () => {
  /** WCAG 2.1 contrast ratio of two #rrggbb colours. */
  const contrast = (a: string, b: string) => {
    const lum = (hex: string) => {
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
    };
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };
  /** The popup's page background in the light and the dark theme, as its style sheet sets them. */
  const backgrounds = [...readFileSync(join(REPO_ROOT, 'entrypoints', 'popup', 'style.css'), 'utf8').matchAll(/--bg:\s*#([0-9a-f]{6}|[0-9a-f]{3})\b/gi)].map((m) =>
    m[1]!.length === 3 ? `#${[...m[1]!].map((c) => c + c).join('')}` : `#${m[1]}`,
  );

  it('every label (and any other label a model brings) stands out 3:1 from the popup in both themes (WCAG 1.4.11)', () => {
    expect(backgrounds).toHaveLength(2);
    for (const label of [...PRODUCT_LABELS, 'contempt', 'disgust', 'fear', 'calm']) {
      for (const bg of backgrounds) expect(contrast(labelColor(label), bg), `${label} on ${bg}`).toBeGreaterThanOrEqual(3);
    }
  });
});
