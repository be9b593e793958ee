// Any context: the person detector (MoveNet SinglePose Lightning) that tells "nobody there" from
// "someone there, face not visible" in a frame where no face was found (logic/presence.ts).
import type { ModelEntry } from '../core/models';
import { type ModelFileReader, loadGraph } from './loader';
import { personScore } from './logic/presence';
import { tf } from './tf';

export interface PersonDetector {
  readonly entry: ModelEntry;
  /** The frame's person score (0-1: logic/presence.ts personScore). */
  score(image: tf.Tensor3D): Promise<number>;
  dispose(): void;
}

export async function createPersonDetector(entry: ModelEntry, read: ModelFileReader): Promise<PersonDetector> {
  if (entry.architecture !== 'movenet') throw new Error(`model ${entry.id}: ${entry.architecture} is not a person detector`);
  const model = await loadGraph(entry, read);
  const { width, height } = entry.input;
  return {
    entry,
    async score(image) {
      // Padded to a square below and right (black), then resized: the body keeps its proportions.
      const out = tf.tidy(() => {
        const [h, w] = image.shape;
        const side = Math.max(h, w);
        const square = tf.pad(image, [[0, side - h], [0, side - w], [0, 0]]);
        const input = tf.cast(tf.expandDims(tf.image.resizeBilinear(square as tf.Tensor3D, [height, width]), 0), 'int32');
        return model.execute(input) as tf.Tensor;
      });
      try {
        // [1, 1, 17, 3]: y, x, score per keypoint.
        const data = await out.data();
        return personScore(Array.from({ length: data.length / 3 }, (_, k) => data[k * 3 + 2] ?? 0));
      } finally {
        out.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
