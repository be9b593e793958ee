// Node: public/_locales, the words chrome.i18n serves. Every language has exactly the English keys,
// the same placeholders, and no empty message; the manifest names only messages that exist; and src/i18n's
// English fallback (no chrome.i18n in node) substitutes as Chrome does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';
import { CHAT_NOTICE } from '../../src/core/consent';
import { PRODUCT_LABELS } from '../../src/core/label-set';
import { labelName, plural, substitute, t } from '../../src/i18n';
import { REPO_ROOT } from '../../tools/lib/paths';

interface Message {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string }>;
}
type Messages = Record<string, Message>;

const DIR = join(REPO_ROOT, 'public/_locales');
const LOCALES = readdirSync(DIR).sort();
const read = (locale: string): Messages => JSON.parse(readFileSync(join(DIR, locale, 'messages.json'), 'utf8')) as Messages;
const EN = read('en');

/** The placeholders a message uses (`$name$`, case-insensitive as in Chrome), sorted. */
const used = (m: Message) => [...new Set([...m.message.matchAll(/\$(\w+)\$/g)].map((x) => x[1]!.toLowerCase()))].sort();

describe('locales', () => {
  it('are English and the six translations, English the manifest default', () => {
    expect(LOCALES).toEqual(['de', 'en', 'es', 'fr', 'hi', 'ja', 'pt_BR']);
    expect((config as { manifest: { default_locale?: string } }).manifest.default_locale).toBe('en');
  });

  it('keys are lower_snake_case ASCII, and every English message is described', () => {
    expect(Object.keys(EN).filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
    expect(Object.keys(EN).filter((k) => !EN[k]!.description?.trim())).toEqual([]);
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const messages = read(locale);

      it('has exactly the English keys', () => {
        const keys = Object.keys(messages);
        expect({ missing: Object.keys(EN).filter((k) => !(k in messages)), extra: keys.filter((k) => !(k in EN)) }).toEqual({ missing: [], extra: [] });
      });

      it('has no empty message', () => {
        expect(Object.keys(messages).filter((k) => !messages[k]!.message.trim())).toEqual([]);
      });

      it("has the English placeholders ($1…$9 the same), and uses each of them", () => {
        const wrong: string[] = [];
        for (const [key, m] of Object.entries(messages)) {
          const english = EN[key];
          if (!english) continue;
          if (JSON.stringify(m.placeholders ?? {}) !== JSON.stringify(english.placeholders ?? {})) wrong.push(`${key}: placeholders differ from English`);
          const declared = Object.keys(m.placeholders ?? {}).sort();
          if (JSON.stringify(used(m)) !== JSON.stringify(declared)) wrong.push(`${key}: uses ${used(m).join(',') || 'none'}, declares ${declared.join(',') || 'none'}`);
        }
        expect(wrong).toEqual([]);
      });

      it('keeps the extension description within the Web Store limit and the badge within 4 characters', () => {
        expect(messages.ext_description!.message.length).toBeLessThanOrEqual(132);
        expect([...messages.badge_on!.message].length).toBeLessThanOrEqual(4);
      });

      it('keeps the chat notice one line of at most 300 characters', () => {
        expect(messages.chat_notice!.message).not.toMatch(/\n/);
        expect(messages.chat_notice!.message.length).toBeLessThanOrEqual(300);
      });
    });
  }

  it("the manifest's __MSG_…__ references name English messages", () => {
    const refs = [...JSON.stringify(config.manifest).matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['ext_name', 'ext_description', 'command_toggle_overlay', 'command_toggle_analyze']));
    expect(refs.filter((r) => !(r in EN))).toEqual([]);
  });

  it('the English chat notice is src/core/consent', () => {
    expect(EN.chat_notice!.message).toBe(CHAT_NOTICE);
  });
});

describe('t (English where chrome.i18n is absent)', () => {
  it('substitutes placeholders as Chrome does', () => {
    expect(t('leave_out', 'Ada Lovelace')).toBe("Don't analyze Ada Lovelace");
    expect(t('slowed_busy', '1.5', 3)).toMatch(/^The machine is busy: labels refresh up to 1\.5x less often .* every 3 s$/);
    expect(substitute({ message: 'a $X$ b $$ $2', placeholders: { x: { content: '$1' } } }, ['one', 'two'])).toBe('a one b $ two');
    // A substitution is not read again for placeholders.
    expect(t('leave_out', '$1 $NAME$')).toBe("Don't analyze $1 $NAME$");
  });

  it('picks the plural form of the count', () => {
    expect(plural('delete_all_prompt', 1)).toBe('Delete all 1 call?');
    expect(plural('delete_all_prompt', 0)).toBe('Delete all 0 calls?');
    expect(plural('notice_size_limit', 1, 12)).toBe('The call history reached its size limit (12 MB, Settings): the oldest call was deleted.');
    expect(plural('notice_size_limit', 3, 12)).toBe('The call history reached its size limit (12 MB, Settings): the 3 oldest calls were deleted.');
  });

  it('names every product label, and shows any other label by its id', () => {
    for (const label of PRODUCT_LABELS) expect(labelName(label)).toBe(label);
    expect(labelName('fearful')).toBe('fearful');
  });
});
