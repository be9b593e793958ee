// Node (tests): a site that exists only for the tests, declared the way every site is: one file that
// registers its adapter (src/sites/registry.ts). Importing it is all it takes for the extension to
// serve it (tests/core/sites.test.ts checks what follows from that).
import { registerSite } from '../../src/sites/registry';

export const testSite = registerSite({
  id: 'testcalls',
  name: 'Test Calls',
  hosts: ['https://calls.example.test/*'],
  findTiles: (doc) => [...doc.querySelectorAll('video.person')].map((media) => ({ media: media as HTMLVideoElement, name: media.getAttribute('data-name') })),
  callId: (url) => /^\/room\/(\w+)/.exec(url.pathname)?.[1] ?? null,
});
