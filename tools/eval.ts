// Node CLI (`npm run eval -- <subcommand> [flags]`): the evaluations still in use, one subcommand
// each (tools/eval/<name>.ts); no or an unknown subcommand prints the list and exits 2, --help prints it.
import { exitWithError, isMain } from './lib/cli';
import { run as attention } from './eval/attention';
import { run as calibration } from './eval/calibration';
import { run as classifiers } from './eval/classifiers';
import { run as detectInterval } from './eval/detect-interval';
import { run as detectors } from './eval/detectors';
import { run as presence } from './eval/presence';

const SUBCOMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  attention: {
    run: attention,
    usage: 'attention [--detectors a,b]   the head turn from detector keypoints against frames marked by eye (tests/fixtures/attention-check.csv)',
  },
  calibration: {
    run: calibration,
    usage: 'calibration [--models a,b] [--hold-out nhfi] [--limit n]   each classifier\'s confidence against how often it is right (ECE, reliability), a temperature and the uncertain threshold fitted on valid',
  },
  classifiers: {
    run: classifiers,
    usage: 'classifiers [--limit n] [--split test|valid] [--models a,b]   every shipped classifier on FER+, wild valid within source and the fixture photos',
  },
  'detect-interval': {
    run: detectInterval,
    usage: 'detect-interval [--max 9,12,15,18] [--fps 6] [--loops 2]   what detecting less often costs the label: the talking clips, tracked boxes against per-frame detection',
  },
  detectors: {
    run: detectors,
    usage: 'detectors [--limit n] [--crop-scales 1.1,1.25]   every shipped detector with the default classifier on wild valid photos on a 480x270 frame',
  },
  presence: {
    run: presence,
    usage: 'presence [--models a,b]   a tile with no face: someone there or nobody, by each person detector, against frames marked by eye (tests/fixtures/presence-check.csv)',
  },
};

const USAGE = `usage: npm run eval -- <subcommand> [flags]\n\nsubcommands:\n${Object.values(SUBCOMMANDS)
  .map((s) => `  ${s.usage}`)
  .join('\n')}\n\nWithout --limit (classifiers: on the test split) the figures go into public/models/models.json (\`measured\`).`;

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    console.log(USAGE);
    return;
  }
  const sub = name !== undefined && Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub) {
    console.error(name === undefined ? USAGE : `unknown subcommand "${name}"\n\n${USAGE}`);
    process.exit(2);
  }
  await sub.run(rest);
}

if (isMain(import.meta.url)) main(process.argv.slice(2)).catch(exitWithError);
