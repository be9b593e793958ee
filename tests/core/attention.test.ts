import { describe, expect, it } from 'vitest';
import { attentionOf } from '../../src/calls/attention';
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
    expect(attentionOf(ada)).toEqual({ visible: 0.8, facing: 0.6, analyzed: 10 });
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
    expect(attentionOf(c.participants[0]!)).toEqual({ visible: 0.5, facing: null, analyzed: 2 });
    const { analyzed: _a, facing: _f, ...stored } = c.participants[0]!;
    expect(attentionOf(stored)).toBeNull();
    const row = callsToCsv([{ ...c, participants: [stored] }]).trimEnd().split('\n')[1]!;
    expect(row.endsWith(',wall,,')).toBe(true);
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
