import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selfServiceViewSchema } from '../../../../shared/contract/kiosk-api';
import { locales } from '../../../../shared/i18n/messages';
import { speechWords } from '../../../../shared/i18n/words/speech';
import { applicantPrompts, applicantSteps, promptIds, promptUrl, selfServicePrompts, speechPrompts, speechVoices } from '../../../../kiosk/ui/src/speech/prompts';
import { buildPrompts, espeakVersion, promptHash, voiceSwitches } from '../../../../scripts/build-prompts';

/**
 * The spoken prompts as the build makes them: every screen of the UI's table (every self-service
 * screen, every step of the applicant's window) has its prompt, in every language, as an audio file
 * between 0.5 and 10 s (measured with sox's soxi), read in its own language's voice throughout.
 */

const selfServiceDir = new URL('../../../../kiosk/ui/src/self-service/', import.meta.url);
const cacheDir = mkdtempSync(join(tmpdir(), 'prompt-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** The `data-self-service="…"` screens the self-service components draw. */
function drawnSelfServiceScreens(): string[] {
  const screens = new Set<string>();
  for (const name of readdirSync(selfServiceDir).filter((file) => file.endsWith('.tsx'))) {
    const source = readFileSync(new URL(name, selfServiceDir), 'utf8');
    for (const match of source.matchAll(/data-self-service="([^"]+)"/g)) screens.add(match[1]!);
  }
  return [...screens].sort();
}

describe('the spoken prompts', () => {
  it('give every self-service screen (each state of the contract, each screen a component draws) and every applicant step a prompt', () => {
    const states = selfServiceViewSchema.options.map((option) => option.shape.state.value).sort();
    expect(Object.keys(selfServicePrompts).sort()).toEqual(states);
    expect(drawnSelfServiceScreens()).toEqual(states);
    expect(Object.keys(applicantPrompts).sort()).toEqual([...applicantSteps].sort());
    // Every prompt of the table is some screen's: none made for nothing.
    expect(new Set([...Object.values(selfServicePrompts), ...Object.values(applicantPrompts)])).toEqual(new Set(promptIds));
    for (const locale of locales) {
      for (const id of promptIds) expect((speechWords[locale] as Record<string, string>)[speechPrompts[id]], `${id} in ${locale}`).toMatch(/\S/);
    }
  });

  it('are made by espeak-ng for every screen in every language, each 0.5–10 s long (soxi), and kept in the cache', { timeout: 120_000 }, () => {
    const first = buildPrompts({ cacheDir });
    expect(first.prompts.map((prompt) => prompt.fileName).sort()).toEqual(locales.flatMap((locale) => promptIds.map((id) => promptUrl(locale, id))).sort());
    const durations: string[] = [];
    for (const prompt of first.prompts) {
      expect(existsSync(prompt.file), prompt.fileName).toBe(true);
      const seconds = Number(execFileSync('soxi', ['-D', prompt.file], { encoding: 'utf8' }).trim());
      durations.push(`${prompt.fileName} ${seconds.toFixed(2)} s`);
      expect(seconds, prompt.fileName).toBeGreaterThanOrEqual(0.5);
      expect(seconds, prompt.fileName).toBeLessThanOrEqual(10);
    }
    expect(durations).toHaveLength(locales.length * promptIds.length);
    // A second build makes nothing: the same words, voice and espeak-ng are the same files.
    const second = buildPrompts({ cacheDir });
    expect(second.made).toBe(0);
    expect(second.prompts.map((prompt) => prompt.file)).toEqual(first.prompts.map((prompt) => prompt.file));
  });

  it('are read in their own language throughout (Mandarin by cmn, not spelt out in English)', { timeout: 60_000 }, () => {
    for (const locale of locales) {
      for (const id of promptIds) {
        const text = (speechWords[locale] as Record<string, string>)[speechPrompts[id]]!;
        expect(voiceSwitches(speechVoices[locale], text), `${id} in ${locale}`).toEqual([]);
      }
    }
    // Why zh-TW is not plain `cmn`: Debian's cmn reads its own pinyin as English.
    expect(voiceSwitches('cmn', '請看著相機')).toEqual(['en']);
  });

  it('are made again only when the words, the voice or espeak-ng change', () => {
    const version = espeakVersion();
    const hash = promptHash('請看著相機', 'cmn-latn-pinyin', version);
    expect(promptHash('請看著相機', 'cmn-latn-pinyin', version)).toBe(hash);
    expect(promptHash('請看著相機。', 'cmn-latn-pinyin', version)).not.toBe(hash);
    expect(promptHash('請看著相機', 'cmn', version)).not.toBe(hash);
    expect(promptHash('請看著相機', 'cmn-latn-pinyin', `${version}.1`)).not.toBe(hash);
  });

  it('refuse to build without espeak-ng, saying how to install it', () => {
    expect(() => buildPrompts({ cacheDir, espeak: 'espeak-ng-not-installed' })).toThrow(/espeak-ng-not-installed is not installed.*apt-get install espeak-ng/);
  });
});
