// Storage items against WXT's fake browser: migrations from golden old shapes, corrupt records,
// retention and the storage budget, settings validation on read.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { addFrame, type CallSummary, endCall, startCall } from '../../src/calls/summary';
import { upgradeSummary } from '../../src/calls/summary-stored';
import { callIdsItem, deleteCalls, historyUsage, importCalls, listCallIndex, pruneExpired, readCall, readCalls, saveCalls, setStoredStar } from '../../src/calls/store';
import { callsItem, migrateLegacyCalls, migrateCallsV1, migrateCallsV2 } from '../../src/calls/store-legacy';
import { liveCallsItem, liveCheckpointItem, migrateLiveCallsV1, readLiveCalls } from '../../src/calls/store-live';
import { bytesInUse, enforceQuota } from './quota';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { getSettings, settingsItem, updateSettings } from '../../src/storage/settings';
import { acknowledgeFirstRun, firstRunItem, noticesItem, readFirstRun, readNotices } from '../../src/storage/notices';
import { overlayTabsItem, readOverlayTabs, writeOverlayTab } from '../../src/storage/tabs';
import { storageProblems } from '../../src/storage/problems';

const LABELS = ['angry', 'happy', 'neutral', 'sad', 'surprise'];
const MB = 1024 * 1024;
/** History rules: a retention period (days) and a budget far from binding unless given. */
const rules = (retentionDays: number, budgetBytes = 100 * MB) => ({ retentionDays, budgetBytes });

