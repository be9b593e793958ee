// Page (https://bench.local/peers.html): loads ONE peer library (face-api or human) from
// node_modules through the Playwright route, on tfjs-backend-wasm (SIMD, no threads), and times it
// on JPEG frames handed over from Node. Everything is timed here with performance.now():
//   libMs   = the library call only (canvas in, faces out)
//   totalMs = blob -> createImageBitmap -> drawImage to canvas -> library call
// Driven from tools/lib/peers.ts through page.evaluate.

const ORIGIN = location.origin;
const WASM_PATH = `${ORIGIN}/wasm/`;

const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : null);

/** Peer adapters: load() returns { tf, version, detect(canvas) -> [{ box, score, scores }] }. */
const PEERS = {
  async 'face-api'(timings) {
    let t = performance.now();
    const faceapi = await import('/lib/face-api/face-api.esm.js');
    timings.importMs = performance.now() - t;
    const tf = faceapi.tf;
    t = performance.now();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    tf.setWasmPaths(WASM_PATH);
    if (!(await tf.setBackend('wasm'))) throw new Error('face-api: tf.setBackend("wasm") failed');
    await tf.ready();
    timings.backendMs = performance.now() - t;
    t = performance.now();
    await faceapi.nets.ssdMobilenetv1.loadFromUri('/models/face-api/');
    await faceapi.nets.faceExpressionNet.loadFromUri('/models/face-api/');
    timings.modelsMs = performance.now() - t;
    const options = new faceapi.SsdMobilenetv1Options(); // minConfidence 0.5, maxResults 100
    return {
      tf,
      version: faceapi.version,
      config: { detector: 'ssdMobilenetv1', minConfidence: options.minConfidence, maxResults: options.maxResults, classifier: 'faceExpressionNet' },
      async detect(canvas) {
        const dets = await faceapi.detectAllFaces(canvas, options).withFaceExpressions();
        return dets.map((d) => {
          const b = d.detection.box;
          return { box: [b.x, b.y, b.width, b.height], score: d.detection.score, scores: { ...d.expressions } };
        });
      },
    };
  },

  async human(timings, { defaults = false } = {}) {
    let t = performance.now();
    const mod = await import('/lib/human/human.esm.js');
    timings.importMs = performance.now() - t;
    const Human = mod.Human ?? mod.default;
    const config = {
      backend: 'wasm',
      wasmPath: WASM_PATH,
      wasmPlatformFetch: false,
      modelBasePath: `${ORIGIN}/models/human/`,
      cacheModels: false, // no IndexedDB: every launch is a real cold start
      debug: false,
      async: true,
      warmup: 'none',
      cacheSensitivity: 0,
      skipAllowed: false,
      // Pre-processing filters run as WebGL shaders when WebGL exists; off keeps the whole
      // pipeline on wasm (with default settings the filter is an identity copy anyway).
      filter: { enabled: false, autoBrightness: false },
      gesture: { enabled: false },
      face: {
        enabled: true,
        // maxDetected defaults to 1 in human; raised so multi-face frames are comparable.
        detector: { rotation: false, maxDetected: 10, skipFrames: 0, skipTime: 0 },
        mesh: { enabled: false },
        attention: { enabled: false },
        iris: { enabled: false },
        emotion: { enabled: true, skipFrames: 0, skipTime: 0 },
        description: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
      },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      segmentation: { enabled: false },
    };
    // `defaults`: human's own skipping and caching (what an app built on it gets), for the live run.
    if (defaults) {
      for (const k of ['cacheSensitivity', 'skipAllowed']) delete config[k];
      delete config.face.detector.skipFrames;
      delete config.face.detector.skipTime;
      delete config.face.emotion.skipFrames;
      delete config.face.emotion.skipTime;
    }
    const human = new Human(config);
    const tf = human.tf;
    t = performance.now();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await human.init();
    if (tf.getBackend() !== 'wasm') throw new Error(`human: backend is ${tf.getBackend()}, not wasm`);
    timings.backendMs = performance.now() - t;
    t = performance.now();
    await human.load();
    await human.warmup();
    timings.modelsMs = performance.now() - t;
    const loaded = Object.entries(human.models?.models ?? {}).filter(([, m]) => m).map(([k]) => k);
    return {
      tf,
      version: human.version,
      config: {
        detector: human.config.face.detector.modelPath,
        minConfidence: human.config.face.detector.minConfidence,
        maxDetected: human.config.face.detector.maxDetected,
        classifier: human.config.face.emotion.modelPath,
        emotionMinConfidence: human.config.face.emotion.minConfidence,
        skipFrames: [human.config.face.detector.skipFrames, human.config.face.emotion.skipFrames],
        cacheSensitivity: human.config.cacheSensitivity,
        loadedModels: loaded,
      },
      async detect(canvas) {
        const res = await human.detect(canvas);
        if (res.error) throw new Error(`human.detect: ${res.error}`);
        return res.face.map((f) => ({
          box: [...f.box],
          score: f.boxScore ?? f.score,
          scores: Object.fromEntries((f.emotion ?? []).map((e) => [e.emotion, e.score])),
        }));
      },
    };
  },
};

