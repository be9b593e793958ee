// Node: training data. FER+ (train/valid/test, five labels by plurality vote) or any folder-per-class
// dataset (e.g. the paper's Oahega layout: <dir>/<label>/*.jpg), split deterministically.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { rng, shuffled } from '../../src/core/training';
import { FERPLUS_LABELS, readFerPlus } from '../lib/ferplus';
import { readWild, WILD_SOURCES, type WildSplit } from '../lib/wild';
import type { Face } from './features';

export interface Dataset {
  name: string;
  labels: string[];
  train: Face[];
  valid: Face[];
  test: Face[];
}

export function ferPlusDataset(limit?: number): Dataset {
  const labels: string[] = [...FERPLUS_LABELS];
  const faces = (split: 'train' | 'valid' | 'test') =>
    readFerPlus(split, { limit: split === 'train' ? limit : undefined }).map((r) => ({ grey: r.pixels(), width: 48, height: 48, label: labels.indexOf(r.label) }));
  return { name: 'ferplus', labels, train: faces('train'), valid: faces('valid'), test: faces('test') };
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp']);

/** Every sub-folder is a class (sorted by name); images are split 80/10/10 per class with a seeded shuffle. */
export async function folderDataset(dir: string, seed: number): Promise<Dataset> {
  const labels = readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort();
  if (labels.length < 2) throw new Error(`${dir}: expected one sub-folder per class, found ${labels.length}`);
  const ds: Dataset = { name: dir, labels, train: [], valid: [], test: [] };
  const random = rng(seed);
  for (const [label, name] of labels.entries()) {
    const files = shuffled(
      readdirSync(join(dir, name))
        .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
        .sort(),
      random,
    );
    for (const [i, f] of files.entries()) {
      const { data, info } = await sharp(join(dir, name, f)).greyscale().toColourspace('b-w').resize(48, 48, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
      const face: Face = { grey: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height, label };
      const r = i / files.length;
      (r < 0.8 ? ds.train : r < 0.9 ? ds.valid : ds.test).push(face);
    }
  }
  return ds;
}

/** The wild photos of the scored sources as 48x48 grey faces (labels in FER+ order), with their source. */
export async function wildFaces(split: WildSplit, limit?: number): Promise<Array<Face & { source: string }>> {
  const labels: string[] = [...FERPLUS_LABELS];
  let rows = readWild(split).filter((r) => r.source !== 'posed-unknown' && WILD_SOURCES[r.source]?.includes(r.label));
  if (limit) rows = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / limit)) === 0);
  return Promise.all(
    rows.map(async (r) => {
      const { data, info } = await sharp(r.path).greyscale().toColourspace('b-w').resize(48, 48, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
      return { grey: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height, label: labels.indexOf(r.label), source: r.source };
    }),
  );
}
