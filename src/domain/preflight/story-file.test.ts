import { describe, expect, it } from 'vitest';
import { storyFromFile } from './story-file.js';

const read = (text: string) => {
  const file = storyFromFile(text);
  if (!file.ok) throw new Error(file.reason);
  return file.story;
};

describe('a story kept as a file', () => {
  it('reads the front matter’s facts, lists included, and the body after it', () => {
    const story = read(
      [
        '---',
        'title: "Un titre: avec deux-points"',
        'lang: fr',
        'authors:',
        '  - Marie Dupont',
        '  - Karim Haddad',
        'date: 2022-02-04',
        'source: Agence Exemple',
        'source_url: https://agence.example.org/1',
        'image: Une photo | Agence Exemple',
        'image: Sans crédit',
        '---',
        'Premier paragraphe.',
        '',
        '![](photo.jpg)',
      ].join('\r\n'),
    );
    expect(story).toEqual({
      language: 'fr',
      headline: 'Un titre: avec deux-points',
      bodyMarkdown: 'Premier paragraphe.\n\n![](photo.jpg)',
      authorCount: 2,
      syndicated: true,
      hasSourceCredit: true,
      hasOriginalUrl: true,
      hasDate: true,
      images: [{ alt: 'Une photo', credit: 'Agence Exemple' }, { alt: 'Sans crédit' }, { alt: '' }],
    });
  });

  it('takes a first heading as the headline, and says what the file does not give', () => {
    const story = read('---\nsyndicated: no\n---\n# The headline\n\nThe body of the story, in English.\n');
    expect(story).toMatchObject({
      headline: 'The headline',
      bodyMarkdown: '\nThe body of the story, in English.\n',
      language: 'en',
      authorCount: 0,
      syndicated: false,
      hasSourceCredit: false,
      hasOriginalUrl: false,
      hasDate: false,
    });
  });

  it('reads plain text as a page gives it: headline first, language guessed from the body', () => {
    const story = read('Un titre\n\nLe texte de l’article est là.\n\nIl continue ici.');
    expect(story).toMatchObject({
      headline: 'Un titre',
      bodyMarkdown: 'Le texte de l’article est là.\n\nIl continue ici.',
      language: 'fr',
      syndicated: false,
    });
  });

  it('refuses a front matter it cannot read, saying where', () => {
    expect(storyFromFile('---\nheadline: Titre\n---\n')).toMatchObject({ ok: true });
    expect(storyFromFile('---\nheadline: Titre\nnot a field\n---\nTexte.')).toEqual({
      ok: false,
      reason: 'front matter line 3 is not "key: value": not a field',
    });
    expect(storyFromFile('---\nheadline: Titre\nTexte.')).toMatchObject({ ok: false });
  });
});
