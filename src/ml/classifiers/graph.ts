// Any context: classifiers from a frozen tfjs graph: a whole classifier ('graph-classifier'), or a
// backbone up to `featuresNode`, pooled, with our trained dense head ('graph-features-mlp', tools/train).
import type { ModelEntry } from '../../core/models';
import { loadGraph, loadGraphAndWeights, type ModelFileReader } from '../loader';
import { tf } from '../tf';
import type { ClassifierNet } from './index';
import { denseHead } from './layers';

export async function graphFeaturesMlp(entry: ModelEntry, read: ModelFileReader): Promise<ClassifierNet> {
  const { model, weights, metadata } = await loadGraphAndWeights(entry, read, (n) => n.startsWith('head/'));
  const node = metadata.featuresNode;
  if (typeof node !== 'string') throw new Error(`model ${entry.id}: model.json lacks userDefinedMetadata.featuresNode`);
  const head = denseHead(weights, 'head/dense');
  return {
    run: (x) => head(tf.mean(model.execute(x, node) as tf.Tensor4D, [1, 2]) as tf.Tensor2D),
    release: () => {
      model.dispose();
      tf.dispose(Object.values(weights));
    },
  };
}

export async function graphClassifier(entry: ModelEntry, read: ModelFileReader): Promise<ClassifierNet> {
  const model = await loadGraph(entry, read);
  return { run: (x) => model.execute(x) as tf.Tensor, release: () => model.dispose() };
}