function call(start: number, id = `meet:abc-defg-hij:${start}`): CallSummary {
  let c = { ...startCall({ site: 'meet', callId: 'abc-defg-hij', title: 'Standup', time: start, labels: LABELS }), id };
  c = addFrame(c, { time: start + 100, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
  c = addFrame(c, { time: start + 350, tileId: 't1', name: 'Ada', faces: [{ trackId: 1, label: 'happy' }] });
  return endCall(c, start + 1000, 'tab-closed');
}

/** The v1 shape, as the first release stored it: an array, participants without countByLabel. */
const V1_GOLDEN = {
  calls: [
    {
      id: 'meet:abc-defg-hij:1700000000000',
      site: 'meet',
      callId: 'abc-defg-hij',
      title: 'Weekly sync',
      start: 1700000000000,
      end: 1700000600000,
      frames: 2400,
      labels: LABELS,
      participants: [{ key: 'name:Ada', name: 'Ada', frames: 2400, msByLabel: { angry: 0, happy: 300000, neutral: 300000, sad: 0, surprise: 0 }, lastSeen: 1700000600000 }],
      timeline: [{ minute: 0, countByLabel: { angry: 0, happy: 120, neutral: 120, sad: 0, surprise: 0 } }],
      backend: 'wasm',
      models: { detector: 'blazeface-f16', classifier: 'faceapi-expression-u8' },
      ended: true,
      endReason: 'tab-closed',
    },
    { title: 'no id: dropped by the migration' },
  ],
};

beforeEach(() => {
  fakeBrowser.reset();
});

describe('calls item', () => {
  it('migrates the v1 array shape (golden example) to v2 records keyed by id', async () => {
    expect(migrateCallsV1(V1_GOLDEN)).toEqual({
      'meet:abc-defg-hij:1700000000000': {
        ...V1_GOLDEN.calls[0],
        participants: [{ ...V1_GOLDEN.calls[0]!.participants![0], countByLabel: { angry: 0, happy: 0, neutral: 0, sad: 0, surprise: 0 } }],
      },
    });
    expect(migrateCallsV1(null)).toEqual({});
  });

  it('runs the migration when a v1 value is found in storage', async () => {
    await fakeBrowser.storage.local.set({ calls: V1_GOLDEN, calls$: { v: 1 } });
    await callsItem.migrate();
    await migrateLegacyCalls();
    const { calls, problems } = await readCalls();
    expect(problems).toEqual([]);
    expect(calls.map((c) => c.title)).toEqual(['Weekly sync']);
  });

  it('migrates v2 calls (per-minute timeline entries) to v3 slots of 1 min, losing nothing', async () => {
    const v2 = migrateCallsV1(V1_GOLDEN);
    await fakeBrowser.storage.local.set({ calls: v2, calls$: { v: 2 } });
    await callsItem.migrate();
    await migrateLegacyCalls();
    const { calls, problems } = await readCalls();
    expect(problems).toEqual([]);
    const before = Object.values(v2)[0] as { timeline: Array<{ minute: number; countByLabel: Record<string, number> }> };
    expect(calls[0]!.timelineStepMs).toBe(60_000);
    expect(calls[0]!.timeline).toEqual(before.timeline.map((m) => ({ slot: m.minute, countByLabel: m.countByLabel })));
    expect(migrateCallsV2(null)).toEqual({});
  });

  it('moves a v3 history (one item) into one record per call and an index, losing nothing (golden)', async () => {
    const calls = [call(1000), call(5000), call(3000)];
    const v3 = Object.fromEntries(calls.map((c) => [c.id, c]));
    await fakeBrowser.storage.local.set({ calls: v3, calls$: { v: 3 } });
    await migrateLegacyCalls();
    const listed = await listCallIndex();
    const stored = await fakeBrowser.storage.local.get(null);
    // The old item and its meta are gone; each call is its own record, exactly as it was.
    expect(Object.keys(stored).sort()).toEqual(['callIds', ...calls.flatMap((c) => [`call:${c.id}`, `callMeta:${c.id}`])].sort());
    for (const c of calls) expect(stored[`call:${c.id}`]).toEqual(c);
    expect(listed.calls.map((c) => [c.start, c.dominant, c.frames])).toEqual([
      [5000, 'happy', 2],
      [3000, 'happy', 2],
      [1000, 'happy', 2],
    ]);
    expect((await readCalls()).calls).toEqual([calls[1], calls[2], calls[0]]);
    expect(await readCall(calls[0]!.id)).toEqual(calls[0]);
    // Migrating again (an interrupted run) changes nothing.
    await fakeBrowser.storage.local.set({ calls: v3, calls$: { v: 3 } });
    await migrateLegacyCalls();
    expect((await listCallIndex()).calls).toEqual(listed.calls);
  });

  it('a checkpoint writes its call\'s record and index entry only; retention removes records and index entries together', async () => {
    const day = 86_400_000;
    await saveCalls([call(1000), call(2000)], rules(0));
    const before = (await fakeBrowser.storage.local.get('call:meet:abc-defg-hij:1000'))['call:meet:abc-defg-hij:1000'] as CallSummary;
    await fakeBrowser.storage.local.set({ 'call:meet:abc-defg-hij:1000': { ...before, title: 'marker' } });
    await saveCalls([{ ...call(2000), frames: 3 }], rules(0));
    // The other record was not rewritten (its marker stays).
    expect(((await fakeBrowser.storage.local.get('call:meet:abc-defg-hij:1000'))['call:meet:abc-defg-hij:1000'] as CallSummary).title).toBe('marker');
    expect(await pruneExpired(30, 2000 + 31 * day)).toBe(2);
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) => k.startsWith('call'))).toEqual(['callIds']);
    expect(await callIdsItem.getValue()).toEqual([]);
  });

  it('skips and reports corrupt or partial records without losing the good ones', async () => {
    const good = call(1000);
    await callsItem.setValue({ [good.id]: good, broken: { id: 'broken', site: 'meet', start: 'yesterday' }, nothing: null });
    await migrateLegacyCalls();
    const { calls, problems } = await readCalls();
    expect(calls.map((c) => c.id)).toEqual([good.id]);
    expect(problems).toHaveLength(2);
    expect(problems.join(' ')).toMatch(/call broken skipped: start is not a number/);
  });

  it('upserts, lists newest first and deletes one or all', async () => {
    await saveCalls([call(1000), call(5000)], rules(0));
    await saveCalls([call(3000)], rules(0));
    expect((await readCalls()).calls.map((c) => c.start)).toEqual([5000, 3000, 1000]);
    await deleteCalls(['meet:abc-defg-hij:3000']);
    expect((await readCalls()).calls.map((c) => c.start)).toEqual([5000, 1000]);
    await deleteCalls('all');
    expect((await readCalls()).calls).toEqual([]);
  });

  it('applies history retention', async () => {
    const day = 86_400_000;
    const now = 100 * day;
    await saveCalls([call(now - 40 * day), call(now - 10 * day)], rules(30), now);
    expect((await readCalls()).calls.map((c) => c.start)).toEqual([now - 10 * day]);
  });

  it('prunes the oldest calls to the size limit before writing, counting everything stored, and tells the user', async () => {
    // Calls of ~29 KB (many tiles remembered); a 1 MB limit holds about 35 of them.
    const big = (start: number): CallSummary => ({ ...call(start), lastFrameByTile: Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`tile-${String(i).padStart(6, '0')}`, start])) });
    const limit = rules(0, 1 * MB);
    for (let i = 0; i < 45; i++) expect((await saveCalls([big(1000 + i)], limit)).saved).toBe(true);
    const { calls } = await readCalls();
    expect(calls.length).toBeLessThan(45);
    expect(calls.map((c) => c.start)).toEqual(Array.from({ length: calls.length }, (_, i) => 1044 - i)); // the newest stay
    // The limit holds for everything the history stores (records, index entries, keys, the id list), as Chromium counts it.
    expect(await bytesInUse()).toBeLessThanOrEqual(1 * MB + 4096); // (+ the notices)
    expect((await historyUsage()).bytes).toBeLessThanOrEqual(1 * MB);
    expect((await historyUsage()).bytes).toBeGreaterThan(0.9 * MB);
    expect((await readNotices()).notices[0]).toBe('The call history reached its size limit (1 MB, Settings): the oldest call was deleted.');
  });

  it('a starred call stays past the retention period and the size limit; unstarred, it goes', async () => {
    const day = 86_400_000;
    const now = 100 * day;
    await saveCalls([call(now - 40 * day), call(now - 39 * day)], rules(0));
    expect(await setStoredStar(call(now - 40 * day).id, true)).toBe(true);
    expect((await listCallIndex()).calls.find((c) => c.start === now - 40 * day)?.starred).toBe(true);
    expect(await pruneExpired(30, now)).toBe(1);
    expect((await readCalls()).calls.map((c) => c.start)).toEqual([now - 40 * day]);
    await setStoredStar(call(now - 40 * day).id, false);
    expect(await pruneExpired(30, now)).toBe(1);
    expect(await setStoredStar('meet:gone', true)).toBe(false);
  });

  it('an exported history merges back: new calls added, known ones kept as they are, bad ones counted, none past retention', async () => {
    const day = 86_400_000;
    const now = 100 * day;
    await saveCalls([{ ...call(now - 2 * day), title: 'mine' }], rules(30), now);
    const exported = [{ ...call(now - 2 * day), title: 'theirs' }, call(now - day), { ...call(now - 3 * day), ended: false }, call(now - 60 * day), { id: 'junk' }, null];
    const outcome = await importCalls(exported, rules(30), now);
    expect(outcome).toEqual({ added: 2, present: 1, invalid: 2, expired: 1, overBudget: 0, saved: true });
    const { calls } = await readCalls();
    expect(calls.map((c) => [c.start, c.title, c.ended])).toEqual([
      [now - day, 'Standup', true],
      [now - 2 * day, 'mine', true],
      [now - 3 * day, 'Standup', true],
    ]);
  });

  it('moves a 6 MB legacy history (one item) into records under a 10 MB quota, in chunks, losing nothing (golden)', async () => {
    // The v3 shape, 6 MB, as a pre-0.2 install near its 10 MB quota had it.
    const legacy: Record<string, CallSummary> = {};
    for (let i = 0; legacy && JSON.stringify(legacy).length < 6 * MB; i++) {
      const c = { ...call(1000 + i), lastFrameByTile: Object.fromEntries(Array.from({ length: 600 }, (_, k) => [`tile-${String(k).padStart(6, '0')}`, 1000 + i])) };
      legacy[c.id] = c;
    }
    await fakeBrowser.storage.local.set({ calls: legacy, calls$: { v: 3 } });
    enforceQuota(10 * MB);
    await migrateLegacyCalls();
    const stored = await fakeBrowser.storage.local.get(null);
    expect(stored.calls).toBeUndefined();
    expect(await callIdsItem.getValue()).toHaveLength(Object.keys(legacy).length);
    for (const c of Object.values(legacy)) expect(stored[`call:${c.id}`]).toEqual(c);
  });
});

