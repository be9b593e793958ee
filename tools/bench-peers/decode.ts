// Page (https://bench.local/decode.html, bundled by tools/lib/peer-pages.ts): turns fixture videos into
// the JPEG frames the extension analyzes and tiles frames into 2x2 mosaics, with the extension's own
// frame rules (src/core/geometry: the side limit, fitWithin, the JPEG quality). Driven via page.evaluate.
// The fixture clips are 360x360; in a call page (tests/e2e/fixtures/meet.html) each one fills a
// 480x270 tile with `object-fit: cover`, and the extension crops that tile rectangle, fitted to
// 480 px (entrypoints/offscreen/tab-capture.ts) and JPEG-encoded at quality 0.85
// (src/overlay/capture.ts). `fit: 'cover'` reproduces that frame; `fit: 'within'` keeps the
// clip's own aspect ratio (what capturing the <video> element itself gives).

import { fitWithin, FRAME_JPEG_QUALITY, MAX_FRAME_SIDE } from '../../src/core/geometry';

async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64ToBlob(b64: string, type = 'image/jpeg'): Blob {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

const encode = (canvas: HTMLCanvasElement) => new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', FRAME_JPEG_QUALITY));

function once(target: HTMLVideoElement, event: string, timeoutMs = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    target.addEventListener(event, () => { clearTimeout(timer); resolve(); }, { once: true });
    target.addEventListener('error', () => { clearTimeout(timer); reject(new Error(`media error ${target.error?.code}: ${target.error?.message}`)); }, { once: true });
  });
}

/**
 * Decode `url` at `fps` for the first `seconds` s by seeking (deterministic: every frame is the one
 * shown at t = i / fps). The file is fetched whole and played from a blob: URL so seeking never
 * depends on HTTP range support.
 */
async function decodeVideo(url: string, { fps = 4, seconds = 10, width: tileW = 480, height: tileH = 270, fit = 'cover' }: { fps?: number; seconds?: number; width?: number; height?: number; fit?: 'cover' | 'within' } = {}) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const objectUrl = URL.createObjectURL(await res.blob());
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.src = objectUrl;
  await once(video, 'loadeddata');
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  // Source rectangle: centred cover crop (object-position 50% 50%) or the whole frame.
  let src = { x: 0, y: 0, w: vw, h: vh };
  let { width, height } = fitWithin(vw, vh, MAX_FRAME_SIDE);
  if (fit === 'cover') {
    const scale = Math.max(tileW / vw, tileH / vh);
    src = { x: (vw - tileW / scale) / 2, y: (vh - tileH / scale) / 2, w: tileW / scale, h: tileH / scale };
    ({ width, height } = fitWithin(tileW, tileH, MAX_FRAME_SIDE));
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const duration = Number.isFinite(video.duration) ? video.duration : seconds;
  const frames: Array<{ t: number; jpeg: string }> = [];
  for (let i = 0; i < Math.round(seconds * fps); i++) {
    const t = i / fps;
    if (t >= duration) break;
    const seeked = once(video, 'seeked');
    video.currentTime = t;
    await seeked;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(video, src.x, src.y, src.w, src.h, 0, 0, width, height);
    frames.push({ t, jpeg: await blobToBase64(await encode(canvas)) });
  }
  URL.revokeObjectURL(objectUrl);
  return { source: { width: vw, height: vh, duration }, width, height, fit, frames };
}

/** Tile `jpegs` (base64, up to 4) into a 2x2 grid of `cell` sized cells; returns base64 JPEG. */
async function mosaic(jpegs: string[], cell = { width: 480, height: 270 }): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = cell.width * 2;
  canvas.height = cell.height * 2;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < jpegs.length && i < 4; i++) {
    const bitmap = await createImageBitmap(base64ToBlob(jpegs[i]!));
    // Fit each frame inside its cell, centred (frames are 16:9 like the cell in practice).
    const scale = Math.min(cell.width / bitmap.width, cell.height / bitmap.height);
    const w = bitmap.width * scale;
    const h = bitmap.height * scale;
    ctx.drawImage(bitmap, (i % 2) * cell.width + (cell.width - w) / 2, Math.floor(i / 2) * cell.height + (cell.height - h) / 2, w, h);
    bitmap.close();
  }
  return blobToBase64(await encode(canvas));
}

Object.assign(window, { prep: { decodeVideo, mosaic }, prepReady: true });
