// Popup: the call charts shared by the live view and the history detail (timeline, per-participant bars).
import type { ComponentChildren } from 'preact';
import { type CallSummary, type ParticipantSummary } from '@/src/calls/summary';
import { ABSENT_KINDS, type Attention, attentionOf } from '@/src/calls/attention';
import { callUncertainShare, clockMs, dominant, shares, timelineBars, timelineShares, uncertainShare } from '@/src/calls/summary-read';
import { absentShares, attentionText, attentionTitle, formatDuration, formatPercent, formatShare, participantLabel, participantUncertainText } from './format';
import { labelColor, labelEmoji } from '@/src/core/label-set';
import { labelName, t } from '@/src/i18n';

/** "happy 45%, neutral 30%": the labels with any share, largest first. */
export function describeShares(labels: readonly string[], sh: Readonly<Record<string, number>>): string {
  const parts = labels
    .map((l) => [l, sh[l] ?? 0] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([l, v]) => `${labelName(l)} ${formatPercent(v)}`);
  return parts.length > 0 ? parts.join(', ') : t('no_faces');
}

export function LabelName({ label }: { label: string }) {
  const emoji = labelEmoji(label);
  return (
    <span class="label-name">
      <span class="swatch" style={{ background: labelColor(label) }} aria-hidden="true" />
      {emoji && <span aria-hidden="true">{emoji} </span>}
      {labelName(label)}
    </span>
  );
}

export function Legend({ labels }: { labels: readonly string[] }) {
  return (
    <ul class="legend" aria-label={t('colours_aria')}>
      {labels.map((l) => (
        <li key={l}>
          <LabelName label={l} />
        </li>
      ))}
    </ul>
  );
}

/** Offsets between x-axis ticks: a round step giving at most about six ticks. */
const TICK_STEPS_MS = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000];
function tickStep(spanMs: number): number {
  return TICK_STEPS_MS.find((s) => spanMs / s <= 6) ?? Math.ceil(spanMs / 6 / 3_600_000) * 3_600_000;
}

const W = 332;
const H = 128;
const PAD = { left: 32, right: 12, top: 6, bottom: 32 } as const;

/** Stacked bars of label shares over the call, in steps that suit its length (src/calls/summary timelineBars). */
export function TimelineChart({ call, onSeek }: { call: CallSummary; onSeek?: Seek }) {
  const { bars, stepMs, spanMs } = timelineBars(call);
  if (bars.length === 0) return <p class="muted">{t('no_faces_yet')}</p>;

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bottom = PAD.top + plotH;
  const scale = plotW / spanMs;
  const band = stepMs * scale;
  const step = tickStep(spanMs);
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs; t += step) ticks.push(t);

  const overall: Record<string, number> = {};
  for (const bar of bars) for (const l of call.labels) overall[l] = (overall[l] ?? 0) + (bar.countByLabel[l] ?? 0);
  const total = Object.values(overall).reduce((a, b) => a + b, 0);
  const overallShares = Object.fromEntries(call.labels.map((l) => [l, total > 0 ? (overall[l] ?? 0) / total : 0]));
  const summary = t('timeline_summary', formatDuration(stepMs), formatDuration(spanMs), describeShares(call.labels, overallShares));

  return (
    <svg class="timeline" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={summary} data-testid="timeline-chart">
      {[0, 0.5, 1].map((v) => {
        const y = bottom - v * plotH;
        return (
          <g key={v} class="grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 4} y={y + 3} text-anchor="end">
              {formatPercent(v)}
            </text>
          </g>
        );
      })}
      {bars.map((bar) => {
        const sh = timelineShares(bar);
        const x = PAD.left + bar.fromMs * scale + band * 0.1;
        const width = Math.max(1, band * 0.8);
        let y = bottom;
        return (
          <g key={bar.fromMs} {...(onSeek ? { role: 'button', tabIndex: 0, 'data-testid': 'timeline-bar', class: 'seekable', onClick: () => onSeek(bar.fromMs), onKeyDown: (e: KeyboardEvent) => e.key === 'Enter' && onSeek(bar.fromMs) } : {})}>
            <title>{`${formatDuration(bar.fromMs)}–${formatDuration(bar.toMs)}: ${describeShares(call.labels, sh)}`}</title>
            {call.labels.map((l) => {
              const h = (sh[l] ?? 0) * plotH;
              if (h <= 0) return null;
              y -= h;
              return <rect key={l} x={x} y={y} width={width} height={h} fill={labelColor(l)} />;
            })}
          </g>
        );
      })}
      <g class="axis">
        <line x1={PAD.left} x2={W - PAD.right} y1={bottom} y2={bottom} />
        {ticks.map((t) => (
          <text key={t} x={PAD.left + t * scale} y={bottom + 12} text-anchor="middle">
            {formatDuration(t)}
          </text>
        ))}
        <text x={PAD.left + plotW / 2} y={H - 4} text-anchor="middle">
          {call.clock === 'media' ? t('axis_media') : t('axis_call')}
        </text>
      </g>
    </svg>
  );
}

/** A table header that fits the popup: the emoji where there is one (the legend maps it), the name for screen readers. */
function ColumnLabel({ label }: { label: string }) {
  const emoji = labelEmoji(label);
  if (!emoji) return <>{labelName(label)}</>;
  return (
    <>
      <span aria-hidden="true">{emoji}</span>
      <span class="sr-only">{labelName(label)}</span>
    </>
  );
}

function StackedBar({ labels, sh, name }: { labels: readonly string[]; sh: Readonly<Record<string, number>>; name: string }) {
  const text = describeShares(labels, sh);
  return (
    <div class="stack" role="img" aria-label={`${name}: ${text}`} title={text}>
      {labels.map((l) => {
        const v = sh[l] ?? 0;
        return v > 0 ? <span key={l} style={{ width: `${v * 100}%`, background: labelColor(l) }} /> : null;
      })}
    </div>
  );
}