let peer = null;
const blobs = new Map(); // frame id -> JPEG Blob
const canvases = new Map(); // "WxH" -> canvas

function base64ToBlob(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'image/jpeg' });
}

function canvasFor(width, height) {
  const key = `${width}x${height}`;
  let c = canvases.get(key);
  if (!c) {
    c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    canvases.set(key, c);
  }
  return c;
}

/** Decode + draw (as the offscreen document does) then the library call; both timed. */
async function analyzeFrame(id) {
  const blob = blobs.get(id);
  if (!blob) throw new Error(`unknown frame ${id}`);
  const t0 = performance.now();
  const bitmap = await createImageBitmap(blob);
  const canvas = canvasFor(bitmap.width, bitmap.height);
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  const t1 = performance.now();
  const faces = await peer.detect(canvas);
  const t2 = performance.now();
  return { id, decodeMs: t1 - t0, libMs: t2 - t1, totalMs: t2 - t0, faces };
}

async function tfState(tf) {
  const env = tf.env();
  const m = tf.memory();
  return {
    backend: tf.getBackend(),
    tfjsVersion: tf.version?.['tfjs-core'] ?? tf.version_core ?? null,
    wasmSimd: await env.getAsync('WASM_HAS_SIMD_SUPPORT').catch(() => null),
    wasmMultithread: await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT').catch(() => null),
    threads: typeof tf.getThreadsCount === 'function' ? safe(() => tf.getThreadsCount()) : null,
    numTensors: m.numTensors,
    numBytes: m.numBytes,
  };
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return null;
  }
}

