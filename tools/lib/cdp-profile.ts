// Node (Playwright): a V8 CPU profile of any target of a browser (the offscreen document, the
// service worker, a page), through the browser's CDP session, summed as self time per function; and
// the JS heap those targets retain after a forced collection.
import type { Browser } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per function over `ms` of every target whose URL matches, heaviest first. */
export async function profileTargets(browser: Browser, match: (type: string, url: string) => boolean, ms: number): Promise<Map<string, Array<{ fn: string; ms: number }>>> {
  const cdp = await browser.newBrowserCDPSession();
  let seq = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const m = JSON.parse(message) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const send = (sessionId: string, method: string, params: object = {}) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const targets = targetInfos.filter((t) => match(t.type, t.url));
    const sessions: Array<{ label: string; sessionId: string }> = [];
    for (const t of targets) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      await send(sessionId, 'Profiler.enable');
      await send(sessionId, 'Profiler.setSamplingInterval', { interval: 200 });
      await send(sessionId, 'Profiler.start');
      sessions.push({ label: `${t.type} ${t.url.replace(/^chrome-extension:\/\/[a-p]+/, 'ext:')}`, sessionId });
    }
    await new Promise((r) => setTimeout(r, ms));
    const out = new Map<string, Array<{ fn: string; ms: number }>>();
    for (const { label, sessionId } of sessions) {
      const res = await send(sessionId, 'Profiler.stop');
      const profile = (res.result as { profile: Profile }).profile;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const n = byId.get(id);
        const f = n ? `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber}` : '?';
        self.set(f, (self.get(f) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      });
      out.set(label, [...self.entries()].map(([fn, t]) => ({ fn, ms: t })).sort((a, b) => b.ms - a.ms));
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/** MB of JS heap each matching target retains after a forced garbage collection, by `type url`. */
export async function retainedHeaps(browser: Browser, match: (type: string, url: string) => boolean): Promise<Map<string, number>> {
  const cdp = await browser.newBrowserCDPSession();
  let seq = 0;
  const pending = new Map<number, (m: { result?: unknown }) => void>();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const m = JSON.parse(message) as { id?: number; result?: unknown };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const send = (sessionId: string, method: string) =>
    new Promise<{ result?: unknown }>((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  const out = new Map<string, number>();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    for (const t of targetInfos.filter((x) => match(x.type, x.url))) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      await send(sessionId, 'HeapProfiler.collectGarbage');
      const usage = (await send(sessionId, 'Runtime.getHeapUsage')).result as { usedSize?: number } | undefined;
      out.set(`${t.type} ${t.url.replace(/^chrome-extension:\/\/[a-p]+/, 'ext:')}`, (usage?.usedSize ?? 0) / 1e6);
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}
