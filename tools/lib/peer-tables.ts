// Node: the peer benchmark's results (tools/lib/peers.ts) as markdown tables.
import { BASIC_LABELS } from '../../src/core/label-set';
import type { Stats } from './metrics';
import type { PeerResult } from './peers';

const f0 = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(0));
const f1 = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(1));
const mb = (x: number | null | undefined) => (x == null ? '-' : (x / 2 ** 20).toFixed(1));
const st = (s: Stats | undefined) => (s ? `${f0(s.median)} / ${f0(s.p90)}` : '-');

/** Speed, memory and tensors per peer, then faces and top labels per tile. */
export function peerTables(results: PeerResult[]): string {
  const lines = [
    '| peer | backend (simd, threads) | cold start ms (import+backend+models+1st) | 1-face ms lib med/p90 | 1-face ms incl. decode | 4-face ms lib med/p90 | 4-face ms incl. decode | faces/s (frames/s) | faces/frame 1-tile / 2x2 (1-tile frames with a face) | JS heap MB before→cold→end (after GC: cold→end) | tensors cold→end |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (!r.ok) {
      lines.push(`| ${r.peer} | FAILED: ${r.error?.replace(/\|/g, '/').slice(0, 200)} |||||||||| `);
      continue;
    }
    const c = r.coldStart;
    lines.push(
      `| ${r.peer} ${r.version} | ${r.backend} (simd ${r.wasm?.simd}, mt ${r.wasm?.multithread}) | ${f0(c?.totalMs)} (${f0(c?.importMs)}+${f0(c?.backendMs)}+${f0(c?.modelsMs)}+${f0(c?.firstInferenceMs)}) | ${st(r.latency?.oneFace.libMs)} | ${st(r.latency?.oneFace.withDecodeMs)} | ${st(r.latency?.fourFace.libMs)} | ${st(r.latency?.fourFace.withDecodeMs)} | ${f1(r.throughput?.facesPerSecond)} (${f1(r.throughput?.framesPerSecond)}) | ${f1(r.facesPerFrame?.single)} / ${f1(r.facesPerFrame?.mosaic)} (${f0((r.facesPerFrame?.singleHit ?? NaN) * 100)}%) | ${mb(r.heap?.beforeLoad)}→${mb(r.heap?.afterColdStart)}→${mb(r.heap?.end)} (${mb(r.heap?.afterColdStartGc)}→${mb(r.heap?.endGc)}) | ${r.tensors?.afterColdStart}→${r.tensors?.end} |`,
    );
  }
  lines.push('', '| peer | frames | faces/frame | top labels (count of faces) |', '|---|---|---|---|');
  const fmt = (m: Record<string, number> | undefined) =>
    Object.entries(m ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  for (const r of results) {
    if (!r.ok) continue;
    for (const [tile, counts] of Object.entries(r.expressions?.byTile ?? {})) {
      lines.push(`| ${r.peer} | ${tile} | ${f1(r.facesPerFrame?.byTile[tile])} | ${fmt(counts)} |`);
    }
    lines.push(`| ${r.peer} | 2x2 mosaics | ${f1(r.facesPerFrame?.mosaic)} | ${fmt(r.expressions?.mosaic)} |`);
  }
  lines.push('', `\`*\` = label outside our ${BASIC_LABELS.length} basic classes (${BASIC_LABELS.join('/')}).`);
  return lines.join('\n');
}
