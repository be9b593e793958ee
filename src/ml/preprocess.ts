// Any context: image tensors in, model-ready tensors out (letterbox, crops, grey, normalization).
import { letterbox, type Letterbox, toCropAndResizeBox } from '../core/boxes';
import type { ModelInput } from '../core/models';
import type { PixelBox } from '../core/types';
import { tf } from './tf';

/** An RGBA pixel buffer, as ImageData has (and as Node tools build from decoded files). */
export interface PixelData {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

export type ImageInput = tf.Tensor3D | PixelData | ImageBitmap | HTMLCanvasElement | HTMLVideoElement;

export function isPixelData(x: unknown): x is PixelData {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x && !(x instanceof tf.Tensor);
}

/** Any supported input as an int32 [H, W, 3] tensor (0..255). The caller disposes it unless it passed a tensor. */
export function toImageTensor(input: ImageInput): { image: tf.Tensor3D; owned: boolean } {
  if (input instanceof tf.Tensor) {
    if (input.rank !== 3 || input.shape[2] !== 3) throw new Error(`expected an [height, width, 3] tensor, got [${input.shape.join(', ')}]`);
    return { image: input, owned: false };
  }
  const width = input.width;
  const height = input.height;
  if (!width || !height) throw new Error(`empty image (${width}x${height})`);
  if (isPixelData(input)) {
    const { data } = input;
    if (data.length !== width * height * 4) throw new Error(`pixel buffer has ${data.length} bytes, expected ${width * height * 4} (RGBA)`);
    const rgb = new Int32Array(width * height * 3);
    for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
      rgb[j] = data[i] ?? 0;
      rgb[j + 1] = data[i + 1] ?? 0;
      rgb[j + 2] = data[i + 2] ?? 0;
    }
    return { image: tf.tensor3d(rgb, [height, width, 3], 'int32'), owned: true };
  }
  return { image: tf.browser.fromPixels(input as Exclude<ImageInput, tf.Tensor3D | PixelData>), owned: true };
}

/** (x - mean) / std per channel, on a float [N, H, W, C] batch. */
export function normalize(batch: tf.Tensor4D, input: ModelInput): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.sub(batch, tf.tensor1d(input.mean)), tf.tensor1d(input.std)));
}

const LUMA = [0.2989, 0.587, 0.114];

/**
 * RGB -> grey with ITU-R 601 luma weights (what FER-style grey models were trained on), in
 * `channels` identical channels (3 for grey models that take RGB), as one matMul: on wasm, tf.tile
 * over the channel axis is slow.
 */
export function toGrey(batch: tf.Tensor4D, channels = 1): tf.Tensor4D {
  const [n, h, w] = batch.shape;
  return tf.tidy(() => {
    const weights = tf.tensor2d(Array.from({ length: 3 * channels }, (_, i) => LUMA[Math.floor(i / channels)] ?? 0), [3, channels]);
    return tf.reshape(tf.matMul(tf.reshape(batch, [-1, 3]), weights), [n, h, w, channels]);
  });
}

/**
 * Resize the image into the model input (longer side `input.width`, aspect kept; see letterbox:
 * square unless `multiple` is given), pad it right/bottom with black and normalize.
 */
export function letterboxInput(image: tf.Tensor3D, input: ModelInput, multiple?: number): { batch: tf.Tensor4D; box: Letterbox } {
  const [h, w] = image.shape;
  const box = letterbox(w, h, input.width, multiple);
  const batch = tf.tidy(() => {
    const resized = tf.image.resizeBilinear(tf.cast(image, 'float32') as tf.Tensor3D, [box.imageHeight, box.imageWidth]);
    const padded = tf.pad(resized, [
      [0, box.height - box.imageHeight],
      [0, box.width - box.imageWidth],
      [0, 0],
    ]);
    return normalize(tf.expandDims(padded, 0), input);
  });
  return { batch, box };
}

/** Crop and resize face boxes (pixels; may extend past the image, padded black) into a normalized batch. */
export function cropBatch(image: tf.Tensor3D, crops: readonly PixelBox[], input: ModelInput): tf.Tensor4D {
  const [h, w] = image.shape;
  return tf.tidy(() => {
    const img = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
    const ind = tf.tensor1d(crops.map(() => 0), 'int32');
    const boxes = tf.tensor2d(crops.map((c) => toCropAndResizeBox(c, w, h)), [crops.length, 4]);
    let batch = tf.image.cropAndResize(img, boxes, ind, [input.height, input.width], 'bilinear', 0) as tf.Tensor4D;
    if (input.channels === 1) batch = toGrey(batch);
    else if (input.grey) batch = toGrey(batch, 3);
    return normalize(batch, input);
  });
}
