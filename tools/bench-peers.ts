// Node CLI (`npx tsx tools/bench-peers.ts [--seconds=20] [--runs=40] [--peer=human] [--fit=cover|within]`): runs the two peer pipelines,
// @vladmandic/face-api (SSD-MobileNetV1 + faceExpressionNet) and @vladmandic/human (default face
// detector + emotion), in headless Debian Chromium on the frames our extension analyzes (480x270
// JPEG q0.85 tiles, plus 2x2 960x540 mosaics), on tfjs-backend-wasm (SIMD, no threads). Each peer
// gets its own fresh browser and an isolated page (tools/bench-peers/peers.html) served, like the
// libraries, models and wasm binaries, from node_modules through context.route; nothing else loads.
// Writes artifacts/bench-peers.json and prints markdown tables. The harness is tools/lib/peers.ts.
import { parseArgs } from 'node:util';
import { exitWithError, isMain } from './lib/cli';
import { decodeFixtureFrames } from './lib/peer-pages';
import { peerTables } from './lib/peer-tables';
import { benchPeers, type PeerName, PEERS, PEERS_ARTIFACT } from './lib/peers';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, runs: { type: 'string', default: '40' }, peer: { type: 'string', multiple: true }, fit: { type: 'string', default: 'cover' } } });
  const frames = await decodeFixtureFrames({ fit: values.fit === 'within' ? 'within' : 'cover' });
  const peers = (values.peer as PeerName[] | undefined)?.filter((p) => PEERS.includes(p));
  const report = await benchPeers({ frames, seconds: Number(values.seconds), runs: Number(values.runs), peers: peers?.length ? peers : undefined });
  const { results } = report;
  console.log(peerTables(results));
  console.log(`\nChromium ${report.chromium}; ${report.frames.singles} tile frames + ${report.frames.mosaics} mosaics; throughput ${report.seconds} s; ${report.runs} latency runs.`);
  console.log(`Aborted requests: ${report.aborted.length ? report.aborted.join(', ') : 'none'}`);
  for (const r of results) if (r.console.length) console.log(`\n${r.peer} console:\n  ${r.console.slice(0, 10).join('\n  ')}`);
  console.log(`\nwrote ${PEERS_ARTIFACT}`);
}

if (isMain(import.meta.url)) main().catch(exitWithError);
