// Offscreen document: tab-capture streams (one per tab) and cropping a tile's rectangle out of them.
// This document is the one owner of capture state: the background's worker may restart at any time
// and asks here (capturingTabs) instead of remembering.
import { contentRect, fitWithin, MAX_FRAME_SIDE } from '@/src/core/geometry';
import { TAB_CAPTURE_STOPPED } from '@/src/messaging/offscreen';

/** `url`: the tab's page when its capture started (the background stops a capture whose tab left that call). */
const streams = new Map<number, { video: HTMLVideoElement; stream: MediaStream; url: string }>();
let canvas: HTMLCanvasElement | null = null;

export async function startTabCapture(tabId: number, streamId: string, url: string): Promise<{ width: number; height: number }> {
  stopTabCapture(tabId);
  // Chrome's tab-capture constraints (chromeMediaSource) are not in the standard typings.
  const constraints = { audio: false, video: { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: streamId } } } as unknown as MediaStreamConstraints;
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  await video.play();
  streams.set(tabId, { video, stream, url });
  // The tab closed or Chrome ended the capture: forget it, so that a later start captures afresh.
  for (const track of stream.getVideoTracks()) {
    track.addEventListener('ended', () => {
      if (streams.get(tabId)?.stream === stream) stopTabCapture(tabId);
    });
  }
  return { width: video.videoWidth, height: video.videoHeight };
}

export function stopTabCapture(tabId: number): void {
  const s = streams.get(tabId);
  if (!s) return;
  for (const track of s.stream.getTracks()) track.stop();
  s.video.srcObject = null;
  streams.delete(tabId);
}

/** Tabs whose capture is running (live video track), with the page each started on. */
export function capturingTabs(): Array<{ tabId: number; url: string }> {
  return [...streams.entries()].filter(([, s]) => s.stream.getVideoTracks().some((t) => t.readyState === 'live')).map(([tabId, s]) => ({ tabId, url: s.url }));
}

/** The tile's rectangle from the latest captured tab frame, downscaled like content-side frames. */
export function cropTabRegion(
  tabId: number,
  rect: { x: number; y: number; width: number; height: number },
  viewport: { width: number; height: number },
): HTMLCanvasElement {
  const { video } = streams.get(tabId) ?? {};
  if (!video) throw new Error(TAB_CAPTURE_STOPPED);
  if (video.videoWidth === 0) throw new Error('tab capture has no frame yet');
  // Chrome letterboxes the tab into the stream's frame size, keeping its aspect ratio.
  const page = contentRect(video.videoWidth, video.videoHeight, viewport.width, viewport.height, 'contain');
  const s = page.width / viewport.width;
  const src = { x: page.x + rect.x * s, y: page.y + rect.y * s, width: rect.width * s, height: rect.height * s };
  const out = fitWithin(src.width, src.height, MAX_FRAME_SIDE);
  canvas ??= document.createElement('canvas');
  canvas.width = out.width;
  canvas.height = out.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(video, src.x, src.y, src.width, src.height, 0, 0, out.width, out.height);
  return canvas;
}
