// Node: a JPEG frame's size read from its header (real JPEGs made with sharp), and the ML host's
// check of it against the size the request declared and the frame limit, before any decode.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_SIDE } from '../../src/core/geometry';
import { jpegFrameRefusal, jpegSize } from '../../src/ml/logic/jpeg';

const jpeg = async (width: number, height: number, opts: { progressive?: boolean; metadata?: boolean } = {}): Promise<Uint8Array> => {
  let image = sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } }).jpeg({ quality: 80, progressive: opts.progressive ?? false });
  // EXIF and an ICC profile: APP segments before the frame header, which the reader must skip.
  if (opts.metadata) image = image.withMetadata({ exif: { IFD0: { Copyright: 'x'.repeat(2000) } } }).withIccProfile('srgb');
  return new Uint8Array(await image.toBuffer());
};

/** `bytes` with its frame header's size rewritten (a JPEG whose header lies about, or exceeds, its size). */
function withHeaderSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 2; i + 8 < out.length; ) {
    const marker = out[i + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      out.set([height >> 8, height & 0xff, width >> 8, width & 0xff], i + 5);
      return out;
    }
    i += 2 + ((out[i + 2]! << 8) | out[i + 3]!);
  }
  throw new Error('no frame header');
}

let small: Uint8Array;
beforeAll(async () => {
  small = await jpeg(64, 48);
});

describe('jpegSize', () => {
  it('reads baseline and progressive JPEGs, with APP segments before the header', async () => {
    expect(jpegSize(small)).toEqual({ width: 64, height: 48 });
    expect(jpegSize(await jpeg(480, 270, { progressive: true }))).toEqual({ width: 480, height: 270 });
    const tagged = await jpeg(33, 17, { metadata: true });
    expect(tagged.length).toBeGreaterThan(2000); // the metadata is really there, ahead of the frame header
    expect(jpegSize(tagged)).toEqual({ width: 33, height: 17 });
  });

  it('null for what is not a JPEG or ends before its frame header', () => {
    expect(jpegSize(new Uint8Array(0))).toBeNull();
    expect(jpegSize(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeNull(); // a PNG
    expect(jpegSize(small.slice(0, 20))).toBeNull();
    // A segment length that points past the end, or below its own length field.
    expect(jpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0, 0]))).toBeNull();
    expect(jpegSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xc0]))).toBeNull();
  });
});

describe('jpegFrameRefusal: the ML host checks a JPEG frame before decoding it', () => {
  it('accepts a frame whose header matches its declared size within the limit', () => {
    expect(jpegFrameRefusal(small, { width: 64, height: 48 }, MAX_FRAME_SIDE)).toBeNull();
  });

  it('refuses a header that disagrees with the declared size, says both', () => {
    expect(jpegFrameRefusal(small, { width: 48, height: 64 }, MAX_FRAME_SIDE)).toBe('JPEG frame: its header says 64×48 px, the request 48×64');
  });

  it('refuses a frame larger than the frame limit, even one that declares it', async () => {
    const big = await jpeg(1920, 1080);
    expect(jpegFrameRefusal(big, { width: 1920, height: 1080 }, MAX_FRAME_SIDE)).toBe(`JPEG frame: 1920×1080 px, larger than the ${MAX_FRAME_SIDE} px frame limit`);
    // A small file whose header claims a huge image (a decompression bomb): refused before decode.
    const bomb = withHeaderSize(small, 60_000, 60_000);
    expect(jpegFrameRefusal(bomb, { width: 64, height: 48 }, MAX_FRAME_SIDE)).toMatch(/60000×60000 px, larger than the 480 px frame limit/);
  });

  it('refuses what is not a JPEG, and a header of 0 lines', () => {
    expect(jpegFrameRefusal(new Uint8Array(10), { width: 64, height: 48 }, MAX_FRAME_SIDE)).toBe('JPEG frame: not a JPEG, or no frame header (SOF) where one should be');
    expect(jpegFrameRefusal(withHeaderSize(small, 64, 0), { width: 64, height: 48 }, MAX_FRAME_SIDE)).toMatch(/64×0 px/);
  });

  it('the frame limit is the capture\'s', () => {
    expect(MAX_FRAME_SIDE).toBe(480);
  });
});
