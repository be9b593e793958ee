import { describe, expect, it } from 'vitest';
import { type AttentionCounts, attentionOf, countMissing, mergeAttention } from '../../src/calls/attention';
import { attentionText, attentionTitle } from '../../entrypoints/popup/format';
import { summaryImage } from '../../entrypoints/popup/summary-image';
import { decodeBlazeFace } from '../../src/ml/logic/decode';
import { callsToCsv } from '../../src/calls/export';
import { FACING_MAX_TURN, type FaceKeypoints, headTurn, isFacing } from '../../src/ml/logic/head-turn';
import { addFrame, startCall } from '../../src/calls/summary';
import { MAX_PARTICIPANTS, OTHERS_KEY } from '../../src/calls/summary-participants';
import { summaryProblem } from '../../src/calls/summary-stored';
import { trackFaces, NO_TRACKS } from '../../src/overlay/logic/tracking';

// A head seen from above (x right on screen, z towards the camera), eyes 64 px apart: the face's right
// eye is on the image's left. Turning by `deg` rotates it about the vertical axis, then the camera
// projects it orthographically; `roll` then rotates the picture.
function keypoints(deg: number, roll = 0, scale = 1): FaceKeypoints {
  const head = { rightEye: [-32, 0, 20], leftEye: [32, 0, 20], nose: [0, 34, 45], mouth: [0, 62, 30], rightEar: [-70, 20, -35], leftEar: [70, 20, -35] } as const;
  const a = (deg * Math.PI) / 180;
  const r = roll;
  const out = {} as Record<keyof FaceKeypoints, { x: number; y: number }>;
  for (const [k, [x, y, z]] of Object.entries(head) as Array<[keyof FaceKeypoints, readonly [number, number, number]]>) {
    const px = x * Math.cos(a) + z * Math.sin(a);
    out[k] = { x: scale * (px * Math.cos(r) - y * Math.sin(r)) + 100, y: scale * (px * Math.sin(r) + y * Math.cos(r)) + 50 };
  }
  return out;
}

describe('head turn from keypoints', () => {
  it('is 0 for a frontal face and grows with the turn, on either side, to 1 near a profile', () => {
    expect(headTurn(keypoints(0))).toBeCloseTo(0, 6);
    const turns = [10, 20, 35, 45].map((d) => headTurn(keypoints(d))!);
    for (let i = 1; i < turns.length; i++) expect(turns[i]!).toBeGreaterThan(turns[i - 1]!);
    expect(headTurn(keypoints(-35))).toBeCloseTo(-turns[2]!, 6);
  });

  it('does not change with the face roll, size or position', () => {
    const t = headTurn(keypoints(30))!;
    expect(headTurn(keypoints(30, 0.5))).toBeCloseTo(t, 6);
    expect(headTurn(keypoints(30, -0.8, 0.25))).toBeCloseTo(t, 6);
  });

  it('calls a head facing within about 15 degrees and turned past about 30 (this head model)', () => {
    expect(isFacing(headTurn(keypoints(0))!)).toBe(true);
    expect(isFacing(headTurn(keypoints(12))!)).toBe(true);
    expect(isFacing(headTurn(keypoints(-12))!)).toBe(true);
    expect(isFacing(headTurn(keypoints(32))!)).toBe(false);
    expect(isFacing(headTurn(keypoints(-45))!)).toBe(false);
    expect(headTurn(keypoints(60))).toBe(1);
    expect(headTurn(keypoints(-75))).toBe(-1);
    expect(FACING_MAX_TURN).toBeGreaterThan(0);
  });

  it('is null for degenerate keypoints (both eyes on one point, ears on the nose)', () => {
    const p = { x: 5, y: 5 };
    expect(headTurn({ rightEye: p, leftEye: p, nose: p, mouth: p, rightEar: p, leftEar: p })).toBeNull();
    expect(headTurn({ ...keypoints(0), rightEar: keypoints(0).nose, leftEar: keypoints(0).nose })).toBeNull();
  });

  it('comes out of BlazeFace decoding beside the roll', () => {
    const k = keypoints(40);
    const offsets = [k.rightEye, k.leftEye, k.nose, k.mouth, k.rightEar, k.leftEar].flatMap((p) => [p.x - 100, p.y - 50]);
    const [c] = decodeBlazeFace([0, 0, 80, 80, ...offsets], [10], 16, [{ x: 0.5, y: 0.5 }], { width: 256, height: 256 }, 0.5);
    expect(c!.turn).toBeCloseTo(headTurn(k)!, 6);
    expect(c!.turn).toBeGreaterThan(FACING_MAX_TURN);
  });
});