/** Live calls v1 (unversioned, no meta key), as the background wrote them: CallSummary by tab id. */
const LIVE_V1_GOLDEN = {
  '412': {
    id: 'meet:abc-defg-hij:1700000000000',
    site: 'meet',
    callId: 'abc-defg-hij',
    title: 'Weekly sync',
    start: 1700000000000,
    end: 1700000004000,
    frames: 24,
    labels: LABELS,
    participants: [
      {
        key: 'name:Ada',
        name: 'Ada',
        frames: 24,
        msByLabel: { angry: 0, happy: 2000, neutral: 2000, sad: 0, surprise: 0 },
        countByLabel: { angry: 0, happy: 12, neutral: 12, sad: 0, surprise: 0 },
        lastSeen: 1700000004000,
      },
    ],
    timeline: [{ minute: 0, countByLabel: { angry: 0, happy: 12, neutral: 12, sad: 0, surprise: 0 } }],
    backend: 'wasm',
    models: { detector: 'blazeface-f16', classifier: 'ours-emotion-u8' },
    ended: false,
    endReason: null,
  },
};

describe('live calls items (session:liveCalls, local:liveCalls)', () => {
  it.each([
    ['session', liveCallsItem],
    ['local', liveCheckpointItem],
  ] as const)('%s: migrates the unversioned v1 shape (golden example) to v3: only the timeline becomes 1 min slots', async (area, item) => {
    await fakeBrowser.storage[area].set({ liveCalls: LIVE_V1_GOLDEN });
    await item.migrate();
    expect(await fakeBrowser.storage[area].get('liveCalls$')).toEqual({ liveCalls$: { v: 3 } });
    const { calls, problems } = await readLiveCalls(item);
    expect(problems).toEqual([]);
    const { timeline, ...rest } = LIVE_V1_GOLDEN['412'];
    expect([...calls.entries()]).toEqual([[412, { ...rest, timeline: timeline.map((m) => ({ slot: m.minute, countByLabel: m.countByLabel })), timelineStepMs: 60_000 }]]);
  });

  it('v1 values that are not an object migrate to an empty one', () => {
    for (const bad of [null, 'x', 3, [LIVE_V1_GOLDEN['412']]]) expect(migrateLiveCallsV1(bad)).toEqual({});
  });

  it('skips and reports null, partial and mis-keyed entries without losing the good ones', async () => {
    await fakeBrowser.storage.local.set({
      liveCalls: { '412': upgradeSummary(LIVE_V1_GOLDEN['412']), '7': null, '8': { id: 'x', site: 'meet', start: 'now' }, 'not-a-tab': upgradeSummary(LIVE_V1_GOLDEN['412']) },
      liveCalls$: { v: 3 },
    });
    const { calls, problems } = await readLiveCalls(liveCheckpointItem);
    expect([...calls.keys()]).toEqual([412]);
    expect(problems).toEqual([
      'live call in local:liveCalls for tab 7 skipped: not an object',
      'live call in local:liveCalls for tab 8 skipped: start is not a number',
      'live call in local:liveCalls for tab not-a-tab skipped: tab id "not-a-tab" is not a tab id',
    ]);
  });
});

