import { BASIC_LABELS } from '../../src/core/label-set';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findModel, parseModelsManifest } from '../../src/core/models';
import { readManifest } from '../../tools/lib/node-models';
import { MODELS_DIR } from '../../tools/lib/paths';

describe('public/models/models.json', () => {
  const manifest = readManifest();

  it('lists every file with its exact size and sha256', () => {
    for (const m of manifest.models) {
      expect(m.files.length).toBeGreaterThan(0);
      let total = 0;
      for (const f of m.files) {
        const p = join(MODELS_DIR, f.path);
        expect(statSync(p).size, f.path).toBe(f.bytes);
        expect(createHash('sha256').update(readFileSync(p)).digest('hex'), f.path).toBe(f.sha256);
        total += f.bytes;
      }
      expect(m.bytes, m.id).toBe(total);
    }
  });

  it('records task, input, labels, source and licence for every model', () => {
    for (const m of manifest.models) {
      expect(['face-detection', 'emotion', 'person-detection']).toContain(m.task);
      expect(m.input.width).toBeGreaterThan(0);
      expect(m.input.mean).toHaveLength(m.input.channels);
      // npm-sourced, trained here on top of an npm-sourced backbone, or converted from the paper's own file in ../shared.
      expect(m.source.package).toMatch(/^(tools\/train on )?@vladmandic\/|^\.\.\/shared\/models\//);
      expect(m.source.version).toMatch(/^\d+\.\d+\.\d+|^sha256:[0-9a-f]{12}$/);
      expect(m.licence).toBeTruthy();
      // the data each model learnt from, with their terms: the picker shows it
      expect(m.trainedOn, m.id).toMatch(/\w{4,}/);
      if (m.task === 'emotion') {
        // the five basic labels must be reachable from every classifier's outputs
        const reachable = new Set(m.labels.map((l) => (l in m.labelMap ? m.labelMap[l] : l)));
        for (const l of BASIC_LABELS) expect(reachable, `${m.id} -> ${l}`).toContain(l);
      }
    }
  });

  it('has the six product labels and defaults that exist with the right task', () => {
    expect(manifest.labels).toEqual(['angry', 'happy', 'neutral', 'sad', 'surprise', 'ahegao']);
    expect(findModel(manifest, manifest.defaults.detector, 'face-detection').task).toBe('face-detection');
    expect(findModel(manifest, manifest.defaults.classifier, 'emotion').task).toBe('emotion');
    // the person detector a faceless tile is checked with (issue 39)
    expect(findModel(manifest, manifest.defaults.person ?? '', 'person-detection').architecture).toBe('movenet');
  });
  it('the default classifier is calibrated (a percentage shown only where it means what it says) with a fitted threshold', () => {
    const c = findModel(manifest, manifest.defaults.classifier, 'emotion').calibration;
    expect(c, 'run npm run eval -- calibration').toBeDefined();
    expect(c!.temperature).toBeGreaterThan(0);
    expect(c!.uncertainBelow).toBeGreaterThanOrEqual(0.2);
    expect(c!.uncertainBelow).toBeLessThan(0.9);
  });

  it('rejects malformed manifests with a clear message', () => {
    expect(() => parseModelsManifest({})).toThrow(/version/);
    expect(() => parseModelsManifest({ version: 1, labels: [], defaults: { detector: 'x', classifier: 'y' }, models: [] })).toThrow(/default model x/);
    expect(() => findModel(manifest, 'nope', 'emotion')).toThrow(/unknown model id "nope"/);
    expect(() => findModel(manifest, manifest.defaults.detector, 'emotion')).toThrow(/not emotion/);
  });
});