/** When the participant's label changed (and then held): "0:00 neutral → 0:42 happy". */
/** Seek the call's video to a time on its clock (ms); given only for a video. */
export type Seek = (ms: number) => void;

function Moments({ call, p, onSeek }: { call: CallSummary; p: ParticipantSummary; onSeek?: Seek }) {
  const moments = p.moments ?? [];
  if (moments.length === 0) return null;
  return (
    <p class="moments muted" data-testid="participant-moments">
      <span class="sr-only">{t('moments_sr')} </span>
      {moments.map((m, i) => {
        const at = formatDuration(clockMs(call, m.time));
        return (
          <span key={m.time}>
            {i > 0 ? ' → ' : ''}
            {onSeek ? (
              <button type="button" class="link" data-testid="moment" title={t('play_from', at)} onClick={() => onSeek(m.time)}>
                {at}
              </button>
            ) : (
              at
            )}{' '}
            <LabelName label={m.label} />
          </span>
        );
      })}
    </p>
  );
}

/** "Face visible 92% · facing the camera 81% · away from the camera 5% · nobody there 2%": of the participant's analyzed frames (attention.ts). */
function AttentionLine({ a }: { a: Attention | null }) {
  if (!a) return null;
  return (
    <p class="attention muted" data-testid="participant-attention" title={attentionTitle(a)}>
      {attentionText(a)}
    </p>
  );
}

/** "Uncertain labels 12%": the participant's face-frames left out of their bar (nothing when none, as in a call stored before). */
function UncertainLine({ p }: { p: ParticipantSummary }) {
  const text = participantUncertainText(p);
  if (!text) return null;
  return (
    <p class="uncertain-share muted" data-testid="participant-uncertain" title={t('participant_uncertain_title')}>
      {text}
    </p>
  );
}

/** What a participant's row may offer beside the charts (the live call's "Don't analyze <name>"). */
export type ParticipantActions = (p: ParticipantSummary, name: string) => ComponentChildren;

/** One horizontal stacked bar per participant (most seen first), and the numbers as a table. */
/** Each participant: name, label (a live call's: the one they show now; a past call's: the one they held most), shares, attention, moments. */
export function ParticipantBars({ call, onSeek, actions, live = false }: { call: CallSummary; onSeek?: Seek; actions?: ParticipantActions; live?: boolean }) {
  const rows = [...call.participants]
    .sort((a, b) => b.frames - a.frames)
    .map((p) => {
      const sh = shares(p, call.labels);
      return { p, sh, dom: dominant(sh), name: participantLabel(call, p), att: attentionOf(p) };
    });
  if (rows.length === 0) return <p class="muted">{t('no_participants')}</p>;
  // The Uncertain column only where the call has uncertain labels (never for a call stored before).
  const anyUncertain = callUncertainShare(call) > 0;
  // The Away and Nobody columns only where the person detector found any (never for a call stored before).
  const anyAbsent = rows.some(({ att }) => att !== null && absentShares(att).length > 0);
  return (
    <>
      <ul class="participants">
        {rows.map(({ p, sh, dom, name, att }) => (
          <li key={p.key} data-testid="participant-row">
            <div class="participant-head">
              <span class="participant-name" title={name}>
                {name}
              </span>
              {live && p.streak ? (
                <span class="participant-dominant" data-testid="participant-now" title={t('participant_now_title')}>
                  <LabelName label={p.streak.label} />
                </span>
              ) : (
                <span class="participant-dominant">{dom ? <LabelName label={dom} /> : '—'}</span>
              )}
            </div>
            <StackedBar labels={call.labels} sh={sh} name={name} />
            <AttentionLine a={att} />
            <UncertainLine p={p} />
            <Moments call={call} p={p} onSeek={onSeek} />
            {actions?.(p, name)}
          </li>
        ))}
      </ul>
      <details class="numbers">
        <summary>{t('show_numbers')}</summary>
        <div class="table-scroll">
          <table>
            <caption>{t('table_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col_participant')}</th>
                <th scope="col">{t('fact_frames')}</th>
                {call.labels.map((l) => (
                  <th key={l} scope="col" title={labelName(l)}>
                    <ColumnLabel label={l} />
                  </th>
                ))}
                <th scope="col" title={t('col_visible_title')}>
                  {t('col_visible')}
                </th>
                <th scope="col" title={t('col_facing_title')}>
                  {t('col_facing')}
                </th>
                {anyAbsent && (
                  <>
                    <th scope="col" title={t('col_away_title')}>
                      {t('col_away')}
                    </th>
                    <th scope="col" title={t('col_nobody_title')}>
                      {t('col_nobody')}
                    </th>
                  </>
                )}
                {anyUncertain && (
                  <th scope="col" title={t('col_uncertain_title')}>
                    {t('col_uncertain')}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ p, sh, name, att }) => (
                <tr key={p.key}>
                  <th scope="row">{name}</th>
                  <td>{p.frames}</td>
                  {call.labels.map((l) => (
                    <td key={l}>{formatPercent(sh[l] ?? 0)}</td>
                  ))}
                  <td>{att ? formatPercent(att.visible) : '—'}</td>
                  <td>{att?.facing != null ? formatPercent(att.facing) : '—'}</td>
                  {anyAbsent && ABSENT_KINDS.map((k) => <td key={k}>{att?.[k] != null ? formatShare(att[k]) : '—'}</td>)}
                  {anyUncertain && <td>{formatShare(uncertainShare(p))}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
