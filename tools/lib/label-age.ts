// Node: label ages (metrics.ts labelAges) of the frame timings the background keeps, for the
// benchmarks that read them from the built extension (bench:browser, bench:cpu).
import type { TimingSample } from '../../src/messaging/background';
import { labelAges } from './metrics';

/** Label ages of the background's timing samples (`at` is arrival; the frame was sampled totalMs before). */
export const sampleLabelAges = (samples: readonly TimingSample[]): number[] => labelAges(samples.map((s) => ({ tile: s.tileId, sampledAt: s.at - s.totalMs, doneAt: s.at })));
