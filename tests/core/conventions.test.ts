// Node: the layout's rules, read off the source tree so that they stay true.
//   src/core is pure: it imports nothing from tfjs, WXT, chrome or the DOM (and touches no such global);
//   tfjs is imported only in src/ml; storage is defined and touched only in src/storage, each item versioned.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/lib/paths';

function files(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}
/** Source without comments and string contents other than import specifiers (so prose cannot trip a rule). */
function code(file: string): string {
  return readFileSync(join(REPO_ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
const imports = (src: string) => [...src.matchAll(/(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
const PRODUCT = [...files('src'), ...files('entrypoints')];

describe('layout rules', () => {
  it('src/core imports only src/core, and uses no tfjs, WXT, chrome, browser or DOM global', () => {
    const broken: string[] = [];
    for (const f of files('src/core')) {
      const src = code(f);
      for (const spec of imports(src)) if (!spec.startsWith('./')) broken.push(`${f} imports ${spec}`);
      const globals = src.match(/\b(chrome|browser|document|window|navigator|HTMLElement|HTMLVideoElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap|tf)\s*\./g);
      if (globals) broken.push(`${f} uses ${[...new Set(globals)].join(', ')}`);
    }
    expect(broken).toEqual([]);
  });

  it('tfjs is imported only in src/ml', () => {
    const broken = PRODUCT.filter((f) => !f.startsWith('src/ml/') && imports(code(f)).some((s) => s.startsWith('@tensorflow/')));
    expect(broken).toEqual([]);
  });

  it('storage items are defined and storage is touched only in src/storage', () => {
    const broken = PRODUCT.filter((f) => !f.startsWith('src/storage/') && /\bdefineItem\s*[<(]|(chrome|browser)\.storage\b|wxt\/utils\/storage/.test(code(f)));
    expect(broken).toEqual([]);
  });

  it('every storage item is versioned', () => {
    const items: string[] = [];
    const unversioned: string[] = [];
    for (const f of files('src/storage')) {
      const src = code(f);
      for (const m of src.matchAll(/defineItem\s*(?:<[^(]*>)?\(\s*'([^']+)'\s*,\s*([^)]*)\)/g)) {
        const [, key, options] = m;
        items.push(key!);
        // Inline options, or a const of this file holding them.
        const named = /^\s*([A-Za-z_$][\w$]*)\s*$/.exec(options!)?.[1];
        const text = named ? (new RegExp(`const ${named}\\s*=\\s*([^;]*);`).exec(src)?.[1] ?? '') : options!;
        if (!/\bversion\s*:\s*\d+/.test(text)) unversioned.push(`${f}: ${key}`);
      }
    }
    expect(items).toEqual(expect.arrayContaining(['local:calls', 'session:liveCalls', 'local:liveCalls', 'local:settings', 'local:overlayTabs', 'local:notices']));
    expect(unversioned).toEqual([]);
  });
});
