import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../articles/markdown.js';
import { decideAccess, meterPeriod } from './access-policy.js';
import { parseAnonymousMeter, serializeAnonymousMeter } from './anonymous-meter.js';
import { createPaywallService, type MeterStore } from './paywall-service.js';
import { articleFor, paywalledParts, storyTextFor } from './story-text.js';
import { teaserOf } from './teaser.js';

const anonymous = { kind: 'anonymous' } as const;
const free = { kind: 'member', tier: 'free' } as const;
const paid = { kind: 'member', tier: 'paid' } as const;

describe('the paywall rule', () => {
  it('opens public stories to everyone and members-only stories to anyone signed in', () => {
    expect(decideAccess('public', anonymous, null).full).toBe(true);
    expect(decideAccess('members', anonymous, null)).toMatchObject({ full: false, reason: 'needs-account' });
    expect(decideAccess('members', free, null)).toMatchObject({ full: true, reason: 'member' });
  });

  it('keeps paid stories for paying members unless the month’s allowance opens one', () => {
    expect(decideAccess('paid', free, null)).toMatchObject({ full: false, reason: 'needs-subscription' });
    expect(decideAccess('paid', paid, null)).toMatchObject({ full: true, reason: 'subscriber' });
    expect(decideAccess('paid', free, { used: 2, allowance: 3, counted: false })).toEqual({
      full: true,
      reason: 'metered',
      meter: { used: 3, allowance: 3 },
    });
    expect(decideAccess('paid', free, { used: 3, allowance: 3, counted: false }).full).toBe(false);
    // Opening a story already counted this month costs nothing, even past the allowance.
    expect(decideAccess('paid', free, { used: 3, allowance: 3, counted: true }).full).toBe(true);
  });

  it('counts months in the site’s time zone', () => {
    const newYearInParis = new Date('2025-12-31T23:30:00Z');
    expect(meterPeriod(newYearInParis, 'Europe/Paris')).toBe('2026-01');
    expect(meterPeriod(newYearInParis, 'UTC')).toBe('2025-12');
  });
});

describe('the anonymous meter cookie', () => {
  it('reads its own format and treats anything else, or another month, as empty', () => {
    expect(parseAnonymousMeter('2026-05.art_1.art_2', '2026-05').articleIds).toEqual(['art_1', 'art_2']);
    expect(parseAnonymousMeter('2026-04.art_1', '2026-05').articleIds).toEqual([]);
    expect(parseAnonymousMeter('2026-05.<script>', '2026-05').articleIds).toEqual([]);
    expect(serializeAnonymousMeter({ period: '2026-05', articleIds: ['a', 'b'] })).toBe('2026-05.a.b');
  });

  it('opens stories until the allowance is spent, and sets the cookie only when it changes', () => {
    const service = createPaywallService({
      meter: {} as MeterStore,
      clock: { now: () => new Date('2026-05-10T10:00:00Z') },
      timeZone: 'UTC',
      allowance: { members: 3, anonymous: 1 },
    });
    const first = service.forAnonymousMeter(undefined, { id: 'art_1', access: 'paid' });
    expect(first.decision.full).toBe(true);
    expect(first.cookie).toBe('2026-05.art_1');
    const again = service.forAnonymousMeter(first.cookie ?? '', { id: 'art_1', access: 'paid' });
    expect(again).toMatchObject({ decision: { full: true }, cookie: null });
    const second = service.forAnonymousMeter(first.cookie ?? '', { id: 'art_2', access: 'members' });
    expect(second).toMatchObject({ decision: { full: false, reason: 'needs-account' }, cookie: null });
  });
});

describe('the teaser of a gated story', () => {
  const body = [
    'First paragraph.',
    'Second **paragraph**.',
    '## A heading',
    'Third paragraph, held back.',
    'Fourth.',
  ].join('\n\n');

  it('is the source up to the second paragraph, rendered alone', () => {
    const teaser = teaserOf(body);
    expect(teaser.html).toBe('<p>First paragraph.</p>\n<p>Second <strong>paragraph</strong>.</p>\n');
    expect(teaser.text).not.toContain('Third');
    expect(teaser.html).not.toContain('heading');
  });

  it('never hands out a whole short story', () => {
    expect(teaserOf('Only one.\n\nAnd two.').html).toBe('<p>Only one.</p>\n');
    expect(teaserOf('Only one.').html).toBe('');
    expect(teaserOf('').html).toBe('');
  });

  it('does not let a list or quote after the cut through', () => {
    const teaser = teaserOf('One.\n\n> quoted secret\n\nTwo.\n\n- listed secret\n\nThree.');
    expect(teaser.html).toContain('quoted secret');
    expect(teaser.html).toContain('Two.');
    expect(teaser.html).not.toContain('listed secret');
  });
});

