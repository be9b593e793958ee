// Node: the layout's rules, read off the source tree so that they stay true.
//   Folders by feature area: src/overlay (the content engine), src/ml (the models), src/calls (what a
//   call is and how it is kept), src/sites, src/messaging, src/storage (the small items); src/core
//   holds only the vocabulary several areas share. Entry points import from the areas, never back.
//   A file is pure when its header says so (and every file in src/core or a logic/ folder is): it
//   imports nothing from tfjs, WXT or Preact and touches no chrome, browser or DOM global.
//   tfjs is imported only in src/ml; storage is touched only in src/storage and src/calls/store*.ts.
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

/** The first line says the file is pure ("// Pure: …", "// Any context, pure …"). */
const saysPure = (file: string) => /^\/\/ (Pure\b|[^:\n]*\bpure\b)/.test(readFileSync(join(REPO_ROOT, file), 'utf8'));
const DOM_GLOBALS = /\b(chrome|browser|document|window|navigator|HTMLElement|HTMLVideoElement|HTMLCanvasElement|OffscreenCanvas|ImageBitmap|tf)\s*\./g;

describe('layout rules', () => {
  it('every file of src/core and of a logic/ folder says it is pure', () => {
    const must = PRODUCT.filter((f) => f.startsWith('src/core/') || f.includes('/logic/'));
    expect(must.length).toBeGreaterThan(20);
    expect(must.filter((f) => !saysPure(f))).toEqual([]);
  });

  it('a pure file imports no tfjs, WXT or Preact and touches no chrome, browser or DOM global', () => {
    const broken: string[] = [];
    for (const f of PRODUCT.filter(saysPure)) {
      const src = code(f);
      for (const spec of imports(src)) if (/^(@tensorflow\/|wxt|#imports|preact)/.test(spec)) broken.push(`${f} imports ${spec}`);
      const globals = src.match(DOM_GLOBALS);
      if (globals) broken.push(`${f} uses ${[...new Set(globals)].join(', ')}`);
    }
    expect(broken).toEqual([]);
  });

  it('src/core (the shared vocabulary) imports only src/core, and stays small', () => {
    const core = files('src/core');
    expect(core.flatMap((f) => imports(code(f)).filter((s) => !s.startsWith('./')).map((s) => `${f} imports ${s}`))).toEqual([]);
    const lines = core.reduce((n, f) => n + readFileSync(join(REPO_ROOT, f), 'utf8').split('\n').length, 0);
    expect(lines).toBeLessThanOrEqual(1000);
  });

  it('no product file is over 300 lines (a file a reader can hold)', () => {
    const long = PRODUCT.map((f) => [f, readFileSync(join(REPO_ROOT, f), 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  it('the areas never import an entry point (entry points are wiring: they import the areas)', () => {
    const broken = files('src').filter((f) => imports(code(f)).some((s) => /(^|\/)entrypoints\//.test(s)));
    expect(broken).toEqual([]);
  });

  it('tfjs is imported only in src/ml', () => {
    const broken = PRODUCT.filter((f) => !f.startsWith('src/ml/') && imports(code(f)).some((s) => s.startsWith('@tensorflow/')));
    expect(broken).toEqual([]);
  });

  it('storage items are defined and storage is touched only in src/storage and src/calls/store*.ts', () => {
    const ownsStorage = (f: string) => f.startsWith('src/storage/') || /^src\/calls\/store[\w-]*\.ts$/.test(f);
    const broken = PRODUCT.filter((f) => !ownsStorage(f) && /\bdefineItem\s*[<(]|(chrome|browser)\.storage\b|wxt\/utils\/storage/.test(code(f)));
    expect(broken).toEqual([]);
  });

  it('every storage item is versioned', () => {
    const items: string[] = [];
    const unversioned: string[] = [];
    for (const f of [...files('src/storage'), ...files('src/calls').filter((f) => /store[\w-]*\.ts$/.test(f))]) {
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