describe('settings item', () => {
  it('falls back to the defaults, validates on read and clamps updates', async () => {
    expect((await getSettings()).fps).toBe(DEFAULT_SETTINGS.fps);
    await settingsItem.setValue({ fps: 'fast', chipStyle: 'emoji', bogus: 1 } as never);
    const s = await getSettings();
    expect(s.fps).toBe(DEFAULT_SETTINGS.fps);
    expect(s.chipStyle).toBe('emoji');
    expect('bogus' in s).toBe(false);
    expect((await updateSettings({ fps: 99 })).fps).toBe(15);
  });
});

describe('settings item: golden old shapes', () => {
  it('reads the first release\'s settings (no visibleLabels) with defaults for what is missing, no problem', async () => {
    const FIRST_RELEASE = { fps: 4, minFaceSize: 24, smoothingWindow: 4, chipStyle: 'emoji', showBoxes: false, retentionDays: 30 };
    await fakeBrowser.storage.local.set({ settings: FIRST_RELEASE });
    await settingsItem.migrate();
    expect(await getSettings()).toEqual({ ...DEFAULT_SETTINGS, ...FIRST_RELEASE });
    expect(await storageProblems()).toEqual([]);
  });

  it('migrates v1 settings (five labels to choose from) to v2: ahegao, new then, is shown; the models are the defaults', async () => {
    const V1 = { ...DEFAULT_SETTINGS, visibleLabels: ['happy', 'sad'] } as Record<string, unknown>;
    delete V1.detector;
    delete V1.classifier;
    await fakeBrowser.storage.local.set({ settings: V1, settings$: { v: 1 } });
    await settingsItem.migrate();
    expect(await getSettings()).toEqual({ ...DEFAULT_SETTINGS, visibleLabels: ['happy', 'sad', 'ahegao'], detector: null, classifier: null });
    expect(await fakeBrowser.storage.local.get('settings$')).toEqual({ settings$: { v: 2 } });
    expect(await storageProblems()).toEqual([]);
    expect((await updateSettings({ classifier: 'oahega-emotion-f16' })).classifier).toBe('oahega-emotion-f16');
    expect((await updateSettings({ classifier: '../../evil' as never })).classifier).toBeNull();
  });

  it('reports what it had to replace and keeps the rest', async () => {
    await fakeBrowser.storage.local.set({ settings: { fps: 'fast', chipStyle: 'huge', showBoxes: 1, visibleLabels: ['happy', 3], retentionDays: 7 }, settings$: { v: 1 } });
    expect((await getSettings()).retentionDays).toBe(7);
    expect(await storageProblems()).toEqual([
      'setting fps skipped: "fast" is not valid; using 6',
      'setting chipStyle skipped: "huge" is not valid; using "text"',
      'setting showBoxes skipped: 1 is not valid; using true',
      'setting visibleLabels skipped: ["happy",3] is not valid; using ["happy"]',
    ]);
    await fakeBrowser.storage.local.set({ settings: 'garbage' });
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(await storageProblems()).toEqual(['settings skipped: "garbage" is not an object; using the defaults']);
  });
});