describe('attention in the call summary', () => {
  const LABELS = ['happy', 'neutral'];
  const T0 = 1_700_000_000_000;
  const begin = () => startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: T0, labels: LABELS });

  it('keeps a face turned as last detected through the frames that only track it', () => {
    const face = { box: { x: 0, y: 0, width: 50, height: 50 }, score: 0.9, label: 'happy', probabilities: { happy: 1 } };
    const first = trackFaces(NO_TRACKS, [{ ...face, turn: 0.6 }], 0);
    const tracked = trackFaces(first.tracks, [face], 100);
    expect(tracked.faces[0]!.turn).toBe(0.6);
  });

  it('counts per participant the frames analyzed, the face found and the face facing the camera', () => {
    let c = begin();
    let t = T0;
    const frame = (faces: Array<{ trackId: number; label: string; facing?: boolean }>, name = 'Ada', tileId = 't1') => (c = addFrame(c, { time: (t += 200), tileId, name, faces }));
    for (let i = 0; i < 6; i++) frame([{ trackId: 1, label: 'happy', facing: true }]);
    for (let i = 0; i < 2; i++) frame([{ trackId: 1, label: 'happy', facing: false }]);
    for (let i = 0; i < 2; i++) frame([]); // Ada left the camera
    frame([], 'Grace', 't2'); // an empty tile never seen with a face adds no participant
    const ada = c.participants.find((p) => p.name === 'Ada')!;
    expect(ada).toMatchObject({ frames: 8, analyzed: 10, facing: 6 });
    expect(attentionOf(ada)).toEqual({ visible: 0.8, facing: 0.6, away: null, nobody: null, analyzed: 10 });
    expect(c.participants).toHaveLength(1);
    expect(summaryProblem(c)).toBeNull();
    const [header, row] = callsToCsv([c]).trimEnd().split('\n');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(cells).toMatchObject({ face_visible: '0.8000', facing_camera: '0.6000' });
  });

  it('shows "face visible" only when the detector has no keypoints, and nothing for a call stored before', () => {
    let c = begin();
    c = addFrame(c, { time: T0 + 100, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
    c = addFrame(c, { time: T0 + 200, tileId: 't1', name: 'Ada', faces: [] });
    expect(attentionOf(c.participants[0]!)).toEqual({ visible: 0.5, facing: null, away: null, nobody: null, analyzed: 2 });
    const { analyzed: _a, facing: _f, ...stored } = c.participants[0]!;
    expect(attentionOf(stored)).toBeNull();
    const row = callsToCsv([{ ...c, participants: [stored] }]).trimEnd().split('\n')[1]!;
    expect(row.endsWith(',wall,,,,')).toBe(true);
    // A call stored before takes its earlier face-frames as analyzed once it goes on.
    const resumed = addFrame({ ...c, participants: [stored] }, { time: T0 + 300, tileId: 't1', name: 'Ada', faces: [] });
    expect(resumed.participants[0]!.analyzed).toBe(2);
  });

  it('merges the counters into the others row and refuses a stored count that is not a number', () => {
    let c = begin();
    for (let i = 0; i < MAX_PARTICIPANTS + 3; i++) c = addFrame(c, { time: T0 + i, tileId: `t${i}`, name: `P${i}`, faces: [{ trackId: 1, label: 'happy', facing: i % 2 === 0 }] });
    const others = c.participants.find((p) => p.key === OTHERS_KEY)!;
    expect(others.analyzed).toBe(others.frames);
    expect(c.participants.reduce((a, p) => a + (p.facing ?? 0), 0)).toBe(Math.ceil((MAX_PARTICIPANTS + 3) / 2));
    expect(summaryProblem({ ...c, participants: [{ ...c.participants[0]!, facing: 'x' }] })).toBe('participants malformed');
  });
});

