import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { translationProviderFrom } from './provider-from-config.js';

const base = { KIOSQUE_DATA_DIR: './data-test-unused' };
const providerOf = (env: Record<string, string>) =>
  translationProviderFrom(loadConfig({ ...base, ...env }).translation);

describe('the translation provider named by the settings', () => {
  it('is the built-in demo with the demo content, none without, unless one is named', () => {
    expect(providerOf({ KIOSQUE_DEMO: 'on' })?.name).toBe('builtin');
    expect(providerOf({ KIOSQUE_DEMO: 'off' })).toBeNull();
    expect(providerOf({ KIOSQUE_DEMO: 'on', KIOSQUE_TRANSLATION_PROVIDER: 'none' })).toBeNull();
    expect(providerOf({ KIOSQUE_TRANSLATION_PROVIDER: 'deepl', KIOSQUE_DEEPL_KEY: 'abcd1234-ef:fx' })?.name).toBe(
      'deepl',
    );
    expect(
      providerOf({
        KIOSQUE_TRANSLATION_PROVIDER: 'libretranslate',
        KIOSQUE_LIBRETRANSLATE_URL: 'http://127.0.0.1:5000',
      })?.name,
    ).toBe('libretranslate');
  });

  it('says which setting is missing, and never echoes a key', () => {
    expect(() => loadConfig({ ...base, KIOSQUE_TRANSLATION_PROVIDER: 'deepl' })).toThrow(
      /KIOSQUE_DEEPL_KEY is not set/,
    );
    expect(() => loadConfig({ ...base, KIOSQUE_TRANSLATION_PROVIDER: 'libretranslate' })).toThrow(
      /KIOSQUE_LIBRETRANSLATE_URL is not set/,
    );
    expect(() => loadConfig({ ...base, KIOSQUE_TRANSLATION_PROVIDER: 'google' })).toThrow(ConfigError);
    const error = (() => {
      try {
        loadConfig({ ...base, KIOSQUE_DEEPL_KEY: 'bad key with spaces' });
      } catch (caught) {
        return String(caught);
      }
      return '';
    })();
    expect(error).toContain('KIOSQUE_DEEPL_KEY=(hidden)');
    expect(error).not.toContain('bad key');
  });
});
