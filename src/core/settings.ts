// Pure: the user's settings, their defaults and their validation (stored values are checked on read).

/**
 * What the overlay may cost the machine. A mode sets the sampling rate (the fps setting, which the
 * user may then fine-tune), how many frames of a tracked face go between two full detections, and
 * the ML host's CPU budget for a tab (a share of one core: sampling slows down past it, src/overlay/logic/budget).
 * `npm run bench:cpu -- --modes battery,smooth` measures them beside the default. Balanced detects
 * at most every 12 frames (2 s): on the talking clips its labels differ from per-frame detection no
 * more often than at 9, with 15% fewer detections (`npm run eval -- detect-interval`, docs/benchmarks.md).
 */
import { PRODUCT_LABELS } from './label-set';
/** Who the overlay analyzes (Settings.analyze). */
export type AnalyzeMode = 'everyone' | 'me';
/** Names kept in Settings.excludedNames at most. */
export const MAX_EXCLUDED = 500;

/** Settings.excludedNames' entry for a person on a site. */
export const excludedName = (site: string, name: string): string => `${site}:${name}`;

export const PERFORMANCE_MODES = {
  battery: { name: 'Battery saver', fps: 3, detectEvery: 6, maxDetectEvery: 9, cpuShare: 0.25 },
  balanced: { name: 'Balanced', fps: 6, detectEvery: 3, maxDetectEvery: 12, cpuShare: 0.5 },
  smooth: { name: 'Smooth', fps: 10, detectEvery: 2, maxDetectEvery: 12, cpuShare: 1 },
} as const;
export type PerformanceMode = keyof typeof PERFORMANCE_MODES;

export interface Settings {
  /** What the overlay may cost: fps, how often faces are fully detected, the CPU budget (PERFORMANCE_MODES). */
  performanceMode: PerformanceMode;
  /** Target analyzed frames per second per tile. */
  fps: number;
  /** Faces smaller than this (CSS px of the analyzed frame) are ignored. */
  minFaceSize: number;
  /** Frames averaged per face label (the paper averaged 4). */
  smoothingWindow: number;
  chipStyle: 'text' | 'emoji';
  showBoxes: boolean;
  /** Labels drawn on chips; others are still counted in summaries. */
  visibleLabels: string[];
  /** Calls older than this many days are deleted. 0 keeps them forever. */
  retentionDays: number;
  /** The call history's size limit (MB of everything it stores): past it, the oldest unstarred calls go. */
  historyBudgetMB: number;
  /**
   * Who is analyzed: 'everyone' (every face in every tile) or 'me' (only the user's own self view:
   * no other tile is sampled or sent to the ML host). Chosen at first run; switched from the popup or
   * the shortcut, mid-call too.
   */
  analyze: AnalyzeMode;
  /** People never analyzed, by name per site: `<site>:<name>` (Settings lists and removes them). */
  excludedNames: string[];
  /** The face detector and emotion classifier (models.json ids); null: models.json's defaults. */
  detector: string | null;
  classifier: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  performanceMode: 'balanced',
  fps: 6,
  minFaceSize: 20,
  smoothingWindow: 4,
  chipStyle: 'text',
  showBoxes: true,
  visibleLabels: [...PRODUCT_LABELS],
  retentionDays: 90,
  historyBudgetMB: 100,
  analyze: 'everyone',
  excludedNames: [],
  detector: null,
  classifier: null,
};

export const SETTINGS_LIMITS = {
  fps: { min: 0.5, max: 15 },
  minFaceSize: { min: 8, max: 200 },
  smoothingWindow: { min: 1, max: 15 },
  retentionDays: { min: 0, max: 3650 },
  // The extension holds unlimitedStorage: the limit is the user's; 1 MB holds about 130 half-hour calls.
  historyBudgetMB: { min: 1, max: 10_000 },
} as const;

function num(v: unknown, fallback: number, { min, max }: { min: number; max: number }): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** A model id as stored (an id the running version does not ship falls back to the default where models load). */
const modelId = (v: unknown): string | null => (typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(v) ? v : null);

/** Any stored value -> valid Settings: unknown keys dropped, bad values replaced by defaults, numbers clamped. */
export function validateSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  return {
    performanceMode: typeof r.performanceMode === 'string' && r.performanceMode in PERFORMANCE_MODES ? (r.performanceMode as PerformanceMode) : d.performanceMode,
    fps: num(r.fps, d.fps, SETTINGS_LIMITS.fps),
    minFaceSize: num(r.minFaceSize, d.minFaceSize, SETTINGS_LIMITS.minFaceSize),
    smoothingWindow: Math.round(num(r.smoothingWindow, d.smoothingWindow, SETTINGS_LIMITS.smoothingWindow)),
    chipStyle: r.chipStyle === 'emoji' ? 'emoji' : 'text',
    showBoxes: typeof r.showBoxes === 'boolean' ? r.showBoxes : d.showBoxes,
    visibleLabels: Array.isArray(r.visibleLabels) ? r.visibleLabels.filter((l): l is string => typeof l === 'string') : d.visibleLabels,
    retentionDays: Math.round(num(r.retentionDays, d.retentionDays, SETTINGS_LIMITS.retentionDays)),
    historyBudgetMB: Math.round(num(r.historyBudgetMB, d.historyBudgetMB, SETTINGS_LIMITS.historyBudgetMB)),
    analyze: r.analyze === 'me' ? 'me' : 'everyone',
    excludedNames: Array.isArray(r.excludedNames) ? [...new Set(r.excludedNames.filter((n): n is string => typeof n === 'string' && n.length <= 200))].slice(0, MAX_EXCLUDED) : d.excludedNames,
    detector: modelId(r.detector),
    classifier: modelId(r.classifier),
  };
}

/**
 * What validateSettings had to replace in a stored value (for the popup): a value that is not
 * settings at all, or a known key whose value has the wrong type or is not one of its choices.
 * Missing keys (an older version's settings) and numbers out of range (clamped) are not problems.
 */
export function settingsProblems(raw: unknown): string[] {
  if (raw === null || raw === undefined) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) return [`settings skipped: ${JSON.stringify(raw)} is not an object; using the defaults`];
  const r = raw as Record<string, unknown>;
  const valid = validateSettings(r) as unknown as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    if (!(key in r)) continue;
    const v = r[key];
    const ok =
      typeof DEFAULT_SETTINGS[key] === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : Array.isArray(DEFAULT_SETTINGS[key])
          ? Array.isArray(v) && v.every((x) => typeof x === 'string')
          : v === valid[key];
    if (!ok) problems.push(`setting ${key} skipped: ${JSON.stringify(v)} is not valid; using ${JSON.stringify(valid[key])}`);
  }
  return problems;
}

/** The history's rules (retention.ts) as the user set them. */
export function historyRules(s: Pick<Settings, 'retentionDays' | 'historyBudgetMB'>): { retentionDays: number; budgetBytes: number } {
  return { retentionDays: s.retentionDays, budgetBytes: s.historyBudgetMB * 1024 * 1024 };
}
