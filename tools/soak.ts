// Node: the soak run. Repeats the e2e resilience cases (reload/resume, worker restart, offscreen
// closed mid-call, bad input, many tiles, tab capture) N times on the built extension and prints
// each test's pass count, so that a flake shows up as a number instead of a surprise in CI.
//   npm run test:soak -- [--runs 10] [--files tests/e2e/reload.test.ts,...] [--json out.json]
// Exits 1 when any run of any test failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_DIR } from './lib/extension-browser';
import { REPO_ROOT } from './lib/paths';

const DEFAULT_FILES = ['tests/e2e/reload.test.ts', 'tests/e2e/resilience.test.ts', 'tests/e2e/calls.test.ts', 'tests/e2e/tab-capture.test.ts'];

interface VitestJson {
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ fullName: string; status: string; duration?: number; failureMessages?: string[] }> }>;
}

interface Tally {
  file: string;
  test: string;
  passed: number;
  failed: number;
  /** Durations of passing runs (ms). */
  durations: number[];
  /** First line of each failure. */
  failures: string[];
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, files: { type: 'string' }, json: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const files = values.files ? values.files.split(',') : DEFAULT_FILES;
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error('extension not built: run `npm run build` first');
  const out = mkdtempSync(join(tmpdir(), 'soak-'));
  const tallies = new Map<string, Tally>();
  for (let run = 1; run <= runs; run++) {
    const report = join(out, `run-${run}.json`);
    const t0 = Date.now();
    spawnSync('npx', ['vitest', 'run', '--project', 'e2e', '--reporter=json', `--outputFile=${report}`, ...files], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(report)) throw new Error(`run ${run}: vitest wrote no report`);
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    let failedNow = 0;
    for (const file of json.testResults) {
      // A file that failed outside its tests (set-up, import) counts as a failure of the file itself.
      const results =
        file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed')
          ? [...file.assertionResults, { fullName: '(file set-up)', status: 'failed', failureMessages: [file.message ?? 'failed'] }]
          : file.assertionResults;
      for (const a of results) {
        const key = `${file.name}\u0000${a.fullName}`;
        const t = tallies.get(key) ?? { file: file.name.replace(`${REPO_ROOT}/`, ''), test: a.fullName, passed: 0, failed: 0, durations: [], failures: [] };
        if (a.status === 'passed') {
          t.passed++;
          t.durations.push(a.duration ?? 0);
        } else if (a.status === 'failed') {
          t.failed++;
          failedNow++;
          t.failures.push(`run ${run}: ${(a.failureMessages?.[0] ?? '').split('\n')[0]}`);
        }
        tallies.set(key, t);
      }
    }
    console.error(`run ${run}/${runs}: ${failedNow === 0 ? 'all passed' : `${failedNow} failed`} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const rows = [...tallies.values()];
  console.log(`\n| file | test | passed | max ms |\n|---|---|---:|---:|`);
  for (const t of rows) console.log(`| ${t.file} | ${t.test} | ${t.passed}/${t.passed + t.failed} | ${t.durations.length ? Math.max(...t.durations).toFixed(0) : '-'} |`);
  const failures = rows.flatMap((t) => t.failures.map((f) => `${t.test}: ${f}`));
  if (failures.length > 0) console.log(`\nFailures:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ runs, files, tests: rows }, null, 2));
  process.exit(failures.length > 0 ? 1 : 0);
}

main();
