// Node: finetune.py's result is read with every field present (the trainer's report and the export rely on them).
import { describe, expect, it } from 'vitest';
import { parseFinetuneResult } from '../../tools/train/finetune';

const RESULT = {
  trial: 2,
  config: { hidden: 128, dropout: 0.12 },
  epochs: 6,
  history: [],
  size: 96,
  valid: { combined: 0.63 },
  calibration: [0.1, 0, 0, -0.2, 0],
  validCalibrated: { combined: 0.645 },
  minutes: 53.4,
  stopped: null,
  seed: 7,
  batch: 64,
  ferRatio: 1,
  holdOut: '',
  distill: 1,
  mix: 0.7,
  reference: { size: 96, count: 2, logits: [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]] },
};

describe('parseFinetuneResult', () => {
  it('takes a complete result as it is', () => {
    expect(parseFinetuneResult(RESULT)).toEqual(RESULT);
  });

  it('names the first missing field, and refuses reference logits that do not match their count', () => {
    const { calibration: _, ...noCalibration } = RESULT;
    expect(() => parseFinetuneResult(noCalibration)).toThrow('finetune.py result lacks calibration');
    expect(() => parseFinetuneResult({ ...RESULT, reference: { ...RESULT.reference, count: 8 } })).toThrow(/reference logits/);
    expect(() => parseFinetuneResult({ ...RESULT, valid: {} })).toThrow(/combined/);
  });
});
