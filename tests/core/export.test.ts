// Node: CSV export safety (OWASP CSV injection), encoding and bounded cells.
import { describe, expect, it } from 'vitest';
import { callsFromJson, callsToCsv, callsToJson, csvCell, MAX_CSV_TEXT_GRAPHEMES } from '../../src/calls/export';
import { addFrame, endCall, startCall } from '../../src/calls/summary';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const T0 = 1_700_000_000_000;

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1+1', "'+1+1"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    [' =1+1', "' =1+1"],
    ['\n=cmd|"/c calc"!A1', `"'\n=cmd|""/c calc""!A1"`],
    ['\u00a0@x', "'\u00a0@x"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠x', "'＠x"],
  ])('neutralizes a formula leader: %j', (input, cell) => {
    expect(csvCell(input)).toBe(cell);
  });

  it('leaves ordinary text and numbers alone, quoting only when needed', () => {
    expect(csvCell('Ada Lovelace')).toBe('Ada Lovelace');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('Ada, "the first"')).toBe('"Ada, ""the first"""');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });

  it('cuts long text between graphemes', () => {
    const cell = csvCell('🧑🏿‍🚀'.repeat(1000));
    const parts = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(cell)].map((g) => g.segment);
    expect(parts).toHaveLength(MAX_CSV_TEXT_GRAPHEMES);
    expect(parts.slice(0, -1).every((g) => g === '🧑🏿‍🚀')).toBe(true);
    expect(parts.at(-1)).toBe('…');
  });
});

describe('callsToCsv', () => {
  it('starts with one UTF-8 byte order mark and neutralizes page-supplied titles and names', () => {
    let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: '@evil', time: T0, labels: LABELS });
    c = addFrame(c, { time: T0, tileId: 't1', name: ' =HYPERLINK("http://x")', faces: [{ trackId: 1, label: 'happy' }] });
    c = endCall(c, T0 + 1000, 'tab-closed');
    const csv = callsToCsv([c, c]);
    const bytes = new TextEncoder().encode(csv);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.indexOf('\uFEFF', 1)).toBe(-1);
    const row = csv.split('\n')[1]!;
    expect(row).toContain(",'@evil,");
    expect(row).toContain(`"' =HYPERLINK(""http://x"")"`);
  });
});

describe('uncertain labels in the export', () => {
  /** Ada: 4 face-frames, 1 uncertain; Grace: 2 face-frames, none uncertain. */
  function call() {
    let c = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: T0, labels: LABELS });
    c = addFrame(c, { time: T0, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
    c = addFrame(c, { time: T0 + 500, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'sad', uncertain: true }] });
    c = addFrame(c, { time: T0 + 1000, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
    c = addFrame(c, { time: T0 + 1500, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
    c = addFrame(c, { time: T0 + 500, tileId: 't2', name: 'Grace', faces: [{ trackId: 2, label: 'neutral' }] });
    c = addFrame(c, { time: T0 + 1000, tileId: 't2', name: 'Grace', faces: [{ trackId: 2, label: 'neutral' }] });
    return endCall(c, T0 + 2000, 'tab-closed');
  }
  const cellsOf = (csv: string) => {
    const [header, ...rows] = csv.trimEnd().split('\n');
    const cols = header!.replace('\uFEFF', '').split(',');
    return { cols, rows: rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v]))) };
  };

  it('CSV: an uncertain_share column after the share_ columns, of each participant\'s face-frames', () => {
    const { cols, rows } = cellsOf(callsToCsv([call()]));
    expect(cols.indexOf('uncertain_share')).toBe(cols.indexOf('share_surprise') + 1);
    expect(cols.slice(-6)).toEqual(['moments', 'time_base', 'face_visible', 'facing_camera', 'someone_away', 'nobody_there']);
    const by = Object.fromEntries(rows.map((r) => [r.participant, r]));
    expect(by.Ada).toMatchObject({ participant_frames: '4', uncertain_share: '0.2500', share_sad: '0.0000', share_happy: '1.0000' });
    expect(by.Grace).toMatchObject({ uncertain_share: '0.0000' });
  });

  it('CSV: 0 for a call stored before uncertain labels were told apart, empty without a participant', () => {
    const c = call();
    const old = { ...c, participants: c.participants.map(({ uncertain: _u, uncertainMs: _m, ...p }) => p) };
    expect(cellsOf(callsToCsv([old])).rows.map((r) => r.uncertain_share)).toEqual(['0.0000', '0.0000']);
    const empty = startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Nobody', time: T0, labels: LABELS });
    expect(cellsOf(callsToCsv([empty])).rows.map((r) => r.uncertain_share)).toEqual(['']);
  });

  it('JSON: the raw counts travel with each participant and come back on import', () => {
    const c = call();
    const json = JSON.parse(callsToJson([c])) as { calls: Array<{ participants: Array<{ name: string; uncertain?: number; uncertainMs?: number }> }> };
    const ada = json.calls[0]!.participants.find((p) => p.name === 'Ada')!;
    expect(ada).toMatchObject({ uncertain: 1, uncertainMs: 500 });
    const back = callsFromJson(callsToJson([c]));
    expect('calls' in back && back.calls[0]).toMatchObject({ participants: expect.arrayContaining([expect.objectContaining({ name: 'Ada', uncertain: 1 })]) });
  });
});
