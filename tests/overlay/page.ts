// Test helpers for the content side in happy-dom: a page of video tiles with a layout (happy-dom lays
// nothing out, so each tile's rectangle is set here), and a window whose clock the test moves
// (timers, animation frames and performance.now), so deadlines and schedules run without waiting.
import type { FrameAnalysis } from '../../src/messaging/offscreen';
import type { Grabber } from '../../src/overlay/sampler';

export interface Clock {
  now(): number;
  /** Move time forward, running every timer and animation frame due on the way, in order. */
  advance(ms: number): Promise<void>;
  readonly pending: number;
}

/** `window` with its timers, animation frames and performance clock replaced by a clock the test moves. */
export function pageWindow(): { win: Window; clock: Clock } {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  const flush = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  const clock: Clock = {
    now: () => now,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await flush();
        const next = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!next) break;
        const [id, t] = next;
        now = Math.max(now, t.at);
        if (t.every !== undefined) t.at += Math.max(1, t.every);
        else timers.delete(id);
        t.fn();
      }
      now = end;
      await flush();
    },
    get pending() {
      return timers.size;
    },
  };
  const add = (fn: () => void, ms = 0, every?: number) => (timers.set(++seq, { at: now + Math.max(0, ms), fn, ...(every === undefined ? {} : { every }) }), seq);
  const overrides: Record<string, unknown> = {
    setTimeout: (fn: () => void, ms?: number) => add(fn, ms),
    clearTimeout: (id: number) => timers.delete(id),
    setInterval: (fn: () => void, ms?: number) => add(fn, ms, ms ?? 0),
    clearInterval: (id: number) => timers.delete(id),
    requestAnimationFrame: (fn: (t: number) => void) => add(() => fn(now), 16),
    cancelAnimationFrame: (id: number) => timers.delete(id),
    performance: { now: () => now, timeOrigin: 1_700_000_000_000 },
  };
  const win = new Proxy(window, {
    get(target, key) {
      if (typeof key === 'string' && key in overrides) return overrides[key];
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { win, clock };
}

/** Give an element a rectangle on the page (viewport CSS px). */
export function place(el: Element, rect: { x: number; y: number; width: number; height: number }): void {
  el.getBoundingClientRect = () => ({ ...rect, left: rect.x, top: rect.y, right: rect.x + rect.width, bottom: rect.y + rect.height, toJSON: () => rect }) as DOMRect;
}

/** `n` canvas tiles (640 x 360 pixels, 320 x 180 on the page) side by side in the body. */
export function tilesPage(n: number): HTMLCanvasElement[] {
  document.body.innerHTML = '';
  return Array.from({ length: n }, (_, i) => {
    const c = document.createElement('canvas');
    c.id = `c${i}`;
    c.width = 640;
    c.height = 360;
    c.style.opacity = '1'; // happy-dom computes no default opacity (a browser says 1)
    place(c, { x: i * 330, y: 0, width: 320, height: 180 });
    document.body.append(c);
    return c;
  });
}

/**
 * Frame capture stands in for FrameGrabber, which needs OffscreenCanvas and a real drawImage (not in
 * happy-dom; the e2e tests run the real one): a JPEG-sized frame, or a sheet of uniform grey cells.
 */
export function fakeGrabber(grey = 128): Grabber & { sheets: number; frames: number } {
  const g = {
    sheets: 0,
    frames: 0,
    async capture() {
      g.frames++;
      return { ok: true as const, frame: { kind: 'jpeg' as const, blob: new Blob([new Uint8Array(10)]), width: 480, height: 270 }, width: 480, height: 270, mainThreadMs: 1 };
    },
    async captureFaces(_media: unknown, crops: readonly unknown[], cell: number) {
      g.sheets++;
      const width = cell * crops.length;
      const data = new Uint8ClampedArray(width * cell * 4).fill(grey).buffer;
      return { ok: true as const, frame: { kind: 'raw' as const, data, width, height: cell }, width, height: cell, mainThreadMs: 1 };
    },
  };
  return g;
}

/** What the ML host answers for one frame: one face, happy, at the frame's centre (or the tracked boxes again). */
export function analysisOf(req: { tileId: string; frameTime: number; faces?: ReadonlyArray<{ box: { x: number; y: number; width: number; height: number } }> }, label = 'happy'): FrameAnalysis {
  const boxes = req.faces?.map((f) => f.box) ?? [{ x: 200, y: 80, width: 80, height: 80 }];
  const probabilities = { angry: 0.05, happy: 0.05, neutral: 0.05, sad: 0.05, surprise: 0.05, [label]: 0.8 };
  return {
    tileId: req.tileId,
    frameTime: req.frameTime,
    faces: boxes.map((box) => ({ box, score: 0.9, label, probabilities })),
    backend: 'wasm',
    ms: { detect: req.faces ? 0 : 5, classify: 3 },
    input: { width: 480, height: 270 },
    detected: !req.faces,
    offscreenMs: { receivedAt: 0, decode: 1, total: 9 },
    batch: { frames: 1, faces: boxes.length },
    generation: 'host:1',
  };
}
