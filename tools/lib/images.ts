// Node context: decode png/jpg/webp files into RGBA pixel buffers for the pipeline.
import sharp from 'sharp';
import type { PixelData } from '../../src/ml/preprocess';

/** An image file, or an encoded image in memory (a screenshot), as RGBA pixels. */
export async function decodeImageFile(path: string | Buffer): Promise<PixelData> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** A 48x48 grey FER+ face as RGBA. */
export function greyToPixels(grey: Uint8Array, width: number, height: number): PixelData {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i] ?? 0;
    data[i * 4] = v;
    data[i * 4 + 1] = v;
    data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { data, width, height };
}
