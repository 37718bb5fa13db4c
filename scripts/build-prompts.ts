import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locales, type Locale } from '../shared/i18n/messages';
import { speechWords } from '../shared/i18n/words/speech';
import { promptIds, promptUrl, speechPrompts, speechVoices, type PromptId } from '../kiosk/ui/src/speech/prompts';

/**
 * The spoken prompts, synthesised offline with Debian's espeak-ng at build time (never at run time,
 * never from a network): every prompt of kiosk/ui/src/speech/prompts.ts in every language, as WAV.
 * Each is cached under its hash of text + voice + espeak-ng's version + settings, so an unchanged
 * prompt is not made again. The vite build (`npm run build:ui`, `npm test`, `npm start`, the e2e
 * tests' own builds) emits them as `prompts/<locale>/<id>.wav` beside the page (kiosk/ui/vite.config.ts).
 * `npx tsx scripts/build-prompts.ts` makes them alone and says how many were new.
 */

const defaultCacheDir = fileURLToPath(new URL('../kiosk/ui/.prompt-cache', import.meta.url));
/** Words a minute: a little slower than espeak-ng's 175, for people who listen hard (and through a headphone). */
const wordsPerMinute = 150;
/** Bumped when the way a prompt is made changes (options, format): every cached prompt is made again. */
const recipe = 1;

export interface BuiltPrompt {
  readonly id: PromptId;
  readonly locale: Locale;
  /** Where the UI fetches it: promptUrl(locale, id). */
  readonly fileName: string;
  /** The cached WAV. */
  readonly file: string;
  readonly text: string;
}

export interface PromptBuild {
  readonly prompts: readonly BuiltPrompt[];
  /** How many were synthesised now (the rest came from the cache). */
  readonly made: number;
}

/** espeak-ng's version line, or a clear failure: without it no kiosk UI can be built. */
export function espeakVersion(command = 'espeak-ng'): string {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      `spoken prompts: ${command} is not installed or does not run (${result.error?.message ?? result.stderr.trim()}). ` +
        'The kiosk\'s spoken guidance is synthesised from it at build time: install it with `sudo apt-get install espeak-ng sox` (scripts/setup.sh does).',
    );
  }
  const version = /text-to-speech:\s*(\S+)/.exec(result.stdout)?.[1];
  if (!version) throw new Error(`spoken prompts: cannot read ${command}'s version from: ${result.stdout.trim()}`);
  return version;
}

/** The cache key: any change of the words, the voice, espeak-ng or the recipe makes a new file. */
export function promptHash(text: string, voice: string, espeak: string): string {
  return createHash('sha256').update(JSON.stringify({ text, voice, espeak, wordsPerMinute, recipe })).digest('hex').slice(0, 32);
}

export function buildPrompts(options: { readonly cacheDir?: string; readonly espeak?: string } = {}): PromptBuild {
  const command = options.espeak ?? 'espeak-ng';
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir);
  const version = espeakVersion(command);
  mkdirSync(cacheDir, { recursive: true });
  let made = 0;
  const prompts = locales.flatMap((locale) =>
    promptIds.map((id): BuiltPrompt => {
      const text = (speechWords[locale] as Readonly<Record<string, string>>)[speechPrompts[id]]?.trim() ?? '';
      if (text === '') throw new Error(`spoken prompts: ${id} has no words in ${locale} (shared/i18n/words/speech.ts: ${speechPrompts[id]})`);
      const voice = speechVoices[locale];
      const file = join(cacheDir, `${promptHash(text, voice, version)}.wav`);
      if (!existsSync(file)) {
        synthesise(command, voice, text, file);
        made += 1;
      }
      return { id, locale, fileName: promptUrl(locale, id), file, text };
    }),
  );
  return { prompts, made };
}

/**
 * The languages espeak-ng would switch to inside `text` (its phoneme listing marks a switch as
 * `(en)`): a prompt read partly in another language's voice is refused, not shipped.
 */
export function voiceSwitches(voice: string, text: string, command = 'espeak-ng'): string[] {
  const result = spawnSync(command, ['-v', voice, '-q', '-x', '-b', '1', text], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`spoken prompts: ${command} -v ${voice} -x failed: ${result.error?.message ?? result.stderr.trim()}`);
  return [...new Set([...result.stdout.matchAll(/\(([a-z]{2,3}(?:-[a-z]+)*)\)/g)].map((match) => match[1] ?? ''))].filter((language) => language !== voice);
}

/** One prompt into `file`, written whole or not at all (builds may run side by side). */
function synthesise(command: string, voice: string, text: string, file: string): void {
  const switches = voiceSwitches(voice, text, command);
  if (switches.length > 0) throw new Error(`spoken prompts: espeak-ng's ${voice} voice would read part of "${text}" as ${switches.join(', ')}: reword it or pick another voice (kiosk/ui/src/speech/prompts.ts)`);
  const partial = `${file}.${process.pid}.partial`;
  const result = spawnSync(command, ['-v', voice, '-s', String(wordsPerMinute), '-b', '1', '-w', partial, text], { encoding: 'utf8' });
  if (result.error || result.status !== 0 || !existsSync(partial)) {
    rmSync(partial, { force: true });
    throw new Error(`spoken prompts: ${command} -v ${voice} failed on "${text}": ${result.error?.message ?? result.stderr.trim()}`);
  }
  renameSync(partial, file);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { prompts, made } = buildPrompts();
  process.stdout.write(`spoken prompts: ${prompts.length} (${made} synthesised now, ${prompts.length - made} from the cache)\n`);
}
