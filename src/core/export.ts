// Pure: call summaries as CSV (one row per call and participant) and JSON.
import { type CallSummary, dominant, durationMs, shares } from './summary';

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Quote anything with a delimiter, quote or newline; neutralize spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function callsToCsv(calls: readonly CallSummary[]): string {
  const labels = [...new Set(calls.flatMap((c) => c.labels))];
  const header = ['call_id', 'site', 'title', 'start', 'end', 'duration_s', 'frames', 'backend', 'detector', 'classifier', 'participant', 'participant_frames', 'dominant', ...labels.map((l) => `share_${l}`)];
  const rows = [header.join(',')];
  for (const c of calls) {
    const base = [c.id, c.site, c.title, new Date(c.start).toISOString(), new Date(c.end).toISOString(), (durationMs(c) / 1000).toFixed(1), c.frames, c.backend, c.models?.detector ?? null, c.models?.classifier ?? null];
    const people = c.participants.length > 0 ? c.participants : [null];
    for (const p of people) {
      const sh = p ? shares(p, c.labels) : {};
      rows.push(
        [...base, p ? (p.name ?? p.key) : null, p ? p.frames : 0, p ? dominant(sh) : null, ...labels.map((l) => (p ? (sh[l] ?? 0).toFixed(4) : null))]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

export function callsToJson(calls: readonly CallSummary[]): string {
  return `${JSON.stringify({ format: 'emotion-overlay-calls', version: 1, exportedAt: new Date().toISOString(), calls }, null, 2)}\n`;
}
