// The popup's words for people (entrypoints/popup/format): the names never analyzed, and "You" in a
// self-coaching summary.
import { describe, expect, it } from 'vitest';
import { excludedName } from '../../src/core/settings';
import { addFrame, startCall } from '../../src/calls/summary';
import { ANALYZE_MODE_NAMES, excludedNameText, participantLabel } from '../../entrypoints/popup/format';

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