describe('overlay tabs item', () => {
  it('migrates the unversioned v1 shape (golden example) and reads it', async () => {
    await fakeBrowser.storage.local.set({ overlayTabs: { '12': true, '40': true } });
    await overlayTabsItem.migrate();
    expect(await fakeBrowser.storage.local.get('overlayTabs$')).toEqual({ overlayTabs$: { v: 2 } });
    expect(await readOverlayTabs()).toEqual({ tabs: new Set([12, 40]), problems: [] });
  });

  it('skips and reports corrupt entries (never throws), and the next write drops them', async () => {
    await fakeBrowser.storage.local.set({ overlayTabs: { '12': true, '13': 'yes', tab: true }, overlayTabs$: { v: 2 } });
    const { tabs, problems } = await readOverlayTabs();
    expect(tabs).toEqual(new Set([12]));
    expect(problems).toEqual(['overlay state for tab 13 skipped: "yes" is not true', 'overlay state for "tab" skipped: not a tab id']);
    expect(await storageProblems()).toEqual(problems);
    await writeOverlayTab(5, true);
    expect(await readOverlayTabs()).toEqual({ tabs: new Set([5, 12]), problems: [] });
    await fakeBrowser.storage.local.set({ overlayTabs: null });
    expect((await readOverlayTabs()).tabs.size).toBe(0);
  });
});

describe('notices and first-run items', () => {
  it('migrate the unversioned v1 shapes (golden examples) and read them', async () => {
    await fakeBrowser.storage.local.set({ notices: ['Storage was nearly full: the 2 oldest call(s) were deleted.'], firstRunAcknowledged: true });
    await noticesItem.migrate();
    await firstRunItem.migrate();
    expect(await readNotices()).toEqual({ notices: ['Storage was nearly full: the 2 oldest call(s) were deleted.'], problems: [] });
    expect(await readFirstRun()).toEqual({ acknowledged: true, problems: [] });
  });

  it('skip and report corrupt values', async () => {
    await fakeBrowser.storage.local.set({ notices: ['kept', 7, null], firstRunAcknowledged: 'yes', notices$: { v: 2 }, firstRunAcknowledged$: { v: 2 } });
    expect(await readNotices()).toEqual({ notices: ['kept'], problems: ['2 notice(s) skipped: not text'] });
    expect(await readFirstRun()).toEqual({ acknowledged: false, problems: ['first-run flag skipped: "yes" is not true or false'] });
    expect(await storageProblems()).toEqual(['2 notice(s) skipped: not text', 'first-run flag skipped: "yes" is not true or false']);
    await fakeBrowser.storage.local.set({ notices: { not: 'a list' } });
    expect((await readNotices()).notices).toEqual([]);
    await acknowledgeFirstRun();
    expect((await readFirstRun()).acknowledged).toBe(true);
  });
});

describe('performance mode', () => {
  it('defaults to balanced; an unknown mode reads as balanced and is reported', async () => {
    expect((await getSettings()).performanceMode).toBe('balanced');
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, performanceMode: 'turbo' }, settings$: { v: 1 } });
    expect((await getSettings()).performanceMode).toBe('balanced');
    expect(await storageProblems()).toEqual(['setting performanceMode skipped: "turbo" is not valid; using "balanced"']);
    expect((await updateSettings({ performanceMode: 'battery', fps: 3 })).performanceMode).toBe('battery');
  });
});
