// Any extension context (written by the background only): the call history as versions before 0.2
// kept it (one `calls` item, v1-v3), read only to move it into records once (migrateLegacyCalls).
import { storage } from 'wxt/utils/storage';
import { callBytes } from './retention';
import { type CallSummary } from './summary';
import { upgradeSummary } from './summary-stored';
import { readIds, writeRecords } from './store';
import { objectOrEmpty } from '../storage/shape';

/** Version 1 kept calls as an array; participants had no per-label frame counts. */
export interface CallsV1 {
  calls: Array<Omit<CallSummary, 'participants'> & { participants: Array<Omit<CallSummary['participants'][number], 'countByLabel'>> }>;
}

/** v1 -> v2: keyed by id (one upsert per checkpoint), participants gain countByLabel (zeros: unknown). */
export function migrateCallsV1(old: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const list = (old as Partial<CallsV1> | null)?.calls;
  if (!Array.isArray(list)) return out;
  for (const c of list) {
    if (typeof c !== 'object' || c === null || typeof c.id !== 'string') continue;
    out[c.id] = {
      ...c,
      participants: Array.isArray(c.participants)
        ? c.participants.map((p) => ({ ...p, countByLabel: Object.fromEntries((c.labels ?? []).map((l) => [l, 0])) }))
        : c.participants,
    };
  }
  return out;
}

/** v2 -> v3: every record's per-minute timeline becomes slots of 1 min (upgradeSummary); the rest as it was. */
export function migrateCallsV2(old: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(objectOrEmpty(old)).map(([k, v]) => [k, upgradeSummary(v)]));
}

/** The history before records (v1-v3): read only to move it into records (migrateLegacyCalls). */
export const callsItem = storage.defineItem<Record<string, unknown>>('local:calls', {
  fallback: {},
  version: 3,
  migrations: { 2: migrateCallsV1, 3: migrateCallsV2 },
});

/** Legacy records moved per storage call: small beside the 10 MB a pre-0.2 install had in all. */
export const MIGRATE_CHUNK_BYTES = 256 * 1024;

/**
 * Move a v1-v3 history (one `calls` item) into records and the index, in chunks: each chunk's records
 * go in, then the old item is rewritten without them, so the two copies never need more room than one
 * chunk (a history near the old 10 MB quota moves too). An interruption at any point is redone at the
 * next start, losing nothing (a record written twice is the same record).
 */
export async function migrateLegacyCalls(): Promise<void> {
  if ((await storage.getItem('local:calls')) === null) return;
  let rest = Object.entries((await callsItem.getValue()) ?? {}).filter(([id]) => id !== ''); // its own migrations bring v1 and v2 to v3 first
  let chunkBytes = MIGRATE_CHUNK_BYTES;
  while (rest.length > 0) {
    // At least one record a chunk, then as many as fit chunkBytes.
    let size = 0;
    let n = 0;
    for (const [id, rec] of rest) {
      const bytes = callBytes(id, rec, null);
      if (n > 0 && size + bytes > chunkBytes) break;
      size += bytes;
      n++;
    }
    try {
      await writeRecords(await readIds(), rest.slice(0, n));
    } catch (err) {
      // Too little room for this chunk beside the old item: smaller chunks, down to one record.
      if (n === 1) throw err;
      chunkBytes = Math.max(1, Math.floor(size / 2));
      continue;
    }
    rest = rest.slice(n);
    await callsItem.setValue(Object.fromEntries(rest));
  }
  await callsItem.removeValue({ removeMeta: true });
}

