// Node: training data for the frozen-backbone probe (npm run train:probe): FER+ (train/valid/test,
// five labels by plurality vote) and the wild photos, as 48x48 grey faces.
import sharp from 'sharp';
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

/** The wild photos of the scored sources as 48x48 grey faces (labels in FER+ order), with their source. */
export async function wildFaces(split: WildSplit, limit?: number): Promise<Array<Face & { source: string }>> {
  const labels: string[] = [...FERPLUS_LABELS];
  let rows = readWild(split).filter((r) => WILD_SOURCES[r.source]?.includes(r.label));
  if (limit) rows = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / limit)) === 0);
  return Promise.all(
    rows.map(async (r) => {
      const { data, info } = await sharp(r.path).greyscale().toColourspace('b-w').resize(48, 48, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
      return { grey: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height, label: labels.indexOf(r.label), source: r.source };
    }),
  );
}
