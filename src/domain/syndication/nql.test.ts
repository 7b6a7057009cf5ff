import { describe, expect, it } from 'vitest';
import { isKiosqueError } from '../errors.js';
import { type FieldType, type FieldValues, matchesFilter, parseFilter } from './nql.js';

const fields: Record<string, FieldType> = {
  id: 'text',
  slug: 'text',
  tag: 'text',
  'authors.slug': 'text',
  featured: 'boolean',
  published_at: 'date',
  title: 'text',
};

interface Story {
  id: string;
  slug: string;
  tag: string[];
  'authors.slug': string[];
  featured: boolean;
  published_at: string;
  title: string;
}

const stories: Story[] = [
  {
    id: 'a',
    slug: 'river',
    tag: ['water', 'city'],
    'authors.slug': ['ines'],
    featured: true,
    published_at: '2024-03-01T00:00:00Z',
    title: 'The River',
  },
  {
    id: 'b',
    slug: 'bread',
    tag: ['food'],
    'authors.slug': ['ines', 'omar'],
    featured: false,
    published_at: '2023-12-31T23:00:00Z',
    title: 'Bakers',
  },
  {
    id: 'c',
    slug: 'port',
    tag: [],
    'authors.slug': ['omar'],
    featured: false,
    published_at: '2024-06-01T00:00:00Z',
    title: "O'Neil's port",
  },
];

const valuesOf =
  (story: Story) =>
  (field: string): FieldValues => {
    const value = story[field as keyof Story];
    return Array.isArray(value) ? value : [value];
  };

const ids = (filter: string) =>
  stories.filter((story) => matchesFilter(parseFilter(filter, fields), valuesOf(story), fields)).map((s) => s.id);

function refusal(filter: string) {
  try {
    parseFilter(filter, fields);
  } catch (error) {
    if (isKiosqueError(error)) return { code: error.code, ...error.details };
    throw error;
  }
  return null;
}

describe('Ghost filter (NQL)', () => {
  it('matches a field holding the value, among many (a story’s tags)', () => {
    expect(ids('tag:water')).toEqual(['a']);
    expect(ids('authors.slug:ines')).toEqual(['a', 'b']);
    expect(ids('slug:RIVER')).toEqual(['a']);
  });

  it('reads lists, negation and negated lists', () => {
    expect(ids('tag:[food,city]')).toEqual(['a', 'b']);
    expect(ids('id:-a')).toEqual(['b', 'c']);
    expect(ids('tag:-[food,city]')).toEqual(['c']);
    expect(ids('tag:-water')).toEqual(['b', 'c']);
  });

  it('binds + tighter than , and honours parentheses', () => {
    expect(ids('authors.slug:omar+tag:food,id:a')).toEqual(['a', 'b']);
    expect(ids('authors.slug:omar+(tag:food,id:a)')).toEqual(['b']);
    expect(ids('(id:a,id:b)+featured:false')).toEqual(['b']);
  });

  it('compares dates as instants and booleans as booleans', () => {
    expect(ids("published_at:>'2024-01-01'")).toEqual(['a', 'c']);
    expect(ids("published_at:<='2024-03-01T00:00:00.000Z'")).toEqual(['a', 'b']);
    expect(ids('published_at:>=2024-06-01')).toEqual(['c']);
    expect(ids('featured:true')).toEqual(['a']);
  });

  it('reads quoted values with escapes, contains, starts and ends with', () => {
    expect(ids("title:'O\\'Neil\\'s port'")).toEqual(['c']);
    expect(ids('title:"The River"')).toEqual(['a']);
    expect(ids("title:~'river'")).toEqual(['a']);
    expect(ids('title:~^bak')).toEqual(['b']);
    expect(ids("title:~$'port'")).toEqual(['c']);
    expect(ids('title:-~river')).toEqual(['b', 'c']);
  });

  it('matches null against a field holding nothing', () => {
    expect(ids('tag:null')).toEqual(['c']);
    expect(ids('tag:-null')).toEqual(['a', 'b']);
  });

  it('refuses an unknown field, naming it, so nothing outside the allow-list is ever read', () => {
    expect(refusal('password:x')).toEqual({ code: 'CONTENT_API_FILTER_INVALID', position: 1, near: 'password' });
    expect(refusal('slug:a+constructor:x')).toMatchObject({ near: 'constructor' });
    expect(refusal('__proto__:x')).toMatchObject({ near: '__proto__' });
  });

  it('refuses malformed filters at the character where reading stopped', () => {
    expect(refusal('tag:(')).toMatchObject({ position: 5 });
    expect(refusal('tag:[a,b')).toMatchObject({ position: 9 });
    expect(refusal("tag:'open")).toMatchObject({ position: 5 });
    expect(refusal('slug:a+')).toMatchObject({ position: 8 });
    expect(refusal('slug')).toMatchObject({ position: 5 });
    expect(refusal('(slug:a')).toMatchObject({ position: 8 });
    expect(refusal('slug:a)')).toMatchObject({ position: 7 });
    expect(refusal('tag:>[a,b]')).toMatchObject({ position: 6 });
    expect(refusal("published_at:>'yesterday'")).toMatchObject({ near: 'yesterday' });
    expect(refusal('featured:maybe')).toMatchObject({ near: 'maybe' });
    expect(refusal('')).toMatchObject({ position: 1 });
  });

  it('refuses a filter nested or long enough to be an attack before it costs anything', () => {
    expect(refusal(`${'('.repeat(50)}slug:a${')'.repeat(50)}`)?.code).toBe('CONTENT_API_FILTER_INVALID');
    expect(refusal(`slug:${'a'.repeat(3000)}`)?.code).toBe('CONTENT_API_FILTER_INVALID');
  });
});