describe('someone there, face not visible (the person detector)', () => {
  const LABELS = ['happy', 'neutral'];
  const T0 = 1_700_000_000_000;
  const begin = () => startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: T0, labels: LABELS });
  const cellsOf = (csv: string) => {
    const [header, ...rows] = csv.replace('\uFEFF', '').trimEnd().split('\n');
    const cols = header!.split(',');
    return { cols, rows: rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v]))) };
  };

  it('countMissing: someone seen counts away, nobody seen counts nobody, not asked counts neither', () => {
    const p: AttentionCounts = { frames: 2, analyzed: 2 };
    countMissing(p);
    expect(p).toEqual({ frames: 2, analyzed: 3 });
    countMissing(p, true);
    countMissing(p, true);
    countMissing(p, false);
    expect(p).toEqual({ frames: 2, analyzed: 6, away: 2, nobody: 1 });
  });

  it('attentionOf: away and nobody as shares of the analyzed frames, null where never asked', () => {
    expect(attentionOf({ frames: 6, analyzed: 10, facing: 5, away: 3, nobody: 1 })).toEqual({ visible: 0.6, facing: 0.5, away: 0.3, nobody: 0.1, analyzed: 10 });
    // Asked, but only ever someone there: nobody is 0, not unmeasured.
    expect(attentionOf({ frames: 8, analyzed: 10, away: 2 })).toMatchObject({ away: 0.2, nobody: 0 });
    expect(attentionOf({ frames: 9, analyzed: 10, nobody: 1 })).toMatchObject({ away: 0, nobody: 0.1 });
    expect(attentionOf({ frames: 8, analyzed: 10 })).toMatchObject({ away: null, nobody: null });
  });

  it('mergeAttention sums away and nobody, and keeps them absent where neither side has them', () => {
    const into: AttentionCounts = { frames: 2, analyzed: 4, away: 1 };
    mergeAttention(into, { frames: 3, analyzed: 5, nobody: 2 });
    expect(into).toEqual({ frames: 2, analyzed: 9, away: 1, nobody: 2 });
    mergeAttention(into, { frames: 1, analyzed: 1, away: 3, nobody: 1 });
    expect(into).toMatchObject({ analyzed: 10, away: 4, nobody: 3 });
    const plain: AttentionCounts = { frames: 2, analyzed: 3 };
    mergeAttention(plain, { frames: 1, analyzed: 2 });
    expect(plain).toEqual({ frames: 2, analyzed: 5 });
  });

  /** Ada: 6 face-frames, then 4 faceless frames: 1 not asked, 2 someone there, 1 nobody. */
  function call() {
    let c = begin();
    let t = T0;
    for (let i = 0; i < 6; i++) c = addFrame(c, { time: (t += 200), tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy', facing: true }] });
    for (const someone of [undefined, true, true, false]) c = addFrame(c, { time: (t += 200), tileId: 't1', name: 'Ada', faces: [], ...(someone === undefined ? {} : { someone }) });
    c = addFrame(c, { time: (t += 200), tileId: 't2', name: 'Grace', faces: [{ trackId: 2, label: 'neutral', facing: true }] });
    return c;
  }

  it('counts the frames through addFrame, and the stored counters must be numbers', () => {
    const c = call();
    const ada = c.participants.find((p) => p.name === 'Ada')!;
    expect(ada).toMatchObject({ frames: 6, analyzed: 10, away: 2, nobody: 1 });
    expect(attentionOf(ada)).toEqual({ visible: 0.6, facing: 0.6, away: 0.2, nobody: 0.1, analyzed: 10 });
    expect(summaryProblem(c)).toBeNull();
    expect(summaryProblem({ ...c, participants: [{ ...ada, away: 'x' as unknown as number }] })).toBe('participants malformed');
  });

  it('CSV: someone_away and nobody_there last, empty where the person detector was never asked', () => {
    const c = call();
    const { cols, rows } = cellsOf(callsToCsv([c]));
    expect(cols.slice(-4)).toEqual(['face_visible', 'facing_camera', 'someone_away', 'nobody_there']);
    const by = Object.fromEntries(rows.map((r) => [r.participant, r]));
    expect(by.Ada).toMatchObject({ face_visible: '0.6000', facing_camera: '0.6000', someone_away: '0.2000', nobody_there: '0.1000' });
    expect(by.Grace).toMatchObject({ face_visible: '1.0000', someone_away: '', nobody_there: '' });
    // A call stored before the person detector: empty, as Grace's.
    const old = { ...c, participants: c.participants.map(({ away: _a, nobody: _n, ...p }) => p) };
    expect(cellsOf(callsToCsv([old])).rows.map((r) => [r.someone_away, r.nobody_there])).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });

  it('popup: the attention line adds away and nobody where above 0, and reads as before without them', () => {
    const base = { visible: 0.8, facing: 0.7, analyzed: 20 };
    expect(attentionText({ ...base, away: 0.15, nobody: 0.05 })).toBe('Face visible 80% · facing the camera 70% · away from the camera 15% · nobody there 5%');
    expect(attentionText({ ...base, away: 0.15, nobody: 0 })).toBe('Face visible 80% · facing the camera 70% · away from the camera 15%');
    expect(attentionText({ ...base, away: 0, nobody: 0.004 })).toBe('Face visible 80% · facing the camera 70% · nobody there 0.4%');
    expect(attentionText({ ...base, facing: null, away: 0.1, nobody: null })).toBe('Face visible 80% (this face detector cannot tell where a head turns) · away from the camera 10%');
    expect(attentionText({ ...base, away: null, nobody: null })).toBe('Face visible 80% · facing the camera 70%');
    expect(attentionText({ ...base, away: 0, nobody: 0 })).toBe('Face visible 80% · facing the camera 70%');
    expect(attentionTitle({ ...base, away: null, nobody: null })).toBe('Of 20 analyzed frames of this tile');
    expect(attentionTitle({ ...base, away: 0.15, nobody: 0 })).toBe('Of 20 analyzed frames of this tile\nAway: no face found, but someone was in the picture (turned away or partly out of frame). Nobody: no one in the picture.');
  });

  it('summary image: away and nobody at the right of the participant, nothing of them without', () => {
    const texts = (c: ReturnType<typeof call>) => summaryImage(c).ops.flatMap((o) => (o.kind === 'text' ? [o.text] : []));
    expect(texts(call())).toContain('away 20% · nobody 10%');
    const old = call();
    const stripped = { ...old, participants: old.participants.map(({ away: _a, nobody: _n, ...p }) => p) };
    expect(texts(stripped).filter((t) => /\b(away|nobody) /.test(t))).toEqual([]);
  });
});
