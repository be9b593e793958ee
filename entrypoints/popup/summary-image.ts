// Popup: "Save image": a call's summary as a 1280×800 PNG (the Chrome Web Store's screenshot size),
// drawn by the extension itself from the stored summary, no network. The layout is a pure list of
// rectangles and texts (summaryImage, unit-tested); drawing it on a canvas is renderPng.
import { attentionOf } from '@/src/calls/attention';
import { labelColor } from '@/src/core/label-set';
import { labelName, t } from '@/src/i18n';
import type { CallSummary } from '@/src/calls/summary';
import { callUncertainShare, clockMs, durationMs, shares, timelineBars, timelineShares, uncertainShare } from '@/src/calls/summary-read';
import { absentShares, formatDateTime, formatDuration, formatPercent, formatShare, participantLabel, siteName } from './format';

export type DrawOp =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; color: string }
  | { kind: 'text'; x: number; y: number; text: string; font: string; color: string; align?: 'left' | 'center' | 'right' };

export const IMAGE_SIZE = { width: 1280, height: 800 } as const;
const INK = '#202124';
const MUTED = '#5f6368';
const FONT = 'system-ui, sans-serif';
const PLOT = { x: 80, y: 170, w: 1160, h: 230 };
const MAX_ROWS = 5;
const MAX_MOMENTS_SHOWN = 8;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The drawing of a call's summary: title, site, date and models; the timeline; per-participant bars
 * and moments. A self-coaching summary (only the user's own tile analyzed) is titled as the user's own.
 * Uncertain labels (left out of the shares) are said, small, where there are any: each participant's
 * share at the right of their moments line, the call's beside the footer. Where the person detector
 * found a participant away from the camera or their tile empty, those shares come first at the right of
 * the moments line (the attention line under the name has no room for them).
 */
export function summaryImage(call: CallSummary): { width: number; height: number; ops: DrawOp[] } {
  const self = call.analyze === 'me';
  const ops: DrawOp[] = [{ kind: 'rect', x: 0, y: 0, w: IMAGE_SIZE.width, h: IMAGE_SIZE.height, color: '#ffffff' }];
  const text = (x: number, y: number, t: string, size: number, opts: { bold?: boolean; color?: string; align?: 'left' | 'center' | 'right' } = {}) =>
    ops.push({ kind: 'text', x, y, text: t, font: `${opts.bold ? '600 ' : ''}${size}px ${FONT}`, color: opts.color ?? INK, ...(opts.align ? { align: opts.align } : {}) });

  const title = call.title || siteName(call.site);
  text(40, 58, clip(self ? t('image_title_self', title) : title, 70), 30, { bold: true });
  const models = call.models ? t('image_models', call.models.detector, call.models.classifier) : t('image_models_unknown');
  text(40, 92, [siteName(call.site), formatDateTime(call.start), formatDuration(durationMs(call)), t('image_frames', call.frames), models].join(' · '), 16, { color: MUTED });

  // Timeline: the share of each label in every bar, stacked.
  text(40, 140, t('image_timeline'), 18, { bold: true });
  const { bars, stepMs, spanMs } = timelineBars(call, 60);
  ops.push({ kind: 'rect', x: PLOT.x, y: PLOT.y + PLOT.h, w: PLOT.w, h: 1, color: MUTED });
  const scale = PLOT.w / Math.max(1, spanMs);
  for (const bar of bars) {
    const sh = timelineShares(bar);
    const x = PLOT.x + bar.fromMs * scale + stepMs * scale * 0.08;
    const w = Math.max(1, stepMs * scale * 0.84);
    let y = PLOT.y + PLOT.h;
    for (const l of call.labels) {
      const h = (sh[l] ?? 0) * PLOT.h;
      if (h <= 0) continue;
      y -= h;
      ops.push({ kind: 'rect', x, y, w, h, color: labelColor(l) });
    }
  }
  if (bars.length === 0) text(PLOT.x + PLOT.w / 2, PLOT.y + PLOT.h / 2, t('image_no_faces'), 16, { color: MUTED, align: 'center' });
  for (const t of [0, 0.25, 0.5, 0.75, 1]) text(PLOT.x + t * PLOT.w, PLOT.y + PLOT.h + 22, formatDuration(t * spanMs), 13, { color: MUTED, align: 'center' });

  // Legend.
  let lx = 40;
  for (const l of call.labels) {
    ops.push({ kind: 'rect', x: lx, y: 440, w: 16, h: 16, color: labelColor(l) });
    const name = labelName(l);
    text(lx + 22, 453, name, 15);
    lx += 30 + name.length * 9;
  }

  // Participants: their label shares, and their moments of change (time into the call).
  text(40, 500, self ? t('image_you') : t('heading_participants'), 18, { bold: true });
  call.participants.slice(0, MAX_ROWS).forEach((p, i) => {
    const y = 520 + i * 50;
    text(40, y + 16, clip(participantLabel(call, p), 26), 15);
    const att = attentionOf(p);
    const attention = att && [t('image_visible', formatPercent(att.visible)), att.facing !== null && t('image_facing', formatPercent(att.facing))].filter(Boolean).join(' · ');
    if (attention) text(40, y + 38, attention, 12, { color: MUTED });
    const sh = shares(p, call.labels);
    let x = 280;
    for (const l of call.labels) {
      const w = (sh[l] ?? 0) * 960;
      if (w <= 0) continue;
      ops.push({ kind: 'rect', x, y, w, h: 20, color: labelColor(l) });
      x += w;
    }
    const uncertain = uncertainShare(p);
    const absent = att ? absentShares(att).map(({ kind, share }) => t(kind === 'away' ? 'image_away' : 'image_nobody', formatShare(share))) : [];
    const right = [...absent, uncertain > 0 ? t('image_uncertain', formatShare(uncertain)) : null].filter((s): s is string => s !== null).join(' · ');
    if (right) text(1240, y + 38, right, 12, { color: MUTED, align: 'right' });
    const moments = (p.moments ?? []).slice(-MAX_MOMENTS_SHOWN).map((m) => `${formatDuration(clockMs(call, m.time))} ${labelName(m.label)}`);
    // Moments leave room at the right for the away, nobody and uncertain shares.
    if (moments.length > 0) text(280, y + 38, clip(t('image_moments', moments.join(' · ')), right ? Math.min(120, 136 - right.length) : 140), 12, { color: MUTED });
  });
  if (call.participants.length > MAX_ROWS) text(40, 520 + MAX_ROWS * 50 + 4, t('image_more', call.participants.length - MAX_ROWS), 13, { color: MUTED });

  text(40, 785, t('image_footer'), 12, { color: MUTED });
  const callUncertain = callUncertainShare(call);
  if (callUncertain > 0) text(1240, 785, t('image_uncertain_call', formatShare(callUncertain)), 12, { color: MUTED, align: 'right' });
  return { ...IMAGE_SIZE, ops };
}

/** Draw a summary image on a canvas and encode it as PNG. */
export async function renderPng(image: ReturnType<typeof summaryImage>, doc: Document = document): Promise<Blob> {
  const canvas = doc.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(t('error_no_canvas'));
  for (const op of image.ops) {
    if (op.kind === 'rect') {
      ctx.fillStyle = op.color;
      ctx.fillRect(op.x, op.y, op.w, op.h);
    } else {
      ctx.fillStyle = op.color;
      ctx.font = op.font;
      ctx.textAlign = op.align ?? 'left';
      ctx.fillText(op.text, op.x, op.y);
    }
  }
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(t('error_png')))), 'image/png'));
}