describe('what of a story each recipient receives (issue 11: free to read, once)', () => {
  const body = ['Opening paragraph.', 'Second paragraph.', 'Withheld marker sentence.', 'Last words.'].join('\n\n');
  const story = (access: 'public' | 'members' | 'paid') => ({
    access,
    bodyMarkdown: body,
    bodyHtml:
      '<p>Opening paragraph.</p>\n<p>Second paragraph.</p>\n<p>Withheld marker sentence.</p>\n<p>Last words.</p>\n',
  });
  const reader = (access: 'public' | 'members' | 'paid', who: Parameters<typeof decideAccess>[1]) =>
    ({ kind: 'reader', decision: decideAccess(access, who, null) }) as const;
  const channels = ['feed', 'search-index', 'newsletter', 'structured-data'] as const;

  it('gives a public story whole to everyone and every channel', () => {
    for (const recipient of [
      reader('public', anonymous),
      reader('public', free),
      { kind: 'staff' } as const,
      ...channels.map((kind) => ({ kind })),
    ]) {
      const text = storyTextFor(story('public'), recipient);
      expect(text.part, recipient.kind).toBe('whole');
      expect(text.text).toContain('Withheld marker sentence.');
    }
  });

  it('gives a paid story whole to paying members and staff, its beginning to other readers', () => {
    expect(storyTextFor(story('paid'), reader('paid', paid)).html).toContain('Withheld marker');
    expect(storyTextFor(story('paid'), { kind: 'staff' }).markdown).toBe(body);
    for (const who of [anonymous, free]) {
      const text = storyTextFor(story('paid'), reader('paid', who));
      expect(text).toMatchObject({ part: 'teaser', markdown: '', gallery: false });
      expect(text.html).toContain('Second paragraph.');
      expect(`${text.html} ${text.text}`).not.toContain('Withheld');
    }
    // Members-only: any member reads it, an anonymous reader gets the beginning.
    expect(storyTextFor(story('members'), reader('members', free)).part).toBe('whole');
    expect(storyTextFor(story('members'), reader('members', anonymous)).part).toBe('teaser');
  });

  it('gives channels that serve everyone alike no body of a gated story', () => {
    for (const access of ['members', 'paid'] as const) {
      for (const kind of channels) {
        expect(storyTextFor(story(access), { kind }), `${access} ${kind}`).toEqual({
          part: 'none',
          html: '',
          markdown: '',
          text: '',
          gallery: false,
        });
      }
    }
  });

  it('cuts the article a page or an email renders, gallery included', () => {
    const photo = {
      image: { id: 'img_1', width: 800, height: 600, mime: 'image/jpeg' },
      alt: 'a',
      caption: '',
      credit: '',
    };
    const article = { ...story('paid'), gallery: [photo], headline: 'H' };
    const gated = articleFor(article, reader('paid', free));
    expect(gated.bodyHtml).not.toContain('Withheld');
    expect(gated.bodyMarkdown).toBe('');
    expect(gated.gallery).toEqual([]);
    expect(gated.headline).toBe('H');
    expect(articleFor(article, { kind: 'newsletter' })).toMatchObject({ bodyHtml: '', bodyMarkdown: '', gallery: [] });
    expect(articleFor(article, reader('paid', paid))).toBe(article);
  });
});

describe('where the paywall cuts a story given whole (issue 11: the element Google’s markup names)', () => {
  const body = ['Opening paragraph.', 'Second paragraph.', '## Heading', 'Withheld marker sentence.'].join('\n\n');
  const stored = renderMarkdown(body);

  it('splits the stored HTML after the beginning every reader receives', () => {
    const parts = paywalledParts({ access: 'paid', bodyMarkdown: body, bodyHtml: stored });
    expect(parts).toEqual({
      free: '<p>Opening paragraph.</p>\n<p>Second paragraph.</p>\n',
      withheld: '<h2>Heading</h2>\n<p>Withheld marker sentence.</p>\n',
    });
    expect(`${parts?.free}${parts?.withheld}`).toBe(stored);
  });

  it('renders both parts from their source when the stored HTML was made otherwise', () => {
    const parts = paywalledParts({ access: 'members', bodyMarkdown: body, bodyHtml: '<div>older rendering</div>' });
    expect(parts?.free).toContain('Second paragraph.');
    expect(parts?.withheld).toContain('Withheld marker sentence.');
    expect(parts?.withheld).not.toContain('Second paragraph.');
  });

  it('withholds a one-paragraph story whole, and nothing of a public one', () => {
    expect(paywalledParts({ access: 'paid', bodyMarkdown: 'Only.', bodyHtml: '<p>Only.</p>\n' })).toEqual({
      free: '',
      withheld: '<p>Only.</p>\n',
    });
    expect(paywalledParts({ access: 'public', bodyMarkdown: body, bodyHtml: stored })).toBeNull();
  });
});
