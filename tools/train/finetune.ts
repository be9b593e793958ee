// Node: the bridge to the fine-tuning step (tools/train/torch/finetune.py, Debian's python3-torch):
// hands it face-api's trunk weights as float32 in tfjs layouts, runs it, reads back the weights it
// writes (face-api's names and tfjs layouts, head as head/dense<i>) as tensors.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findModel } from '../../src/core/models';
import { loadWeightMap } from '../../src/ml/loader';
import { fsReader, readManifest } from '../lib/node-models';
import { REPO_ROOT } from '../lib/paths';
import { tf } from '../lib/tf-node';
import { TRAIN_CACHE } from './tensors';

export const TRUNK_SOURCE = 'faceapi-expression-f16';
const SCRIPT = join(REPO_ROOT, 'tools', 'train', 'torch', 'finetune.py');

interface WeightRecord {
  name: string;
  shape: number[];
  offset: number;
}

/** float32 weights as <base>.bin plus a <base>.json list of { name, shape, offset } (in floats). */
function writeFloatWeights(base: string, map: tf.NamedTensorMap, names: string[]): void {
  const records: WeightRecord[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const t = map[name];
    if (!t) throw new Error(`weight ${name} missing`);
    const values = Float32Array.from(t.dataSync());
    records.push({ name, shape: t.shape, offset });
    chunks.push(Buffer.from(values.buffer));
    offset += values.length;
  }
  writeFileSync(`${base}.bin`, Buffer.concat(chunks));
  writeFileSync(`${base}.json`, JSON.stringify(records));
}

/** face-api's expression net (trunk dense0..dense3 and its 7-way fc), the fine-tuning's starting point and teacher. */
export async function exportInitialWeights(): Promise<string> {
  const entry = findModel(readManifest(), TRUNK_SOURCE, 'emotion');
  const map = await loadWeightMap(entry, fsReader());
  const base = join(TRAIN_CACHE, 'init');
  mkdirSync(TRAIN_CACHE, { recursive: true });
  writeFloatWeights(
    base,
    map,
    Object.keys(map).filter((n) => n.startsWith('dense') || n.startsWith('fc/')),
  );
  tf.dispose(Object.values(map));
  return base;
}

/** The python that has torch: PYTHON, else Debian's /usr/bin/python3 (python3-torch installs there). */
export function torchPython(): string {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const p of candidates) {
    if (spawnSync(p, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0) return p;
  }
  throw new Error('no python with torch found: run `bash tools/scripts/ensure-torch.sh` (apt-get install python3-torch), or set PYTHON');
}

/** Run finetune.py with `args` (its --flags), streaming its log lines to stderr. */
export function runFinetune(args: Record<string, string | number>): Promise<void> {
  const argv = [SCRIPT, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)])];
  return new Promise((resolve, reject) => {
    const child = spawn(torchPython(), argv, { stdio: ['ignore', process.stderr, 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`finetune.py exited with ${code}`))));
  });
}

/** finetune.py's valid scores: combined (mean of FER+, OAHEGA, webcam-colour macro-F1) and per source. */
export interface ValidScores {
  combined: number;
  [source: string]: unknown;
}

/** What finetune.py reports of its search: the best trial, fully trained and calibrated (every field is always written). */
export interface FinetuneResult {
  /** The best trial's number and sampled hyperparameters. */
  trial: number;
  config: Record<string, number>;
  epochs: number;
  history: unknown[];
  size: number;
  valid: ValidScores;
  /** Per-class logit biases from calibration on valid, and the scores after them. */
  calibration: number[];
  validCalibrated: ValidScores;
  minutes: number;
  stopped: unknown;
  seed: number;
  batch: number;
  ferRatio: number;
  /** Wild sources left out of training, the distillation weight, and the fine-tuned weights' share in the mix with the original net. */
  holdOut: string;
  distill: number;
  mix: number;
  /** The trainer's logits for the first valid faces: the tfjs export must reproduce them. */
  reference: { size: number; count: number; logits: number[][] };
}

const RESULT_KEYS = ['trial', 'config', 'epochs', 'history', 'size', 'valid', 'calibration', 'validCalibrated', 'minutes', 'seed', 'batch', 'ferRatio', 'holdOut', 'distill', 'mix', 'reference'] as const;

/** finetune.py's result as written, checked: a missing field is an error naming it, not an undefined later. */
export function parseFinetuneResult(raw: Record<string, unknown>): FinetuneResult {
  for (const k of RESULT_KEYS) if (raw[k] === undefined || raw[k] === null) throw new Error(`finetune.py result lacks ${k}`);
  const r = raw as unknown as FinetuneResult;
  if (typeof r.valid.combined !== 'number' || typeof r.validCalibrated.combined !== 'number') throw new Error('finetune.py result: valid scores lack combined');
  if (!Array.isArray(r.reference.logits) || r.reference.logits.length !== r.reference.count) throw new Error('finetune.py result: reference logits do not match their count');
  return r;
}

export interface FinetuneOutput {
  weights: tf.NamedTensorMap;
  names: string[];
  result: FinetuneResult;
}

/** The weights and result finetune.py wrote to <out>/weights.{json,bin}. */
export function readFinetuneOutput(out: string): FinetuneOutput {
  const meta = JSON.parse(readFileSync(join(out, 'weights.json'), 'utf8')) as Record<string, unknown> & { weights: WeightRecord[] };
  const bin = readFileSync(join(out, 'weights.bin'));
  const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  const weights: tf.NamedTensorMap = {};
  for (const w of meta.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    weights[w.name] = tf.tensor(floats.slice(w.offset, w.offset + n), w.shape, 'float32');
  }
  const { weights: records, ...result } = meta;
  return { weights, names: records.map((w) => w.name), result: parseFinetuneResult(result) };
}
