// Any context: the user's language. Words come from public/_locales through chrome.i18n; where it is
// absent (unit tests in node, WXT's fake browser) the English messages are used, substituted the same way.
import en from '../../public/_locales/en/messages.json';
import { PRODUCT_LABELS, type ProductLabel } from '../core/label-set';

/** Every message's key: a key missing from the English messages.json is a compile error. */
export type MessageKey = keyof typeof en;

interface Message {
  message: string;
  placeholders?: Readonly<Record<string, { content: string }>>;
}
const ENGLISH: Readonly<Record<string, Message>> = en;

/** Chrome's substitution: `$name$` to its placeholder's content, then `$1`…`$9` to the substitutions (`$$` is a `$`). */
export function substitute({ message, placeholders }: Message, subs: readonly string[]): string {
  const named = message.replace(/\$(\w+)\$/g, (whole, name: string) => placeholders?.[name.toLowerCase()]?.content ?? whole);
  return named.replace(/\$(\$|[1-9])/g, (_, c: string) => (c === '$' ? '$' : (subs[Number(c) - 1] ?? '')));
}

/** The message in the browser's language, with up to nine substitutions for $1…$9. */
export function t(key: MessageKey, ...subs: Array<string | number>): string {
  const strings = subs.map(String);
  try {
    const text = chrome.i18n.getMessage(key, strings);
    if (text) return text;
  } catch {
    // No chrome.i18n here: English below.
  }
  return substitute(ENGLISH[key]!, strings);
}

/** The browser's language for Intl (dates, numbers, plurals); undefined leaves it to the runtime. */
export function uiLocale(): string | undefined {
  try {
    const lang = chrome.i18n.getUILanguage();
    if (lang) return lang.replace('_', '-');
  } catch {
    // No chrome.i18n here.
  }
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

/** Keys that come as a pair, `<base>_one` and `<base>_other` (chrome.i18n has no plurals of its own). */
type PluralBase = { [K in MessageKey]: K extends `${infer B}_one` ? (`${B}_other` extends MessageKey ? B : never) : never }[MessageKey];

/** The plural form of `<base>` that the language uses for `count`; the count is $1, `subs` follow. */
export function plural(base: PluralBase, count: number, ...subs: Array<string | number>): string {
  const form = new Intl.PluralRules(uiLocale()).select(count) === 'one' ? 'one' : 'other';
  return t(`${base}_${form}`, count, ...subs);
}

const PRODUCT: readonly string[] = PRODUCT_LABELS;

/** An emotion label's displayed name; the id stays what is stored and exported. A label no message names shows its id. */
export function labelName(label: string): string {
  return PRODUCT.includes(label) ? t(`label_${label as ProductLabel}`) : label;
}
