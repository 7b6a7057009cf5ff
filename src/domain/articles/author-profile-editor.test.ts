import { describe, expect, it } from 'vitest';
import type { KiosqueError } from '../errors.js';
import { type ContentEvent, createLocalEventBus } from '../events.js';
import { type AuthorProfile, allowedProfileLink, createAuthorProfileEditor } from './author-profile-editor.js';

describe('author profile links', () => {
  it('keeps absolute https and http addresses only', () => {
    expect(allowedProfileLink(' https://mastodon.social/@nadia ')).toBe('https://mastodon.social/@nadia');
    expect(allowedProfileLink('http://example.org')).toBe('http://example.org/');
    for (const refused of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>x</b>',
      '/fr/author/x',
      '//evil.example/x',
      'ftp://example.org/file',
      'https://user:secret@example.org/',
      'mastodon.social/@nadia',
    ]) {
      expect(allowedProfileLink(refused), refused).toBeNull();
    }
  });
});

describe('author profile editor', () => {
  function editor() {
    const saved: AuthorProfile[] = [];
    const events: ContentEvent[] = [];
    const bus = createLocalEventBus();
    bus.subscribe((event) => events.push(event));
    const profiles = createAuthorProfileEditor({
      store: {
        find: async () => null,
        save: async (profile) => {
          if (profile.authorId === 'none') return 'missing';
          saved.push(profile);
          return 'saved';
        },
      },
      events: bus,
      languages: ['fr', 'en', 'ar'],
    });
    return { profiles, saved, events };
  }

  it('stores each language’s title and bio apart, and announces the change once', async () => {
    const { profiles, saved, events } = editor();
    await profiles.save('aut_1', {
      imageId: 'img_1',
      links: 'https://nadia.example\n\n https://bsky.app/profile/nadia \nhttps://nadia.example',
      languages: {
        fr: { jobTitle: ' Correspondante ', bio: 'Elle suit l’Europe.\r\n' },
        en: { bio: 'She covers Europe.' },
      },
    });
    expect(saved).toEqual([
      {
        authorId: 'aut_1',
        imageId: 'img_1',
        links: ['https://nadia.example/', 'https://bsky.app/profile/nadia'],
        languages: {
          fr: { jobTitle: 'Correspondante', bio: 'Elle suit l’Europe.' },
          en: { jobTitle: '', bio: 'She covers Europe.' },
          ar: { jobTitle: '', bio: '' },
        },
      },
    ]);
    expect(events).toEqual([{ type: 'taxonomy.renamed', kind: 'author', id: 'aut_1', language: null }]);
  });

  it('refuses a link outside the allow-list, or too long a bio, storing nothing', async () => {
    const { profiles, saved, events } = editor();
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: KiosqueError) => error.code,
      );
    expect(await refusal(profiles.save('aut_1', { imageId: '', links: 'javascript:alert(1)', languages: {} }))).toBe(
      'AUTHOR_LINK_INVALID',
    );
    expect(
      await refusal(profiles.save('aut_1', { imageId: '', links: '', languages: { fr: { bio: 'x'.repeat(2001) } } })),
    ).toBe('AUTHOR_PROFILE_INVALID');
    expect(await refusal(profiles.save('none', { imageId: '', links: '', languages: {} }))).toBe('AUTHOR_NOT_FOUND');
    expect(saved).toEqual([]);
    expect(events).toEqual([]);
  });
});
