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

/**
 * (x - mean) / std per channel, on a float [N, H, W, C] batch. On wasm a binary op that broadcasts a
 * [C] vector is about ten times slower than one with a scalar, so one mean and std for every channel
 * is two scalar ops, and per-channel ones are one matMul with a diagonal and a fused bias.
 */
export function normalize(batch: tf.Tensor4D, input: ModelInput): tf.Tensor4D {
  const { mean, std } = input;
  const c = batch.shape[3];
  return tf.tidy(() => {
    if (mean.every((m) => m === mean[0]) && std.every((s) => s === std[0])) return tf.add(tf.mul(batch, tf.scalar(1 / std[0]!)), tf.scalar(-mean[0]! / std[0]!));
    const diagonal = tf.tensor2d(Array.from({ length: c * c }, (_, i) => (i % (c + 1) === 0 ? 1 / std[i / (c + 1)]! : 0)), [c, c]);
    const bias = tf.tensor1d(mean.map((m, i) => -m / std[i]!));
    return tf.reshape(tf.fused.matMul({ a: tf.reshape(batch, [-1, c]) as tf.Tensor2D, b: diagonal, bias }), batch.shape);
  });
}

const LUMA = [0.2989, 0.587, 0.114];

/**
 * A face sheet (RGBA, `count` cells of the model's input size side by side) as the model's normalized
 * float batch [count, H, W, C] in one pass over its pixels: no int tensor, cast, crop-and-resize
 * (a copy at this size) or per-channel normalization ops.
 */
export function sheetBatch(sheet: PixelData, count: number, input: ModelInput): tf.Tensor4D {
  const { width: w, height: h, channels } = input;
  const grey = channels === 1 || input.grey === true;
  const out = new Float32Array(count * h * w * channels);
  const scale = input.std.map((s) => 1 / s);
  const { data } = sheet;
  let o = 0;
  for (let f = 0; f < count; f++) {
    for (let y = 0; y < h; y++) {
      let i = (y * sheet.width + f * w) * 4;
      for (let x = 0; x < w; x++, i += 4) {
        const r = data[i] ?? 0;
        const g = data[i + 1] ?? 0;
        const b = data[i + 2] ?? 0;
        if (grey) {
          const l = LUMA[0]! * r + LUMA[1]! * g + LUMA[2]! * b;
          for (let c = 0; c < channels; c++) out[o++] = (l - input.mean[c]!) * scale[c]!;
        } else {
          out[o++] = (r - input.mean[0]!) * scale[0]!;
          out[o++] = (g - input.mean[1]!) * scale[1]!;
          out[o++] = (b - input.mean[2]!) * scale[2]!;
        }
      }
    }
  }
  return tf.tensor4d(out, [count, h, w, channels]);
}

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
