// Any context: loads a model's files by its models.json entry, checks size and sha256, decodes weights.
import type { ModelEntry } from '../core/models';
import { type GraphModel, loadGraphModel, tf } from './tf';

/** Reads a file relative to public/models (fetch in the extension, fs in Node). */
export type ModelFileReader = (path: string) => Promise<ArrayBuffer>;

export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`model file ${file}: ${message}`);
    this.name = 'ModelFileError';
  }
}

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readVerified(entry: ModelEntry, read: ModelFileReader): Promise<Map<string, ArrayBuffer>> {
  const out = new Map<string, ArrayBuffer>();
  for (const file of entry.files) {
    let data: ArrayBuffer;
    try {
      data = await read(file.path);
    } catch (err) {
      throw new ModelFileError(file.path, `cannot be read (${err instanceof Error ? err.message : String(err)})`);
    }
    if (data.byteLength !== file.bytes) {
      throw new ModelFileError(file.path, `is corrupt: ${data.byteLength} bytes, expected ${file.bytes}`);
    }
    const digest = hex(await crypto.subtle.digest('SHA-256', data));
    if (digest !== file.sha256) throw new ModelFileError(file.path, `is corrupt: sha256 ${digest} does not match models.json`);
    out.set(file.path, data);
  }
  return out;
}

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

async function readModel(entry: ModelEntry, read: ModelFileReader) {
  const files = await readVerified(entry, read);
  const jsonPath = `${entry.id}/model.json`;
  const jsonBuf = files.get(jsonPath);
  if (!jsonBuf) throw new ModelFileError(jsonPath, 'is not listed in models.json');
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonBuf)) as ModelJson;
  } catch (err) {
    throw new ModelFileError(jsonPath, `is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => `${entry.id}/${p}`));
  const buffers = shards.map((p) => {
    const b = files.get(p);
    if (!b) throw new ModelFileError(p, 'is not listed in models.json');
    return b;
  });
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const weightData = tf.io.concatenateArrayBuffers(buffers);
  return { json, weightSpecs, weightData };
}

/** A tfjs weights manifest run by our own op graph (face-api architectures). */
export async function loadWeightMap(entry: ModelEntry, read: ModelFileReader): Promise<tf.NamedTensorMap> {
  const { weightSpecs, weightData } = await readModel(entry, read);
  try {
    return tf.io.decodeWeights(weightData, weightSpecs);
  } catch (err) {
    throw new ModelFileError(`${entry.id}/weights.bin`, `cannot be decoded (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * `anyInputSize`: the graph's image input takes any height and width (its placeholder pins the
 * size it was exported at, which a fully convolutional graph does not need).
 */
export async function loadGraph(entry: ModelEntry, read: ModelFileReader): Promise<GraphModel> {
  return (await loadGraphAndWeights(entry, read, () => false)).model;
}

/** A node of a graph model's topology (model.json), as far as callers read it. */
export interface GraphNode {
  name: string;
  op?: string;
  input?: string[];
  attr?: { shape?: { shape?: { dim?: Array<{ size?: string }> } } };
}

/** Placeholders of rank 4 (NHWC images) get a free height and width. */
function freeImageSize(nodes: GraphNode[]): void {
  for (const n of nodes) {
    const dim = n.op === 'Placeholder' ? n.attr?.shape?.shape?.dim : undefined;
    if (dim?.length === 4) for (const i of [1, 2]) dim[i] = { size: '-1' };
  }
}

/**
 * A graph model plus the named weights that the graph itself does not use (e.g. a trained head
 * stored alongside a frozen backbone). `extra` picks them by name.
 */
export async function loadGraphAndWeights(
  entry: ModelEntry,
  read: ModelFileReader,
  extra: (name: string) => boolean,
  opts: { anyInputSize?: boolean } = {},
): Promise<{ model: GraphModel; weights: tf.NamedTensorMap; metadata: Record<string, unknown>; nodes: readonly GraphNode[] }> {
  const { json, weightSpecs, weightData } = await readModel(entry, read);
  const nodes = (json.modelTopology as { node?: GraphNode[] } | undefined)?.node ?? [];
  if (opts.anyInputSize) freeImageSize(nodes);
  const extraSpecs = weightSpecs.filter((w) => extra(w.name));
  let weights: tf.NamedTensorMap = {};
  if (extraSpecs.length > 0) {
    const all = tf.io.decodeWeights(weightData, weightSpecs);
    for (const [name, t] of Object.entries(all)) {
      if (extra(name)) weights[name] = t;
      else t.dispose();
    }
  }
  try {
    const model = await loadGraphModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs, weightData }),
    );
    return { model, weights, metadata: json.userDefinedMetadata ?? {}, nodes };
  } catch (err) {
    tf.dispose(Object.values(weights));
    weights = {};
    throw new ModelFileError(`${entry.id}/model.json`, `cannot be loaded as a graph model (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Fetch-based reader for extension pages: files ship in the extension under `baseUrl`. */
export function fetchReader(baseUrl: string): ModelFileReader {
  return async (path) => {
    const res = await fetch(new URL(path, baseUrl));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.arrayBuffer();
  };
}
