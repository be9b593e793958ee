// Node: CSV export safety (OWASP CSV injection), encoding and bounded cells.
import { describe, expect, it } from 'vitest';
import { callsToCsv, csvCell, MAX_CSV_TEXT_GRAPHEMES } from '../../src/calls/export';
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
