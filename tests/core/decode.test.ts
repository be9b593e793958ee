import { describe, expect, it } from 'vitest';
import { decodeBlazeFace, decodeSsd, sigmoid } from '../../src/ml/logic/decode';

describe('decodeSsd', () => {
  const anchor = { ymin: 0.2, xmin: 0.3, ymax: 0.4, xmax: 0.7 }; // centre (0.3, 0.5), h 0.2, w 0.4

  it('returns the anchor itself for zero encodings', () => {
    const [c] = decodeSsd([0, 0, 0, 0], [0, 3, 0], 3, [anchor], 0);
    expect(c!.score).toBeCloseTo(sigmoid(3), 6);
    expect(c!.box.ymin).toBeCloseTo(0.2, 6);
    expect(c!.box.xmax).toBeCloseTo(0.7, 6);
  });

  it('shifts by encoding/10 of the anchor size and scales by exp(encoding/5)', () => {
    const [c] = decodeSsd([10, -10, 5 * Math.log(2), 0], [0, 0, 0], 3, [anchor], 0);
    // centre y 0.3 + 0.2 = 0.5, x 0.5 - 0.4 = 0.1; height doubled to 0.4, width unchanged 0.4
    expect(c!.box.ymin).toBeCloseTo(0.3, 6);
    expect(c!.box.ymax).toBeCloseTo(0.7, 6);
    expect(c!.box.xmin).toBeCloseTo(-0.1, 6);
    expect(c!.box.xmax).toBeCloseTo(0.3, 6);
  });

  it('drops candidates below the score threshold (class 1 is the face)', () => {
    expect(decodeSsd([0, 0, 0, 0, 0, 0, 0, 0], [5, -5, 0, -5, 5, 0], 3, [anchor, anchor], 0.5)).toHaveLength(1);
  });
});

describe('decodeBlazeFace', () => {
  it('offsets the anchor centre by pixels / input size and sizes the box in pixels', () => {
    const regs = new Array(16).fill(0);
    regs[0] = 32; // x offset in px
    regs[1] = -32;
    regs[2] = 64; // width px
    regs[3] = 128;
    const [c] = decodeBlazeFace(regs, [2], 16, [{ x: 0.5, y: 0.5 }], { width: 256, height: 256 }, 0.1);
    expect(c!.score).toBeCloseTo(sigmoid(2), 6);
    expect(c!.box.xmin).toBeCloseTo(0.625 - 0.125, 6);
    expect(c!.box.xmax).toBeCloseTo(0.625 + 0.125, 6);
    expect(c!.box.ymin).toBeCloseTo(0.375 - 0.25, 6);
    expect(c!.box.ymax).toBeCloseTo(0.375 + 0.25, 6);
  });

  it('normalizes each axis by its own input side (a 256 x 160 input)', () => {
    const regs = new Array(16).fill(0);
    regs[1] = 16; // y offset in px
    regs[2] = 64;
    regs[3] = 80;
    const [c] = decodeBlazeFace(regs, [2], 16, [{ x: 0.5, y: 0.5 }], { width: 256, height: 160 }, 0.1);
    expect(c!.box.xmax - c!.box.xmin).toBeCloseTo(0.25, 6);
    expect(c!.box.ymax - c!.box.ymin).toBeCloseTo(0.5, 6);
    expect((c!.box.ymin + c!.box.ymax) / 2).toBeCloseTo(0.6, 6);
  });

  it('gives the roll of the line from the right eye (keypoint 0) to the left eye (keypoint 1)', () => {
    const roll = (rx: number, ry: number, lx: number, ly: number) => {
      const regs = new Array(16).fill(0);
      regs.splice(4, 4, rx, ry, lx, ly);
      return decodeBlazeFace(regs, [2], 16, [{ x: 0.5, y: 0.5 }], { width: 256, height: 256 }, 0.1)[0]!.roll!;
    };
    expect(roll(-20, 0, 20, 0)).toBeCloseTo(0, 9); // level eyes
    expect(roll(-20, -20, 20, 20)).toBeCloseTo(Math.PI / 4, 9); // left eye lower: turned clockwise on screen
    expect(roll(-20, 10, 20, -10)).toBeCloseTo(-Math.atan(0.5), 9);
  });
});
