// Node: bounds on what pages and long calls can grow: grapheme-safe truncation of page-supplied
// text, participants per call, and a deadline on frame analysis.
import { describe, expect, it } from 'vitest';
import { largestTiles, MAX_TILES } from '../../src/overlay/logic/tile-limit';
import { addFrame, startCall } from '../../src/calls/summary';
import { MAX_PARTICIPANTS, OTHERS_KEY } from '../../src/calls/summary-participants';
import { callShares } from '../../src/calls/summary-read';
import { MAX_NAME_GRAPHEMES, MAX_TITLE_GRAPHEMES, truncateGraphemes } from '../../src/core/text';
import { TimeoutError, withTimeout } from '../../src/overlay/logic/timeout';
import { ANALYZE_TIMEOUT_MS } from '../../src/overlay/sampler';

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);
const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const T0 = 1_700_000_000_000;

describe('truncateGraphemes', () => {
  it('leaves short text alone', () => {
    expect(truncateGraphemes('Ada Lovelace', 64)).toBe('Ada Lovelace');
    expect(truncateGraphemes('', 3)).toBe('');
    expect(truncateGraphemes('👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 2)).toBe('👨‍👩‍👧‍👦👨‍👩‍👧‍👦'); // 22 code units, 2 graphemes
  });

  it.each([
    ['family emoji (ZWJ sequences)', '👨‍👩‍👧‍👦'],
    ['flags (regional indicator pairs)', '🇫🇷'],
    ['skin tones', '👋🏽'],
    ['combining marks', 'e\u0301'],
    ['surrogate pairs', '😄'],
  ])('cuts between graphemes, never inside one: %s', (_, unit) => {
    const text = unit.repeat(10);
    const cut = truncateGraphemes(text, 4);
    expect(graphemes(cut)).toEqual([unit, unit, unit, '…']);
    expect(cut).toBe(`${unit.repeat(3)}…`);
  });

  it('a summary stores bounded names, titles and tile ids', () => {
    const long = `Dr. ${'👩🏽‍🔬'.repeat(200)}`;
    let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: `=${'t'.repeat(5000)}`, time: T0, labels: LABELS });
    expect(graphemes(c.title)).toHaveLength(MAX_TITLE_GRAPHEMES);
    c = addFrame(c, { time: T0, tileId: 'x'.repeat(10_000), name: long, faces: [{ trackId: 1, label: 'happy' }] });
    const [p] = c.participants;
    expect(graphemes(p!.name!)).toHaveLength(MAX_NAME_GRAPHEMES);
    expect(p!.name!.endsWith('👩🏽‍🔬…')).toBe(true);
    expect(Object.keys(c.lastFrameByTile!)[0]!.length).toBeLessThanOrEqual(128);
    // The same (long) name later is the same participant.
    c = addFrame(c, { time: T0 + 100, tileId: 'y', name: long, faces: [{ trackId: 1, label: 'sad' }] });
    expect(c.participants).toHaveLength(1);
  });
});

describe('participants per call', () => {
  it(`keeps at most ${MAX_PARTICIPANTS}: the least-seen are merged into one row, totals kept`, () => {
    let c = startCall({ site: 'youtube', callId: 'v', title: 'crowd', time: T0, labels: LABELS });
    // Eight regulars seen all along, then 300 passing faces (a crowd shot: a new track id each).
    let t = T0;
    for (let i = 0; i < 300; i++) {
      t += 100;
      const faces = [...Array.from({ length: 8 }, (_, k) => ({ trackId: k, label: 'happy' })), { trackId: 1000 + i, label: 'sad' }];
      c = addFrame(c, { time: t, tileId: 'tile-1', name: null, faces });
    }
    expect(c.participants).toHaveLength(MAX_PARTICIPANTS);
    const regulars = c.participants.filter((p) => /#[0-7]$/.test(p.key));
    expect(regulars).toHaveLength(8);
    expect(regulars.every((p) => p.frames === 300)).toBe(true);
    const others = c.participants.find((p) => p.key === OTHERS_KEY)!;
    expect(others.countByLabel.sad).toBe(300 - (MAX_PARTICIPANTS - 8 - 1));
    // Nothing lost: every face-frame is still counted once.
    expect(c.participants.reduce((a, p) => a + p.frames, 0)).toBe(300 * 9);
    expect(callShares(c).sad).toBeCloseTo(1 / 9, 6);
  });
});

describe('frame analysis deadline', () => {
  function fakeTimers() {
    let now = 0;
    const pending = new Map<number, { at: number; fn: () => void }>();
    let id = 0;
    return {
      setTimeout: (fn: () => void, ms: number) => (pending.set(++id, { at: now + ms, fn }), id),
      clearTimeout: (t: unknown) => pending.delete(t as number),
      advance(ms: number) {
        now += ms;
        for (const [k, p] of [...pending]) if (p.at <= now) (pending.delete(k), p.fn());
      },
      get pending() {
        return pending.size;
      },
    };
  }
  const never = () => new Promise<never>(() => undefined);

  it('a hung request rejects at the deadline', async () => {
    const timers = fakeTimers();
    let settled = false;
    const hung = withTimeout(never(), ANALYZE_TIMEOUT_MS, timers, 'frame analysis');
    hung.catch(() => (settled = true));
    timers.advance(ANALYZE_TIMEOUT_MS - 1);
    await Promise.resolve();
    expect(settled).toBe(false);
    timers.advance(1);
    await expect(hung).rejects.toThrow(TimeoutError);
    expect(timers.pending).toBe(0);
  });

  it('answers and errors pass through and leave no timer behind', async () => {
    const timers = fakeTimers();
    await expect(withTimeout(Promise.resolve(42), 1000, timers, 'x')).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error('no receiver')), 1000, timers, 'x')).rejects.toThrow('no receiver');
    expect(timers.pending).toBe(0);
  });
  // Hung requests through the real engine: tests/overlay/controller.test.ts.
});

describe('tiles per page', () => {
  it(`keeps the ${MAX_TILES} largest media, in page order`, () => {
    // 2,000 playing videos, one large one among them near the end.
    const media = Array.from({ length: 2000 }, (_, i) => ({ id: i, area: i === 1990 ? 1e6 : 64 * 64 + (i % 7) }));
    const kept = largestTiles(media, (m) => m.area);
    expect(kept).toHaveLength(MAX_TILES);
    expect(kept.map((m) => m.id)).toContain(1990);
    expect(kept.map((m) => m.id)).toEqual([...kept.map((m) => m.id)].sort((a, b) => a - b));
    expect(Math.min(...kept.map((m) => m.area))).toBeGreaterThanOrEqual(Math.max(...media.filter((m) => !kept.includes(m)).map((m) => m.area)));
  });

  it('leaves a normal gallery alone', () => {
    const media = [3, 1, 2].map((area) => ({ area }));
    expect(largestTiles(media, (m) => m.area)).toEqual(media);
  });
});
