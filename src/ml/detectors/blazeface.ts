// Any context: BlazeFace (back camera model), the default face detector: fully convolutional, with keypoints.
import { BLAZEFACE_BACK_ANCHORS, blazeFaceAnchors } from '../logic/anchors';
import { unletterbox } from '../../core/boxes';
import { decodeBlazeFace } from '../logic/decode';
import type { ModelEntry } from '../../core/models';
import { type GraphNode, loadGraphAndWeights, type ModelFileReader } from '../loader';
import { letterboxInput } from '../preprocess';
import { type GraphModel, tf } from '../tf';
import type { FaceDetector } from './index';

/**
 * Inputs are padded to a multiple of twice the heads' largest stride (32): whole cells, plus a
 * margin of padding below a 16:9 frame. Padding only to 32 (256 x 160) was 11% faster again but
 * let a 0.58 false positive through on a wall beside a face (fixtures/images/expressions/happy.jpg).
 */
const BLAZEFACE_MAX_STRIDE = 2 * Math.max(...BLAZEFACE_BACK_ANCHORS.layers.map((l) => l.stride));

export async function createBlazeFaceDetector(entry: ModelEntry, read: ModelFileReader): Promise<FaceDetector> {
  // The graph is fully convolutional: a 16:9 frame runs at 256 x 192 rather than padded to a 256 x 256
  // square, the same scale with 25% fewer pixels (docs/decisions.md). Its outputs are read before the graph's fixed-shape
  // reshapes (the heads' biased convolutions), reshaped here to the input's own anchor count.
  const { model, nodes } = await loadGraphAndWeights(entry, read, () => false, { anyInputSize: true });
  let heads: string[];
  try {
    heads = blazeFaceHeads(model, nodes);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const anchorsBySize = new Map<string, ReturnType<typeof blazeFaceAnchors>>();
  return {
    entry,
    async detect(image, minScore) {
      const { batch, box } = letterboxInput(image, entry.input, BLAZEFACE_MAX_STRIDE);
      let outputs: tf.Tensor[];
      try {
        outputs = tf.tidy(() => {
          const out = model.execute(batch, heads) as tf.Tensor4D[];
          const flat = (t: tf.Tensor4D | undefined, c: number) => tf.reshape(t!, [1, -1, c]);
          // Scores and boxes of the stride-16 head, then the stride-32 head (the anchors' order).
          return [tf.concat([flat(out[0], 1), flat(out[2], 1)], 1), tf.concat([flat(out[1], 16), flat(out[3], 16)], 1)];
        });
      } finally {
        batch.dispose();
      }
      try {
        const key = `${box.width}x${box.height}`;
        let anchors = anchorsBySize.get(key);
        if (!anchors) anchorsBySize.set(key, (anchors = blazeFaceAnchors(BLAZEFACE_BACK_ANCHORS, box.width, box.height)));
        const [logits, regs] = await Promise.all(outputs.map((t) => t.data()));
        return decodeBlazeFace(regs ?? [], logits ?? [], 16, anchors, box, minScore).map((c) => ({
          score: c.score,
          box: unletterbox(c.box, box),
          roll: c.roll,
          ...(c.turn === undefined ? {} : { turn: c.turn }),
        }));
      } finally {
        tf.dispose(outputs);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * The four head convolutions feeding the graph's output reshapes, in the order stride-16 scores,
 * stride-16 boxes, stride-32 scores, stride-32 boxes (told apart by channels: 2 or 6 anchors per
 * cell give 2 / 6 scores and 32 / 96 box values).
 */
function blazeFaceHeads(model: GraphModel, nodes: readonly GraphNode[]): string[] {
  const probe = tf.zeros([1, 64, 64, 3]);
  try {
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const inputs = model.outputNodes.map((name) => {
      let node = byName.get(name.replace(/:0$/, ''));
      while (node?.op === 'Identity') node = byName.get(node.input?.[0] ?? '');
      const input = node?.op === 'Reshape' ? node.input?.[0] : undefined;
      if (!input) throw new Error(`blazeface: output ${name} is not a Reshape of a head`);
      return input;
    });
    const outs = model.execute(probe, inputs) as tf.Tensor[];
    const channels = outs.map((o) => o.shape[3]);
    tf.dispose(outs);
    return [2, 32, 6, 96].map((c) => {
      const i = channels.indexOf(c);
      if (i < 0) throw new Error(`blazeface: no head with ${c} channels (found ${channels.join(', ')})`);
      return inputs[i]!;
    });
  } finally {
    probe.dispose();
  }
}

