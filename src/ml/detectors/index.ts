// Any context: stage 1, face detection: one interface, one file per architecture in models.json
// (as tfjs-models' create_detector). Adding an architecture: its file and one line in DETECTORS.
import type { ModelEntry } from '../../core/models';
import type { Candidate } from '../../core/types';
import type { ModelFileReader } from '../loader';
import type { tf } from '../tf';
import { createBlazeFaceDetector } from './blazeface';
import { createSsdDetector } from './ssd';

export interface FaceDetector {
  readonly entry: ModelEntry;
  /** Scored candidates (before NMS) in corners normalized to the image. */
  detect(image: tf.Tensor3D, minScore: number): Promise<Candidate[]>;
  dispose(): void;
}

/** models.json's detector architectures, each with its loader. */
const DETECTORS: Readonly<Record<string, (entry: ModelEntry, read: ModelFileReader) => Promise<FaceDetector>>> = {
  'ssd-mobilenetv1': createSsdDetector,
  blazeface: createBlazeFaceDetector,
};

export function createDetector(entry: ModelEntry, read: ModelFileReader): Promise<FaceDetector> {
  const create = DETECTORS[entry.architecture];
  if (!create) throw new Error(`model ${entry.id}: ${entry.architecture} is not a face detector`);
  return create(entry, read);
}
