// Node CLI (`npm run train:probe`): which frozen backbone, at which input size, is worth training a
// head on. For each candidate: median ms per face (one 48 px face in, features out, wasm) and the
// validation macro-F1 of one fixed head trained on a FER+ train subset (no augmentation, no search).
// The same fixed head is also trained on wild train photos and scored on wild valid within each
// source (OAHEGA: angry/happy/sad; webcam-colour: angry/happy/neutral/sad), since FER+ alone does
// not predict real faces. Prints one table: what cheaper inputs and the paper's own MobileNet trunk
// would cost in accuracy, and how far frozen features go.
import { parseArgs } from 'node:util';
import { median } from '../lib/metrics';
import { rng } from './training';
import { exitWithError, isMain } from '../lib/cli';
import { initNodeTf, tf } from '../lib/tf-node';
import { FERPLUS_LABELS } from '../lib/ferplus';
import { scoreWithinSources } from '../lib/wild';
import { ferPlusDataset, wildFaces } from './data';
import { type Backbone, extractFeatures, faceApiBackbone, humanBackbone, oahegaBackbone } from './features';
import { createHead, disposeHead, fitStandardizer, predictLogits, standardize, trainEpochs } from './head';

const DEFAULT_BACKBONES = 'human-64,human-48,human-40,faceapi-112,faceapi-96,faceapi-80,oahega-128';
const HEAD = { hidden: [256], dropout: 0.3, l1: 0, l2: 1e-4, lr: 1e-3, mu: 1, batchSize: 512 };
const EPOCHS = 30;

function probeBackbone(id: string): Promise<Backbone> {
  const m = /^(human|faceapi|oahega)-(\d+)$/.exec(id);
  if (m?.[1] === 'human') return humanBackbone(Number(m[2]));
  if (m?.[1] === 'faceapi') return faceApiBackbone(Number(m[2]));
  if (id === 'oahega-128') return oahegaBackbone();
  throw new Error(`unknown backbone ${id} (known: human-<px>, faceapi-<px>, oahega-128)`);
}

async function msPerFace(bb: Backbone): Promise<number> {
  const face = tf.randomUniform([1, 48, 48, 1], 0, 255) as tf.Tensor4D;
  const times: number[] = [];
  for (let i = 0; i < 110; i++) {
    const t0 = performance.now();
    const y = bb.features(face);
    await y.data();
    y.dispose();
    if (i >= 10) times.push(performance.now() - t0); // the first runs set kernels up
  }
  face.dispose();
  return median(times);
}

/** Macro-F1 within each wild source, predictions restricted to the source's classes. */
function wildScores(logits: Float32Array, faces: ReadonlyArray<{ label: number; source: string }>): Record<string, number> {
  const labels: string[] = [...FERPLUS_LABELS];
  const rows = faces.map((f, i) => ({
    source: f.source,
    truth: labels[f.label] ?? '',
    probs: Object.fromEntries(labels.map((l, c) => [l, logits[i * labels.length + c] ?? -Infinity])),
  }));
  return Object.fromEntries(Object.entries(scoreWithinSources(rows)).map(([s, v]) => [s, v.macroF1]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { backbones: { type: 'string', default: DEFAULT_BACKBONES }, train: { type: 'string', default: '8000' }, 'wild-train': { type: 'string', default: '2400' } },
  });
  await initNodeTf();
  const trainFaces = Number(values.train);
  const wildTrainFaces = Number(values['wild-train']);
  const ds = ferPlusDataset(trainFaces);
  const wildTrain = await wildFaces('train', wildTrainFaces);
  const wildValid = await wildFaces('valid');
  console.error(`[probe] FER+ ${ds.train.length} train faces, ${ds.valid.length} valid; head ${JSON.stringify(HEAD)}, ${EPOCHS} epochs`);
  const rows: string[] = [];
  for (const id of values.backbones.split(',')) {
    const bb = await probeBackbone(id);
    const ms = await msPerFace(bb);
    const train = await extractFeatures(bb, ds.train, 0, `ferplus-l${trainFaces}-train`);
    const valid = await extractFeatures(bb, ds.valid, 0, 'ferplus-valid');
    const st = fitStandardizer([train]);
    const head = createHead(HEAD, bb.dim, ds.labels.length, 1);
    trainEpochs(head, standardize(train, st), standardize(valid, st), ds.labels, EPOCHS, rng(3));
    // The same head recipe on wild train photos, early-stopped on wild valid (a probe, not a selection).
    const wTrain = await extractFeatures(bb, wildTrain, 0, `wild-l${wildTrainFaces}-train`);
    const wValid = await extractFeatures(bb, wildValid, 0, 'wild-valid');
    const wst = fitStandardizer([wTrain]);
    const wildHead = createHead(HEAD, bb.dim, ds.labels.length, 1);
    trainEpochs(wildHead, standardize(wTrain, wst), standardize(wValid, wst), ds.labels, EPOCHS, rng(3));
    const wild = wildScores(predictLogits(wildHead, standardize(wValid, wst)), wildValid);
    const pct = (v: number | undefined) => ((v ?? 0) * 100).toFixed(1);
    rows.push(`| ${id} | ${bb.inputSize} px | ${bb.dim} | ${ms.toFixed(2)} | ${pct(head.bestF1)} | ${pct(wild.oahega)} | ${pct(wild['webcam-colour'])} |`);
    console.error(`[probe] ${rows.at(-1)}`);
    disposeHead(head);
    disposeHead(wildHead);
    bb.dispose();
  }
  console.log(
    `| backbone | input | features | ms/face (median, wasm) | FER+ valid macro-F1 % (${trainFaces} train faces, fixed head) | wild valid OAHEGA macro-F1 % (${wildTrain.length} wild train faces) | wild valid webcam-colour macro-F1 % |`,
  );
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
