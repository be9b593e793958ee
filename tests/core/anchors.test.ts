import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLAZEFACE_BACK_ANCHORS, blazeFaceAnchors, FACE_API_SSD_ANCHORS, ssdAnchors, ssdBoxSpecs } from '../../src/ml/logic/anchors';
import { initNodeTf, tf } from '../../tools/lib/tf-node';

describe('ssdAnchors', () => {
  it('has 3 boxes per cell on the 32x32 layer and 6 elsewhere (5118 for a 512 px input)', () => {
    const specs = ssdBoxSpecs(FACE_API_SSD_ANCHORS);
    expect(specs.map((s) => s.length)).toEqual([3, 6, 6, 6, 6, 6]);
    expect(ssdAnchors(FACE_API_SSD_ANCHORS)).toHaveLength(32 * 32 * 3 + (16 * 16 + 8 * 8 + 4 * 4 + 2 * 2 + 1) * 6);
  });

  it('puts the first anchor at the first cell centre with the 0.1 lowest-layer box', () => {
    const [a] = ssdAnchors(FACE_API_SSD_ANCHORS);
    const c = 0.5 / 32;
    expect(a!.ymin).toBeCloseTo(c - 0.05, 6);
    expect(a!.xmax).toBeCloseTo(c + 0.05, 6);
  });

  it('matches the anchor tensor face-api ships with the model (Output/extra_dim)', async () => {
    await initNodeTf();
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
    const groups = JSON.parse(readFileSync(join(dir, 'ssd_mobilenetv1_model-weights_manifest.json'), 'utf8')) as Array<{
      weights: tf.io.WeightsManifestEntry[];
    }>;
    const bin = readFileSync(join(dir, 'ssd_mobilenetv1_model.bin'));
    const map = tf.io.decodeWeights(
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      groups.flatMap((g) => g.weights),
    );
    const shipped = map['Output/extra_dim']!.dataSync();
    const ours = ssdAnchors(FACE_API_SSD_ANCHORS).flatMap((a) => [a.ymin, a.xmin, a.ymax, a.xmax]);
    expect(ours).toHaveLength(shipped.length);
    const maxErr = ours.reduce((m, v, i) => Math.max(m, Math.abs(v - shipped[i]!)), 0);
    expect(maxErr).toBeLessThan(1e-4); // the shipped tensor was computed in float32
    tf.dispose(Object.values(map));
  });
});

describe('blazeFaceAnchors', () => {
  it('gives 16x16x2 + 8x8x6 = 896 anchor centres in [0, 1]', () => {
    const anchors = blazeFaceAnchors(BLAZEFACE_BACK_ANCHORS);
    expect(anchors).toHaveLength(896);
    expect(anchors[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16 });
    expect(anchors[1]).toEqual(anchors[0]);
    expect(anchors[2]).toEqual({ x: 1.5 / 16, y: 0.5 / 16 });
    expect(anchors[512]).toEqual({ x: 0.5 / 8, y: 0.5 / 8 });
    expect(anchors[895]).toEqual({ x: 7.5 / 8, y: 7.5 / 8 });
  });
  it('covers a 256 x 160 input with 16x10x2 + 8x5x6 anchors, row by row', () => {
    const anchors = blazeFaceAnchors(BLAZEFACE_BACK_ANCHORS, 256, 160);
    expect(anchors).toHaveLength(16 * 10 * 2 + 8 * 5 * 6);
    expect(anchors[2]).toEqual({ x: 1.5 / 16, y: 0.5 / 10 });
    expect(anchors[32]).toEqual({ x: 0.5 / 16, y: 1.5 / 10 });
    expect(anchors[320]).toEqual({ x: 0.5 / 8, y: 0.5 / 5 });
    expect(anchors.at(-1)).toEqual({ x: 7.5 / 8, y: 4.5 / 5 });
  });
});
