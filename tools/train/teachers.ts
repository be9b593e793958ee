// Node (tfjs wasm): a shipped peer classifier's probabilities on every training face, for the
// fine-tuning's distillation (torch/finetune.py --teachers). face-api's net is distilled from inside
// torch on each augmented face; a peer that torch cannot run (human's mini-Xception, a tfjs graph)
// is distilled from its outputs on the clean face, computed once here through the real pipeline.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline } from '../../src/ml/pipeline';
import type { PixelData } from '../../src/ml/preprocess';
import { fsReader, readManifest } from '../lib/node-models';
import type { TensorIndex, TensorSet } from './tensors';

/** The sets a teacher labels: the training rows. */
const TEACHER_SETS = ['ferplus-train', 'wild-train'] as const;

/** File of `teacher`'s probabilities for `set`: float32 [n, labels.length] in the index's label order. */
export function teacherFile(set: string, teacher: string): string {
  return `${set}.${teacher}.f32`;
}

/** Row i of a [n, h, w, c] uint8 set as RGBA pixels. */
function rowPixels(bytes: Buffer, s: TensorSet, i: number): PixelData {
  const [, h, w, c] = s.shape;
  const data = new Uint8ClampedArray(w * h * 4);
  const base = i * w * h * c;
  for (let p = 0; p < w * h; p++) {
    for (let k = 0; k < 3; k++) data[p * 4 + k] = bytes[base + p * c + (c === 1 ? 0 : k)] ?? 0;
    data[p * 4 + 3] = 255;
  }
  return { data, width: w, height: h };
}

/** Write (once per data folder) `teacher`'s probabilities over the index's labels for each training set. */
export async function exportTeacherProbs(dir: string, index: TensorIndex, teacher: string): Promise<void> {
  const todo = TEACHER_SETS.filter((set) => !existsSync(join(dir, teacherFile(set, teacher))));
  if (todo.length === 0) return;
  const p = await createPipeline({ manifest: readManifest(), read: fsReader(), classifier: teacher, faces: 'whole', backend: { order: ['wasm'] }, warmup: false });
  try {
    for (const set of todo) {
      const s = index.sets[set];
      if (!s) throw new Error(`training data lacks ${set}`);
      const bytes = readFileSync(join(dir, s.file));
      const out = new Float32Array(s.shape[0] * index.labels.length);
      const t0 = performance.now();
      for (let i = 0; i < s.shape[0]; i++) {
        const probs = (await p.analyze(rowPixels(bytes, s, i))).faces[0]?.probabilities;
        if (!probs) throw new Error(`${teacher} gave no result for ${set} row ${i}`);
        index.labels.forEach((l, k) => {
          out[i * index.labels.length + k] = probs[l] ?? 0;
        });
      }
      writeFileSync(join(dir, teacherFile(set, teacher)), Buffer.from(out.buffer));
      console.error(`[train] ${teacher} on ${set}: ${s.shape[0]} faces in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    p.dispose();
  }
}
