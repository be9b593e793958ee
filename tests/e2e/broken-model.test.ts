// Node (Playwright): the extension with a broken model file (a copy of the build with one byte of
// the default classifier's weights flipped, or the default detector's weights deleted): the overlay
// and the popup say which file and what is wrong; nothing is analyzed, nothing crashes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelsManifest } from '../../src/core/models';
import { EXTENSION_DIR, type ExtensionPage, type ExtensionSession, openFixturePage, openSession, readOverlay, waitForVideos, passFirstRun } from './harness';

const { defaults } = parseModelsManifest(JSON.parse(readFileSync(join(EXTENSION_DIR, 'models', 'models.json'), 'utf8')));

const CASES = [
  {
    name: 'a corrupt classifier file',
    file: `${defaults.classifier}/weights.bin`,
    expected: /is corrupt: sha256/,
    breakIt: (path: string) => {
      const bytes = readFileSync(path);
      bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
      writeFileSync(path, bytes);
    },
  },
  { name: 'a missing detector file', file: `${defaults.detector}/weights.bin`, expected: /cannot be read/, breakIt: (path: string) => rmSync(path) },
];

describe.each(CASES)('$name', ({ file, expected, breakIt }) => {
  let dir: string;
  let session: ExtensionSession;
  let ext: ExtensionPage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'emotion-overlay-broken-'));
    cpSync(EXTENSION_DIR, dir, { recursive: true });
    breakIt(join(dir, 'models', file));
    ({ session, ext } = await openSession({ extensionDir: dir }));
  });
  afterAll(async () => {
    await session?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('puts the tile in an error state that names the file', async () => {
    const { page, tabId } = await openFixturePage(session, ext, 'youtube');
    await waitForVideos(page, 20_000);
    await ext.send('setOverlay', { tabId, on: true });
    const statuses = async () => ((await readOverlay(page)) ?? []).map((t) => ({ kind: t.status, text: t.statusText, shown: t.status !== 'faces' }));
    await expect.poll(async () => (await statuses()).some((s) => s.kind === 'error'), { timeout: 30_000 }).toBe(true);
    const [status] = await statuses();
    console.log(`[broken model] overlay: ${status?.text ?? ''}`);
    expect(status?.shown).toBe(true);
    expect(status?.text).toContain(file);
    expect(status?.text).toMatch(expected);
    expect(((await readOverlay(page)) ?? []).flatMap((t) => t.chips)).toEqual([]);
  });

  it('shows the same error in the popup', async () => {
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await passFirstRun(popup);
    await expect.poll(() => popup.getByTestId('pipeline-state').textContent(), { timeout: 30_000 }).toMatch(/^error: /);
    const text = (await popup.getByTestId('pipeline-state').textContent()) ?? '';
    expect(text).toContain(file);
    expect(text).toMatch(expected);
  });
});
