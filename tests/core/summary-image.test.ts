// The "Save image" layout (entrypoints/popup/summary-image): what a call's PNG shows, as draw
// operations (the PNG itself is checked in tests/e2e/calls.test.ts).
import { describe, expect, it } from 'vitest';
import { labelColor } from '../../src/core/label-set';
import { addFrame, endCall, startCall } from '../../src/calls/summary';
import { IMAGE_SIZE, summaryImage } from '../../entrypoints/popup/summary-image';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];

function call() {
  let c = startCall({ site: 'zoom', callId: '123456789', title: 'Design review', time: 0, labels: LABELS });
  for (let i = 0; i < 600; i++) {
    c = addFrame(c, { time: i * 500, tileId: 't1', name: 'Ada Lovelace', faces: [{ trackId: 1, label: i < 300 ? 'neutral' : 'happy' }] });
    c = addFrame(c, { time: i * 500 + 1, tileId: 't2', name: 'Grace Hopper', faces: [{ trackId: 2, label: 'sad' }] });
  }
  return { ...endCall(c, 300_000, 'tab-closed'), models: { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' } };
}

describe('a call summary as an image', () => {
  const image = summaryImage(call());
  const texts = image.ops.flatMap((o) => (o.kind === 'text' ? [o.text] : []));
  const colours = (y0: number, y1: number) => new Set(image.ops.flatMap((o) => (o.kind === 'rect' && o.y >= y0 && o.y < y1 && o.w < IMAGE_SIZE.width && o.h > 1 ? [o.color] : [])));

  it('is the store screenshot size, with the title, site, date and models', () => {
    expect([image.width, image.height]).toEqual([1280, 800]);
    expect(texts[0]).toBe('Design review');
    expect(texts[1]).toMatch(/^Zoom · .* · 5:00 · 1200 frames analyzed · models: blazeface-f16 \+ ours-emotion-u8$/);
  });

  it('the timeline is drawn in the colours of the labels seen, and the participants in theirs', () => {
    expect(colours(150, 410)).toEqual(new Set(['neutral', 'happy', 'sad'].map(labelColor)));
    expect(texts).toEqual(expect.arrayContaining(['Ada Lovelace', 'Grace Hopper']));
    expect(colours(515, 800)).toEqual(new Set(['neutral', 'happy', 'sad'].map(labelColor)));
  });

  it('moments of change are stamped with the time into the call', () => {
    expect(texts.find((t) => t.startsWith('moments:'))).toMatch(/2:30 happy/);
  });
});

describe('a self-coaching summary as an image', () => {
  const image = summaryImage({ ...call(), analyze: 'me' });
  const texts = image.ops.flatMap((o) => (o.kind === 'text' ? [o.text] : []));

  it("is titled as the user's own, and names the participant 'You'", () => {
    expect(texts[0]).toBe('Your emotions: Design review');
    expect(texts).toContain('You (only your own camera was analyzed)');
    expect(texts).toContain('You');
    expect(texts).not.toContain('Ada Lovelace');
    expect(texts).not.toContain('Participants');
  });
});

describe('uncertain labels in the image', () => {
  const texts = (c: ReturnType<typeof call>) => summaryImage(c).ops.flatMap((o) => (o.kind === 'text' ? [o.text] : []));

  /** call(), but every tenth of Ada's face-frames uncertain (10% of hers, 5% of the call's). */
  function unsure() {
    let c = startCall({ site: 'zoom', callId: '123456789', title: 'Design review', time: 0, labels: LABELS });
    for (let i = 0; i < 600; i++) {
      c = addFrame(c, { time: i * 500, tileId: 't1', name: 'Ada Lovelace', faces: [{ trackId: 1, label: i < 300 ? 'neutral' : 'happy', ...(i % 10 === 5 ? { uncertain: true } : {}) }] });
      c = addFrame(c, { time: i * 500 + 1, tileId: 't2', name: 'Grace Hopper', faces: [{ trackId: 2, label: 'sad' }] });
    }
    return { ...endCall(c, 300_000, 'tab-closed'), models: { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' } };
  }

  it("shows each participant's uncertain share and the call's, small, where there are any", () => {
    const shown = texts(unsure());
    expect(shown.filter((t) => t.startsWith('uncertain '))).toEqual(['uncertain 10%']);
    expect(shown).toContain('Uncertain labels: 5% of frames with a face, left out of the shares');
  });

  it('shows nothing of them for a call without any (as one stored before)', () => {
    expect(texts(call()).filter((t) => /uncertain/i.test(t))).toEqual([]);
  });
});
