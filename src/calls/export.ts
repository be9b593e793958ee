// Pure: call summaries as CSV (one row per call and participant) and JSON.
import { attentionOf } from './attention';
import type { CallSummary, ParticipantSummary } from './summary';
import { clockMs, dominant, durationMs, shares, uncertainShare } from './summary-read';
import { truncateGraphemes } from '../core/text';

/** Excel reads a CSV file as UTF-8 (names in any script, emoji) only with a byte order mark. */
export const CSV_BOM = '\uFEFF';
/** Text cells are cut (between graphemes) to this: titles and names come from pages. */
export const MAX_CSV_TEXT_GRAPHEMES = 256;

/**
 * OWASP CSV injection: a cell a spreadsheet would read as a formula starts with = + - @ tab or CR
 * (or their full-width forms, which some spreadsheets fold), possibly after spaces or line breaks
 * it trims; such a cell gets a leading ' so it stays text.
 */
const FORMULA_LEADER = /^[\s\u00a0\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const text = truncateGraphemes(v, MAX_CSV_TEXT_GRAPHEMES);
  const safe = FORMULA_LEADER.test(text) ? `'${text}` : text;
  // Quote anything with a delimiter, a quote or a line break.
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The clock a call is summarized on: 'video' (a recorded video's own time) or 'wall' (a live call). */
export const timeBase = (c: CallSummary): 'video' | 'wall' => (c.clock === 'media' ? 'video' : 'wall');


/** "0.0s neutral; 12.4s happy": a participant's moments of change, in seconds on the call's clock. */
export function momentsText(call: CallSummary, p: ParticipantSummary): string {
  return (p.moments ?? []).map((m) => `${(clockMs(call, m.time) / 1000).toFixed(1)}s ${m.label}`).join('; ');
}

export function callsToCsv(calls: readonly CallSummary[]): string {
  const labels = [...new Set(calls.flatMap((c) => c.labels))];
  // A share column a call's classifier cannot produce stays empty for it (not 0: it was never measured).
  // uncertain_share: the participant's face-frames whose label was uncertain, left out of the share_ columns
  // (0 for a call stored before uncertain labels were told apart).
  const header = ['call_id', 'site', 'title', 'start', 'end', 'duration_s', 'frames', 'backend', 'detector', 'classifier', 'participant', 'participant_frames', 'dominant', ...labels.map((l) => `share_${l}`), 'uncertain_share', 'moments', 'time_base', 'face_visible', 'facing_camera', 'someone_away', 'nobody_there'];
  const rows = [header.join(',')];
  for (const c of calls) {
    const base = [c.id, c.site, c.title, new Date(c.start).toISOString(), new Date(c.end).toISOString(), (durationMs(c) / 1000).toFixed(1), c.frames, c.backend, c.models?.detector ?? null, c.models?.classifier ?? null];
    const people = c.participants.length > 0 ? c.participants : [null];
    for (const p of people) {
      const sh = p ? shares(p, c.labels) : {};
      // Attention shares stay empty where they were not measured (a call stored before, a detector without keypoints;
      // someone_away and nobody_there: the person detector never asked for the participant).
      const att = p ? attentionOf(p) : null;
      rows.push(
        [...base, p ? (p.name ?? p.key) : null, p ? p.frames : 0, p ? dominant(sh) : null, ...labels.map((l) => (p && c.labels.includes(l) ? (sh[l] ?? 0).toFixed(4) : null)), p ? uncertainShare(p).toFixed(4) : null, p ? momentsText(c, p) : null, timeBase(c), att?.visible.toFixed(4) ?? null, att?.facing?.toFixed(4) ?? null, att?.away?.toFixed(4) ?? null, att?.nobody?.toFixed(4) ?? null]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${CSV_BOM}${rows.join('\n')}\n`;
}

/** A call as exported: its time base, and each slot's and moment's `videoTime` (seconds) for a video. */
function exported(c: CallSummary) {
  if (c.clock !== 'media') return { ...c, timeBase: timeBase(c) };
  return {
    ...c,
    timeBase: timeBase(c),
    timeline: c.timeline.map((m) => ({ ...m, videoTime: (m.slot * c.timelineStepMs) / 1000 })),
    participants: c.participants.map((p) => ({ ...p, ...(p.moments ? { moments: p.moments.map((m) => ({ ...m, videoTime: m.time / 1000 })) } : {}) })),
  };
}

/**
 * The calls of a file callsToJson wrote, as stored summaries (what the export added for readers,
 * timeBase and videoTime, taken off); each is validated again where it is stored. An error when the
 * file is not such an export.
 */
export function callsFromJson(text: string): { calls: unknown[] } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: 'not a JSON file' };
  }
  const d = doc as { format?: unknown; calls?: unknown } | null;
  if (!d || typeof d !== 'object' || d.format !== 'emotion-overlay-calls' || !Array.isArray(d.calls)) return { error: 'not an Emotion Overlay history export ("Export all JSON")' };
  const strip = (list: unknown) => (Array.isArray(list) ? list.map((x: unknown) => (x && typeof x === 'object' ? (({ videoTime: _, ...rest }) => rest)(x as Record<string, unknown>) : x)) : list);
  const calls = d.calls.map((c: unknown) => {
    if (!c || typeof c !== 'object') return c;
    const { timeBase: _, ...rest } = c as Record<string, unknown>;
    return {
      ...rest,
      timeline: strip(rest.timeline),
      participants: Array.isArray(rest.participants) ? rest.participants.map((p: unknown) => (p && typeof p === 'object' && 'moments' in p ? { ...p, moments: strip((p as { moments: unknown }).moments) } : p)) : rest.participants,
    };
  });
  return { calls };
}

export function callsToJson(calls: readonly CallSummary[]): string {
  return `${JSON.stringify({ format: 'emotion-overlay-calls', version: 2, exportedAt: new Date().toISOString(), calls: calls.map(exported) }, null, 2)}\n`;
}
