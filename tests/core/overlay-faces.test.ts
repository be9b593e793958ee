import { describe, expect, it } from 'vitest';
import { facesInTile, STEADY_BOX, steadyBox } from '../../src/overlay/logic/overlay-faces';

const face = (label: string, x = 100) => ({ trackId: 1, box: { x, y: 60, width: 80, height: 80 }, label, confidence: 0.8, uncertain: false });
const view = { frame: { width: 480, height: 270 }, tile: { width: 480, height: 270 }, fit: 'fill' as const, mirrored: false, visibleLabels: ['happy', 'sad'], percent: true };

describe('facesInTile', () => {
  it('maps boxes from frame pixels into the tile and keeps track, label and confidence', () => {
    expect(facesInTile([face('happy')], { ...view, tile: { width: 240, height: 135 } })).toEqual([{ trackId: 1, box: { x: 50, y: 30, width: 40, height: 40 }, label: 'happy', confidence: 0.8, uncertain: false }]);
  });
  it('a model without a calibration shows no percentage (confidence null); an uncertain face stays uncertain', () => {
    expect(facesInTile([face('happy')], { ...view, percent: false })[0]!.confidence).toBeNull();
    expect(facesInTile([{ ...face('happy'), uncertain: true }], view)[0]!.uncertain).toBe(true);
  });
  it('drops labels the user hid', () => {
    expect(facesInTile([face('angry')], view)).toEqual([]);
  });
  it('a square tile cropping a 16:9 frame (object-fit: cover): shifted by the crop; a face cropped away is dropped', () => {
    const square = { ...view, tile: { width: 270, height: 270 }, fit: 'cover' as const };
    expect(facesInTile([face('happy', 200)], square)[0]!.box).toEqual({ x: 95, y: 60, width: 80, height: 80 });
    expect(facesInTile([face('happy', 0)], square)).toEqual([]); // x 0-80 lies in the cropped-off 105 px
  });
  it('a mirrored self view draws the box on the other side', () => {
    expect(facesInTile([face('happy', 20)], { ...view, mirrored: true })[0]!.box.x).toBe(480 - 20 - 80);
  });
});

describe('steadyBox', () => {
  const drawn = { x: 100, y: 60, width: 80, height: 80 };
  it('a face that moved a few pixels stays where it was drawn; one that moved or grew past STEADY_BOX of its width moves', () => {
    const jitter = { x: 103, y: 58, width: 82, height: 81 };
    expect(steadyBox(jitter, drawn)).toBe(drawn);
    const moved = { ...drawn, x: 100 + STEADY_BOX * 80 + 1 };
    expect(steadyBox(moved, drawn)).toBe(moved);
    const grew = { ...drawn, width: 80 * (1 + STEADY_BOX) + 1 };
    expect(steadyBox(grew, drawn)).toBe(grew);
    expect(steadyBox(jitter, undefined)).toBe(jitter);
  });
});
