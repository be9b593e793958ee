// Popup: formatting of durations, dates, shares and file names in the browser's language (src/i18n), and
// which pages the overlay supports.
import type { AnalyzeMode } from '@/src/core/settings';
import { type SiteHealth, siteHealthProblem } from '@/src/core/site-health';
import { ABSENT_KINDS, type Attention } from '@/src/calls/attention';
import type { CallSummary, ParticipantSummary } from '@/src/calls/summary';
import { callUncertainShare, participantName, uncertainShare } from '@/src/calls/summary-read';
import type { SiteId } from '@/src/core/types';
import { siteNameOf } from '@/src/sites';
import { matchPattern } from '@/src/sites/registry';
import type { PipelineState } from '@/src/messaging/offscreen';
import { siteMatches } from '@/src/sites/matches';
import { plural, t, uiLocale } from '@/src/i18n';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** m:ss below an hour, h:mm:ss from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/** A length of time in words, rounded for a headline: "30 sec", "24 min", "2 hr 5 min" (the browser's language). */
export function formatSpan(ms: number, locale = uiLocale()): string {
  const unit = (n: number, u: 'second' | 'minute' | 'hour') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  const s = Math.max(0, Math.round((Number.isFinite(ms) ? ms : 0) / 1000));
  if (s < 60) return unit(s, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return unit(m, 'minute');
  return m % 60 === 0 ? unit(m / 60, 'hour') : `${unit(Math.floor(m / 60), 'hour')} ${unit(m % 60, 'minute')}`;
}

/** Date and time in the browser's language, e.g. "12 Mar 2025, 14:05". */
export function formatDateTime(ms: number, locale = uiLocale()): string {
  return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "45%" ("45 %" in French and German); `digits` after the decimal point. */
export function formatPercent(share: number, digits = 0): string {
  const v = Number.isFinite(share) ? share : 0;
  return new Intl.NumberFormat(uiLocale(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

/** A share that is neither none nor all never reads "0%" or "100%": near either end, one decimal (0.1% to 99.9%). */
export function formatShare(share: number): string {
  const v = Number.isFinite(share) ? share : 0;
  if (v > 0 && v < 0.01) return formatPercent(Math.max(v, 0.001), 1);
  if (v > 0.99 && v < 1) return formatPercent(Math.min(v, 0.999), 1);
  return formatPercent(v);
}

/** A participant's uncertain labels in their row ("Uncertain labels 12%"); null without any (a call stored before they were told apart, too). */
export function participantUncertainText(p: Pick<ParticipantSummary, 'frames' | 'uncertain'>): string | null {
  const share = uncertainShare(p);
  return share > 0 ? t('participant_uncertain', formatShare(share)) : null;
}

/**
 * Of a participant's analyzed frames, those with no face found where the person detector saw someone
 * ("away") and those where it saw nobody, each only where measured and above 0: a call stored before the
 * person detector was asked (null) shows neither.
 */
export function absentShares(a: Pick<Attention, 'away' | 'nobody'>): Array<{ kind: 'away' | 'nobody'; share: number }> {
  return ABSENT_KINDS.flatMap((kind) => {
    const share = a[kind];
    return share !== null && share > 0 ? [{ kind, share }] : [];
  });
}

/** "Face visible 80% · facing the camera 70% · away from the camera 15% · nobody there 5%": a participant's attention line. */
export function attentionText(a: Attention): string {
  const base = a.facing === null ? t('attention_visible_only', formatPercent(a.visible)) : t('attention_visible_facing', formatPercent(a.visible), formatPercent(a.facing));
  const absent = absentShares(a).map(({ kind, share }) => t(kind === 'away' ? 'attention_away' : 'attention_nobody', formatShare(share)));
  return [base, ...absent].join(' · ');
}

/** The attention line's tooltip: of how many frames, and what "away" and "nobody" mean where they are shown. */
export function attentionTitle(a: Attention): string {
  return [t('attention_title', a.analyzed), absentShares(a).length > 0 && t('attention_absent_title')].filter(Boolean).join('\n');
}

/** The call's uncertain labels, said once under its charts; null without any (a call stored before they were told apart, too). */
export function callUncertainText(call: Pick<CallSummary, 'participants'>): string | null {
  const share = callUncertainShare(call);
  return share > 0 ? t('call_uncertain', formatShare(share)) : null;
}

/** A number with exactly `digits` decimals, in the browser's language ("1.5", "1,5"). */
export function formatNumber(value: number, digits: number): string {
  return new Intl.NumberFormat(uiLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** "365 kB", "5.6 MB" (decimal units, as the Web Store shows sizes). */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? t('size_mb', formatNumber(bytes / 1e6, 1)) : t('size_kb', formatNumber(bytes / 1e3, 0));
}

/** Local date for file names: 2025-03-12. */
export function fileDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Local date and time for file names: 2025-03-12-1405 (two calls on one day get different names). */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  return `${fileDate(ms)}-${pad2(d.getHours())}${pad2(d.getMinutes())}`;
}

/** A site's name for people (its adapter's; src/sites). */
export const siteName = (site: SiteId): string => siteNameOf(site);

/** Who is analyzed, in the words the popup uses for it. */
export const ANALYZE_MODE_NAMES: Record<AnalyzeMode, string> = { me: t('analyze_mode_me'), everyone: t('analyze_mode_everyone') };

/** A Settings.excludedNames entry (`<site>:<name>`) as the user reads it: "Google Meet: Ada Lovelace". */
export function excludedNameText(entry: string): string {
  const colon = entry.indexOf(':');
  if (colon < 0) return entry;
  return `${siteName(entry.slice(0, colon))}: ${entry.slice(colon + 1)}`;
}

/** A participant's name as the popup shows it: "You" in a self-coaching summary (only the user's own tile was analyzed). */
export function participantLabel(call: Pick<CallSummary, 'analyze'>, p: ParticipantSummary): string {
  return call.analyze === 'me' ? t('participant_you') : participantName(p);
}

/** The popup's site health line: said only when video plays and the site's adapter found no tile. */
export function siteHealthText(health: SiteHealth | null): string | null {
  const problem = health && siteHealthProblem(health);
  if (!health || !problem) return null;
  const found = problem === 'fallback' ? plural('health_used', health.tiles) : t('health_none');
  return t('health_text', siteName(health.site), plural('playing_videos', health.playing), found);
}

/** Whether a tab URL is one the content script runs on (the manifest's match patterns, e.g. https://*.example.com/*). */
export function isSupportedUrl(url: string, patterns: readonly string[] = siteMatches()): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return patterns.some((pattern) => matchPattern(pattern)(u));
}

/** `?tabId=<n>` in the popup URL (e2e tests open popup.html as a page aimed at a given tab). */
export function parseTabId(search: string): number | null {
  const raw = new URLSearchParams(search).get('tabId');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return typeof e === 'string' ? e : String(e);
}

/** The models' state; in English exactly as tests read it: `ready`, `loading…` or `error: <message>`. */
export function pipelineText(p: PipelineState | null): string {
  if (!p) return t('pipeline_checking');
  if (p.state === 'ready') return t('pipeline_ready');
  if (p.state === 'loading') return t('pipeline_loading');
  return t('pipeline_error', p.error);
}
