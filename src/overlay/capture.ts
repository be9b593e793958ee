// Content script: grab one frame of a tile as a small JPEG for the offscreen ML host.
import { fitWithin, FRAME_JPEG_QUALITY, MAX_FRAME_SIDE } from '../core/geometry';
import type { PixelBox } from '../core/types';
import { HAVE_CURRENT_DATA, isVideo, type TileMedia } from '../sites/types';

import type { FramePayload } from '../messaging/offscreen';

export type CaptureResult =
  | { ok: true; frame: FramePayload; width: number; height: number; mainThreadMs: number }
  | { ok: false; reason: 'no-frame' | 'unreadable' | 'blank' | 'protected'; detail?: string };

/** The media's own pixel size (a video's frames, a canvas's buffer), not its size on the page. */
export function sourceSize(media: TileMedia): { width: number; height: number } {
  return isVideo(media) ? { width: media.videoWidth, height: media.videoHeight } : { width: media.width, height: media.height };
}

export function hasFrame(media: TileMedia): boolean {
  if (isVideo(media)) return media.readyState >= HAVE_CURRENT_DATA && media.videoWidth > 0;
  return media.width > 0 && media.height > 0;
}

/** A canvas whose WebGL drawing buffer was already cleared reads back as fully transparent (probed at the centre of width x height). */
function looksBlank(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): boolean {
  const probe = ctx.getImageData(Math.floor(width / 2) - 4, Math.floor(height / 2) - 4, 8, 8).data;
  for (let i = 3; i < probe.length; i += 4) if (probe[i] !== 0) return false;
  return true;
}

/** The part of the media a tile's frame shows, in the media's own pixels: `crop`, else all of it. */
export function frameSource(media: TileMedia, crop?: PixelBox): PixelBox {
  return crop ?? { x: 0, y: 0, ...sourceSize(media) };
}

/** The pixels of a tile's frame as sent: its media (or `crop` of it), downscaled to MAX_FRAME_SIDE. */
export function frameSizeOf(media: TileMedia, crop?: PixelBox): { width: number; height: number } {
  const src = frameSource(media, crop);
  return fitWithin(src.width, src.height, MAX_FRAME_SIDE);
}

let jpegsEncoding = 0;
/** Frames whose JPEG is being encoded now (coalesce's afterTask lets them join their tick's batch). */
export const encodesInFlight = (): number => jpegsEncoding;

export class FrameGrabber {
  private canvas: OffscreenCanvas | null = null;

  private context(width: number, height: number): OffscreenCanvasRenderingContext2D | null {
    this.canvas ??= new OffscreenCanvas(width, height);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    return this.canvas.getContext('2d', { willReadFrequently: false });
  }

  /**
   * Copy the tile's current frame (only `crop`, in the media's own pixels, when the tile is a region
   * of a shared media element); `mainThreadMs` is the synchronous part (what the page feels).
   */
  capture(media: TileMedia, crop?: PixelBox): Promise<CaptureResult> {
    const src = frameSource(media, crop);
    const { width, height } = frameSizeOf(media, src);
    // Nearest-neighbour downscale (see grab): less main-thread time than a filtered drawImage of a
    // video frame (docs/decisions.md).
    return this.grab(media, width, height, 'jpeg', 'frame', (ctx) => ctx.drawImage(media, src.x, src.y, src.width, src.height, 0, 0, width, height));
  }

  /**
   * Copy only the faces: a sheet of `cell`-pixel squares side by side (the classifier's input size),
   * square i being `crops[i]` (the classifier's square crop, in the media's own pixels). A tracked
   * frame needs nothing else, and a sheet is a few percent of a frame's pixels, so it travels raw
   * (no encode, no decode).
   */
  captureFaces(media: TileMedia, crops: readonly PixelBox[], cell: number): Promise<CaptureResult> {
    return this.grab(media, cell * crops.length, cell, 'raw', 'sheet', (ctx) =>
      crops.forEach((c, i) => ctx.drawImage(media, c.x, c.y, c.width, c.height, i * cell, 0, cell, cell)),
    );
  }

  private async grab(
    media: TileMedia,
    width: number,
    height: number,
    encoding: 'jpeg' | 'raw',
    kind: 'frame' | 'sheet',
    paint: (ctx: OffscreenCanvasRenderingContext2D) => void,
  ): Promise<CaptureResult> {
    // Encrypted media (EME/DRM) never yields its pixels, to a canvas or to a tab capture.
    if (isVideo(media) && media.mediaKeys) return { ok: false, reason: 'protected', detail: 'protected (DRM) video' };
    if (!hasFrame(media)) return { ok: false, reason: 'no-frame' };
    let mainThreadMs = 0;
    const ctx = this.context(width, height);
    if (!ctx || !this.canvas) return { ok: false, reason: 'unreadable', detail: 'no 2d context' };
    const canvas = this.canvas;
    // Frames: nearest neighbour (cheapest; the models resample). Sheets: filtered, as the classifier's own crops are.
    const sheet = kind === 'sheet';
    ctx.imageSmoothingEnabled = sheet;
    const draw = () => {
      const t = performance.now();
      // A video frame is opaque and covers the canvas; a page's canvas may be transparent (see
      // looksBlank), and a face crop may reach past the media's edge: cleared pixels read as black
      // (the alpha is dropped), as the classifier's own crops pad.
      if (!isVideo(media) || sheet) ctx.clearRect(0, 0, width, height);
      paint(ctx);
      mainThreadMs += performance.now() - t;
    };
    if (!isVideo(media)) {
      // A WebGL canvas without preserveDrawingBuffer only holds its pixels until the frame is
      // presented: copy it from inside an animation frame, after the page's own draw callback.
      await new Promise<void>((resolve) =>
        (media.ownerDocument.defaultView ?? globalThis).requestAnimationFrame(() => {
          draw();
          resolve();
        }),
      );
    } else {
      draw();
    }
    try {
      if (!isVideo(media) && looksBlank(ctx, sheet ? height : width, height)) return { ok: false, reason: 'blank' };
      const t = performance.now();
      if (encoding === 'raw') {
        const data = ctx.getImageData(0, 0, width, height).data.buffer;
        mainThreadMs += performance.now() - t;
        return { ok: true, frame: { kind: 'raw', data, width, height }, width, height, mainThreadMs };
      }
      // Encoding runs off the main thread; only the call itself counts.
      const pending = canvas.convertToBlob({ type: 'image/jpeg', quality: FRAME_JPEG_QUALITY });
      mainThreadMs += performance.now() - t;
      jpegsEncoding++;
      try {
        return { ok: true, frame: { kind: 'jpeg', blob: await pending, width, height }, width, height, mainThreadMs };
      } finally {
        jpegsEncoding--;
      }
    } catch (err) {
      // SecurityError: a cross-origin (tainted) video or canvas; its pixels are not ours to read.
      return { ok: false, reason: 'unreadable', detail: err instanceof Error ? err.name : String(err) };
    }
  }
}
