// Node: the shipped training recipe: `npm run train`'s defaults (index.ts), which
// `npm run train:compare` (compare.ts) also trains as the recipe to beat.
/** `npm run train`'s flags default to these; keys are the flags in camelCase. */
export const DEFAULTS = {
  trials: 1,
  rungs: '',
  epochs: 1.5,
  patience: 2,
  size: 112,
  batch: 64,
  ferRatio: 1,
  distill: 1,
  temperature: 4,
  teachers: 'human-emotion-f16',
  holdOut: '',
  seed: 7,
  id: 'ours-emotion',
} as const;
