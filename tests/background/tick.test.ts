// Node (WXT's fake browser): the tick's alarm exists only while there is work for it.
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTick, TICK_ALARM } from '../../entrypoints/background/tick';

beforeEach(() => fakeBrowser.reset());

describe('the tick alarm', () => {
  it('no call and no ML host: a worker start ticks once and leaves no alarm (it used to wake the worker every 30 s forever)', async () => {
    let ticks = 0;
    const tick = createTick({ alarms: fakeBrowser.alarms as never, fire: async () => void ticks++, needed: async () => false });
    await tick.run();
    expect(ticks).toBe(1);
    expect(await fakeBrowser.alarms.get(TICK_ALARM)).toBeUndefined();
  });

  it('a live call starts it; it keeps its period when asked again; the tick that finds nothing left clears it', async () => {
    let work = true;
    let ticks = 0;
    const tick = createTick({ alarms: fakeBrowser.alarms as never, fire: async () => void ticks++, needed: async () => work });
    await tick.ensure();
    const first = await fakeBrowser.alarms.get(TICK_ALARM);
    expect(first?.periodInMinutes).toBe(0.5);
    await tick.ensure();
    expect((await fakeBrowser.alarms.get(TICK_ALARM))?.scheduledTime).toBe(first?.scheduledTime);
    await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: Date.now(), periodInMinutes: 0.5 });
    await new Promise((r) => setTimeout(r, 0));
    expect(await fakeBrowser.alarms.get(TICK_ALARM)).toBeDefined();
    work = false;
    await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: Date.now(), periodInMinutes: 0.5 });
    await new Promise((r) => setTimeout(r, 0));
    expect(ticks).toBe(2);
    expect(await fakeBrowser.alarms.get(TICK_ALARM)).toBeUndefined();
  });
});
