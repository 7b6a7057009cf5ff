import { describe, expect, it } from 'vitest';
import { genreFromWire, iptcGenres, labelledInLists, schemaOrgTypes, storyGenres } from './genre.js';

describe('the kind of work', () => {
  it('reads a provider’s genre from an IPTC URI, a NewsML-G2 qcode or a plain name, and news from anything else', () => {
    expect(genreFromWire(['http://cv.iptc.org/newscodes/genre/Opinion'])).toBe('opinion');
    expect(genreFromWire(['genre:Analysis'])).toBe('analysis');
    expect(genreFromWire(['genre:Advertiser_Supplied'])).toBe('sponsored');
    expect(genreFromWire(['Fact check'])).toBe('factcheck');
    expect(genreFromWire(['http://tt.se/spec/sector/1.0/INR', 'Inrikes'])).toBe('news');
    expect(genreFromWire(['genre:Current', 'genre:Review'])).toBe('review');
    expect(genreFromWire([])).toBe('news');
  });

  it('labels every genre but news in lists', () => {
    expect(storyGenres.filter(labelledInLists)).toEqual(['analysis', 'opinion', 'review', 'sponsored', 'factcheck']);
  });

  it('says sponsored copy is advertising, not journalism, and gives it IPTC’s paid-placement code', () => {
    expect(schemaOrgTypes.sponsored).toBe('AdvertiserContentArticle');
    expect(iptcGenres.sponsored).toBe('http://cv.iptc.org/newscodes/genre/Advertiser_Supplied');
  });
});
