// The popup's words for people (entrypoints/popup/format): the names never analyzed, and "You" in a
// self-coaching summary.
import { describe, expect, it } from 'vitest';
import { excludedName } from '../../src/core/settings';
import { addFrame, startCall } from '../../src/calls/summary';
import { ANALYZE_MODE_NAMES, callUncertainText, excludedNameText, formatShare, formatSpan, participantLabel, participantUncertainText } from '../../entrypoints/popup/format';
import { callHeadline } from '../../entrypoints/popup/CallDetail';
import { durationMs, headlineOf, recentMood } from '../../src/calls/summary-read';

describe('the popup names people', () => {
  it('shows a never-analyzed entry as "<Site name>: <name>", a name with a colon whole', () => {
    expect(excludedNameText(excludedName('meet', 'Ada Lovelace'))).toBe('Google Meet: Ada Lovelace');
    expect(excludedNameText(excludedName('teams', 'Dr. Who: Guest'))).toBe('Microsoft Teams: Dr. Who: Guest');
    // An entry from a site this version does not know keeps its id.
    expect(excludedNameText('webex:Grace')).toBe('webex: Grace');
  });

  it('calls the one participant of a self-coaching summary "You", and others by name', () => {
    const call = addFrame(startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Practice', time: 0, labels: ['happy', 'neutral'] }), {
      time: 0,
      tileId: 't1',
      name: 'Ada Lovelace',
      faces: [{ trackId: 1, label: 'happy' }],
    });
    const [p] = call.participants;
    expect(p && participantLabel(call, p)).toBe('Ada Lovelace');
    expect(p && participantLabel({ ...call, analyze: 'me' }, p)).toBe('You');
  });

  it('names the modes in plain words', () => {
    expect(ANALYZE_MODE_NAMES).toEqual({ me: 'Just me', everyone: 'Everyone in the call' });
  });
});

describe('a call in one line', () => {
  /** Four people over 24 min: three mostly neutral, Ada mostly happy. */
  function call() {
    let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: 0, labels: ['happy', 'neutral', 'sad'] });
    for (let time = 0; time <= 24 * 60_000; time += 1000) {
      for (const [i, name] of ['Ada', 'Bo', 'Cy', 'Di'].entries()) {
        const label = name === 'Ada' ? (time % 4000 === 0 ? 'neutral' : 'happy') : time % 5000 === 0 ? 'sad' : 'neutral';
        c = addFrame(c, { time, tileId: `t${i}`, name, faces: [{ trackId: 1, label }] });
      }
    }
    return c;
  }

  it('says how long, how many, the mood, and who stood apart', () => {
    const c = call();
    expect(headlineOf(c)).toMatchObject({ people: 4, mostly: 'neutral', standout: { name: 'Ada', label: 'happy' } });
    expect(callHeadline(c, durationMs(c))).toBe('24 min · 4 people · mostly neutral, Ada mostly happy');
  });

  it('a length in words: seconds, minutes, hours', () => {
    expect([formatSpan(30_000, 'en'), formatSpan(24 * 60_000, 'en'), formatSpan(3 * 3_600_000, 'en'), formatSpan(125 * 60_000, 'en')]).toEqual(['30 sec', '24 min', '3 hr', '2 hr 5 min']);
  });

  it('one person, nobody apart', () => {
    const c = addFrame(startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Solo', time: 0, labels: ['happy', 'neutral'] }), { time: 0, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
    expect(callHeadline(c, 30_000)).toBe('30 sec · 1 person · mostly happy');
  });

  it("a live call's last minute: its mood, and who changed most lately", () => {
    expect(recentMood(call())).toEqual({ mostly: 'neutral', changedMost: null });
    let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: 0, labels: ['happy', 'neutral', 'sad'] });
    for (let time = 0; time <= 6 * 60_000; time += 1000) {
      c = addFrame(c, { time, tileId: 't0', name: 'Ada', faces: [{ trackId: 1, label: Math.floor(time / 30_000) % 2 ? 'happy' : 'sad' }] });
      c = addFrame(c, { time, tileId: 't1', name: 'Bo', faces: [{ trackId: 1, label: 'neutral' }] });
    }
    expect(recentMood(c).changedMost).toBe('Ada');
  });
});

describe('uncertain labels in the popup', () => {
  /** Ada: 4 face-frames, 1 uncertain; Bo: 4 face-frames, none uncertain. */
  function call() {
    let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: 0, labels: ['happy', 'neutral'] });
    for (let i = 0; i < 4; i++) {
      c = addFrame(c, { time: i * 500, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy', ...(i === 1 ? { uncertain: true } : {}) }] });
      c = addFrame(c, { time: i * 500 + 1, tileId: 't2', name: 'Bo', faces: [{ trackId: 2, label: 'neutral' }] });
    }
    return c;
  }

  it("says a person's share in their row, and the call's once with what it means", () => {
    const c = call();
    const [ada, bo] = ['Ada', 'Bo'].map((n) => c.participants.find((p) => p.name === n)!);
    expect(participantUncertainText(ada!)).toBe('Uncertain labels 25%');
    expect(participantUncertainText(bo!)).toBeNull();
    expect(callUncertainText(c)).toBe(
      'Uncertain labels: 13% of frames with a face. When the model is unsure, the label is more likely wrong than right; those frames are shown as "label?" and left out of the moods above.',
    );
  });

  it('says nothing for a call stored before uncertain labels were told apart', () => {
    const c = call();
    const old = { ...c, participants: c.participants.map(({ uncertain: _u, uncertainMs: _m, ...p }) => p) };
    expect(old.participants.map(participantUncertainText)).toEqual([null, null]);
    expect(callUncertainText(old)).toBeNull();
  });

  it('never rounds a share that is neither none nor all to 0% or 100%', () => {
    expect([0, 0.0001, 0.004, 0.01, 0.125, 0.996, 0.9999, 1].map(formatShare)).toEqual(['0%', '0.1%', '0.4%', '1%', '13%', '99.6%', '99.9%', '100%']);
  });
});
