// Node (tests): a face sheet as the page cuts it (FrameGrabber.captureFaces): each face's
// classifier crop from its own image, bilinear, side by side, as RGBA pixels.
import { FACE_CROP_SCALE, squareCrop } from '../../src/core/boxes';
import type { PixelBox } from '../../src/core/types';
import type { PixelData } from '../../src/ml/preprocess';
import { tf } from '../../src/ml/tf';

export function faceSheet(parts: ReadonlyArray<{ image: PixelData; box: PixelBox }>, cell: number): PixelData {
  const rgb = tf.tidy(() =>
    tf.concat(
      parts.map(({ image: f, box }) => {
        const img = tf.tensor4d(Float32Array.from(f.data.filter((_, k) => k % 4 !== 3)), [1, f.height, f.width, 3]);
        const c = squareCrop(box, FACE_CROP_SCALE);
        const b = tf.tensor2d([[c.y / f.height, c.x / f.width, (c.y + c.height) / f.height, (c.x + c.width) / f.width]]);
        return tf.squeeze(tf.image.cropAndResize(img, b, tf.tensor1d([0], 'int32'), [cell, cell]), [0]);
      }),
      1,
    ),
  );
  const values = rgb.dataSync();
  rgb.dispose();
  const n = values.length / 3;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    data[i * 4] = values[i * 3]!;
    data[i * 4 + 1] = values[i * 3 + 1]!;
    data[i * 4 + 2] = values[i * 3 + 2]!;
    data[i * 4 + 3] = 255;
  }
  return { data, width: cell * parts.length, height: cell };
}