window.bench = {
  /** Store frames as JPEG Blobs (what the extension's offscreen document receives). */
  setFrames(list) {
    for (const { id, b64 } of list) blobs.set(id, base64ToBlob(b64));
    return blobs.size;
  },

  /** Cold start: library import + backend + models + first inference on `firstFrame`. */
  async load(name, firstFrame) {
    if (peer) throw new Error('a peer is already loaded in this page');
    const heapBeforeLoad = heap();
    const timings = {};
    const t0 = performance.now();
    peer = await PEERS[name](timings);
    const first = await analyzeFrame(firstFrame);
    timings.firstInferenceMs = first.libMs;
    timings.firstDecodeMs = first.decodeMs;
    timings.totalMs = performance.now() - t0;
    const state = await tfState(peer.tf);
    return {
      version: peer.version,
      config: peer.config,
      coldStart: timings,
      firstFaces: first.faces.length,
      heapBeforeLoad,
      heapAfterColdStart: heap(),
      state,
    };
  },

  /** One timed analysis per id, in order; returns per-frame results. */
  async analyzeAll(ids) {
    const out = [];
    for (const id of ids) out.push(await analyzeFrame(id));
    return out;
  },

  /** `runs` timed analyses cycling through `ids`. */
  async latency(ids, runs) {
    const out = [];
    for (let i = 0; i < runs; i++) {
      const r = await analyzeFrame(ids[i % ids.length]);
      out.push({ libMs: r.libMs, totalMs: r.totalMs, faces: r.faces.length });
    }
    return out;
  },

  /** Round-robin over `ids` for `seconds` of wall time (decode included); faces and frames per second. */
  async throughput(ids, seconds) {
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    let frames = 0;
    let faces = 0;
    let libMs = 0;
    while (performance.now() < end) {
      const r = await analyzeFrame(ids[frames % ids.length]);
      frames++;
      faces += r.faces.length;
      libMs += r.libMs;
    }
    const elapsed = (performance.now() - t0) / 1000;
    return { seconds: elapsed, frames, faces, facesPerSecond: faces / elapsed, framesPerSecond: frames / elapsed, libShare: libMs / 1000 / elapsed };
  },

  async state() {
    return { heap: heap(), ...(await tfState(peer.tf)) };
  },
};
/**
 * A live call in this page: `clips` play as visible 320x180 tiles; each tile's <video> frame is
 * copied to a 480 px canvas and analyzed at `fps` (one analysis at a time, round-robin over due tiles), for `seconds`.
 * `perTile`: one peer instance per tile (human keeps per-instance caches). Returns per-tile results
 * (sample time, done time, faces) for frames/s and label age.
 */
async function live(name, { clips, fps, seconds, idleSeconds = 0, perTile = false }) {
  const grid = document.createElement('div');
  grid.style.cssText = 'display:grid;grid-template-columns:repeat(3,320px);gap:4px';
  document.body.append(grid);
  const videos = clips.map((clip) => {
    const v = document.createElement('video');
    v.src = `/video/${clip}.webm`; v.muted = true; v.loop = true; v.playsInline = true; v.autoplay = true;
    v.style.cssText = 'width:320px;height:180px;object-fit:cover';
    grid.append(v);
    return v;
  });
  await Promise.all(videos.map((v) => v.play()));
  await new Promise((r) => setTimeout(r, 500));
  // The same call without analysis first (the CPU baseline), then the models load, then the run.
  window.livePhases = [];
  window.livePhases.push('idle');
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  window.livePhases.push('loading');
  const timings = {};
  const instances = [];
  for (let i = 0; i < (perTile ? videos.length : 1); i++) instances.push(await PEERS[name](timings, { defaults: true }));
  const period = 1000 / fps;
  const next = videos.map(() => performance.now());
  const results = videos.map(() => []);
  const start = performance.now();
  window.livePhases.push('live');
  const end = start + seconds * 1000;
  let turn = 0;
  while (performance.now() < end) {
    const now = performance.now();
    let picked = -1;
    for (let k = 0; k < videos.length; k++) {
      const i = (turn + k) % videos.length;
      if (next[i] <= now) { picked = i; break; }
    }
    if (picked < 0) {
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(...next) - now)));
      continue;
    }
    turn = picked + 1;
    next[picked] = Math.max(next[picked] + period, now);
    const sampled = performance.now();
    // The frame copied into a 480 px canvas first, as the extension's content script copies it.
    const v = videos[picked];
    const c = canvasFor(480, Math.round((480 * v.videoHeight) / v.videoWidth) || 270);
    c.getContext('2d').drawImage(v, 0, 0, c.width, c.height);
    const faces = await instances[perTile ? picked : 0].detect(c);
    results[picked].push({ sampled: performance.timeOrigin + sampled, done: performance.timeOrigin + performance.now(), faces: faces.length });
    // Let the page render and run its tasks between analyses, as an app's frame loop does.
    await new Promise((r) => setTimeout(r, 0));
  }
  window.livePhases.push('done');
  return { version: instances[0].version, seconds: (performance.now() - start) / 1000, results };
}
window.bench.live = live;
window.benchReady = true;
