// Background service worker: the periodic tick (end idle calls, checkpoint live ones, close an unused
// ML host). Its alarm wakes the worker, so it exists only while there is work for it: a live or
// resumable call, or an open ML host; with none it is cleared, and the worker sleeps until an event.
export const TICK_ALARM = 'calls-tick';
const TICK_MINUTES = 0.5;

type Alarms = Pick<typeof chrome.alarms, 'get' | 'create' | 'clear' | 'onAlarm'>;

export function createTick(deps: { alarms: Alarms; fire: () => Promise<void>; needed: () => Promise<boolean> }) {
  const { alarms } = deps;
  /** Make sure the alarm runs (creating it again would restart its period, so only when absent). */
  async function ensure(): Promise<void> {
    if (!(await alarms.get(TICK_ALARM))) await alarms.create(TICK_ALARM, { periodInMinutes: TICK_MINUTES });
  }
  /** Keep the alarm exactly while it is needed (at a worker's start, and after each tick). */
  async function sync(): Promise<void> {
    if (await deps.needed()) await ensure();
    else await alarms.clear(TICK_ALARM);
  }
  /** One tick now, then the alarm as needed. */
  const run = () => deps.fire().then(sync, (err: unknown) => console.error('[background] tick failed', err));
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TICK_ALARM) void run();
  });
  return { ensure, sync, run };
}
