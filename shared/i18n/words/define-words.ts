import type { Locale } from '../messages';

/**
 * One feature's words in the kiosk's four languages, kept beside the feature's own code instead of in
 * one long table. `K` is every key any language names, so a key missing from one language is a
 * compile error, as in the main table.
 */
export type FeatureWords<K extends string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

export function defineWords<K extends string>(words: FeatureWords<K>): FeatureWords<K> {
  return words;
}
