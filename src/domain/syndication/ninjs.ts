import type { Article } from '../articles/article.js';
import { iptcGenres } from '../articles/genre.js';
import { storyTextFor } from '../paywall/story-text.js';

/** The media type ninjs documents are served with: IPTC registers none, so plain JSON. */
export const ninjsContentType = 'application/json; charset=utf-8';

/** The standard and schema every document says it conforms to. */
export const ninjsStandard = {
  name: 'ninjs',
  version: '3.1',
  schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#',
} as const;

/** A story's addresses, worked out by the web layer (the domain knows no URLs). */
export interface NinjsLinks {
  /** `urn:uuid:` of the story's permanent id: the same id its feed entries carry (decision 0019). */
  uri: string;
  /** The reader page. */
  pageUrl: string;
  /** This document's own address. */
  ninjsUrl: string;
}

/** A public translation of the story in another language. */
export interface NinjsTranslation extends NinjsLinks {
  language: string;
  headline: string;
}

/** What readers are told of a machine translation (as on the page and in the feeds). */
export interface NinjsMachineTranslation {
  sourceLanguage: string;
  /** The provider's product name ("DeepL"). */
  provider: string;
  reviewer: string | null;
  /** The story it was translated from, when it is public. */
  source: (NinjsLinks & { headline: string }) | null;
}

export interface NinjsInput {
  article: Article;
  links: NinjsLinks;
  /** Absolute URL of each author's page, by author id. */
  authorUrls: Record<string, string>;
  translations: NinjsTranslation[];
  machineTranslation: NinjsMachineTranslation | null;
  /** The publisher: copyright holder of its own copy. */
  siteName: string;
  /** The story's genre named in the story's language ("Tribune" for a French opinion piece). */
  genreName: string;
  /** Published corrections and clarifications, each as one dated line in the story's language (decision 0056). */
  corrections?: { kind: 'correction' | 'clarification'; value: string }[];
}

interface Text {
  value: string;
  role?: string;
  contentType?: string;
}

interface Named {
  name: string;
  rel?: string;
  uri?: string;
  literal?: string;
}

interface Rendition {
  name: string;
  href: string;
  contentType: string;
}

interface Association {
  name: string;
  uri: string;
  rel: string;
  language?: string;
  headlines?: Text[];
  renditions?: Rendition[];
}

/** The ninjs 3 fields Kiosque fills: all of them defined by the schema, none of them an extension. */
export interface NinjsDocument {
  uri: string;
  standard: typeof ninjsStandard;
  type: 'text';
  representationType: 'full' | 'partial';
  version: string;
  firstCreated: string;
  versionCreated: string;
  contentCreated: string;
  pubStatus: 'usable';
  language: string;
  slugline: string;
  headlines: Text[];
  descriptions?: Text[];
  bodies?: Text[];
  by?: string;
  people?: Named[];
  subjects?: Named[];
  located?: string;
  genres: Named[];
  copyrightHolder: string;
  copyrightNotice: string;
  infoSources?: (Named & { role?: string })[];
  renditions: Rendition[];
  associations?: Association[];
}

/** Relationships and roles Kiosque names (ninjs leaves their vocabulary to the provider). */
export const ninjsRoles = {
  author: 'author',
  reviewer: 'translation-reviewer',
  section: 'section',
  tag: 'tag',
  wireSource: 'source',
  machineTranslator: 'machine-translator',
  translation: 'translation',
  translatedFrom: 'translated-from',
} as const;

const html = 'text/html';

function renditionsOf(links: NinjsLinks): Rendition[] {
  return [
    { name: 'html', href: links.pageUrl, contentType: html },
    { name: 'ninjs', href: links.ninjsUrl, contentType: 'application/json' },
  ];
}

/**
 * A public story as an IPTC ninjs 3.1 news item, for the anonymous API and other systems. The
 * body follows the paywall's one rule (`storyTextFor`, as the feeds do): a members-only or paid
 * story goes without it (`representationType: 'partial'`). ninjs 3 admits no property it does not
 * define (its schema closes every object), so the machine-translation facts use its own fields:
 * the provider as an `infoSources` entry, the reviewer among `people`, the source story as an
 * association (decision 0044).
 */
export function ninjsOf(input: NinjsInput): NinjsDocument {
  const { article, links, machineTranslation: machine } = input;
  const published = (article.publishedAt ?? article.createdAt).toISOString();
  const text = storyTextFor(article, { kind: 'feed' });
  const people: Named[] = article.authors.map((author) => ({
    name: author.name,
    rel: ninjsRoles.author,
    ...(input.authorUrls[author.id] ? { uri: input.authorUrls[author.id] } : {}),
  }));
  if (machine?.reviewer) people.push({ name: machine.reviewer, rel: ninjsRoles.reviewer });
  const subjects: Named[] = [
    ...(article.section
      ? [{ name: article.section.name, rel: ninjsRoles.section, literal: article.section.slug }]
      : []),
    ...article.tags.map((tag) => ({ name: tag.name, rel: ninjsRoles.tag, literal: tag.slug })),
  ];
  const infoSources: NonNullable<NinjsDocument['infoSources']> = [];
  if (article.source) {
    infoSources.push({
      name: article.source.name,
      role: ninjsRoles.wireSource,
      ...(article.source.url ? { uri: article.source.url } : {}),
    });
  }
  if (machine) {
    infoSources.push({
      name: machine.provider,
      role: ninjsRoles.machineTranslator,
      literal: `translated-from:${machine.sourceLanguage}`,
    });
  }
  const associations: Association[] = [
    ...(machine?.source
      ? [
          {
            name: machine.source.headline,
            uri: machine.source.uri,
            rel: ninjsRoles.translatedFrom,
            language: machine.sourceLanguage,
            renditions: renditionsOf(machine.source),
          },
        ]
      : []),
    ...input.translations.map((other) => ({
      name: other.headline,
      uri: other.uri,
      rel: ninjsRoles.translation,
      language: other.language,
      headlines: [{ value: other.headline }],
      renditions: renditionsOf(other),
    })),
  ];
  const holder = article.source?.name ?? input.siteName;
  // ninjs has no field for corrections: descriptions with their own roles carry them (decision 0056).
  const descriptions: Text[] = [
    ...(article.standfirst ? [{ value: article.standfirst, role: 'summary' }] : []),
    ...(input.corrections ?? []).map((correction) => ({ value: correction.value, role: correction.kind })),
  ];
  const genre = iptcGenres[article.genre];
  return {
    uri: links.uri,
    standard: ninjsStandard,
    type: 'text',
    representationType: text.part === 'whole' ? 'full' : 'partial',
    version: String(article.revision),
    firstCreated: article.createdAt.toISOString(),
    versionCreated: article.updatedAt.toISOString(),
    contentCreated: published,
    pubStatus: 'usable',
    language: article.language,
    slugline: article.slug,
    headlines: [{ value: article.headline, role: 'main' }],
    ...(descriptions.length > 0 ? { descriptions } : {}),
    ...(text.html ? { bodies: [{ value: text.html, role: 'main', contentType: html }] } : {}),
    ...(article.authors.length > 0 ? { by: article.authors.map((author) => author.name).join(', ') } : {}),
    ...(people.length > 0 ? { people } : {}),
    ...(subjects.length > 0 ? { subjects } : {}),
    ...(article.dateline ? { located: article.dateline } : {}),
    // The IPTC genre where it has one, and Kiosque's own name for it (decision 0051).
    genres: [{ name: input.genreName, literal: article.genre, ...(genre ? { uri: genre } : {}) }],
    copyrightHolder: holder,
    copyrightNotice: `© ${published.slice(0, 4)} ${holder}`,
    ...(infoSources.length > 0 ? { infoSources } : {}),
    renditions: renditionsOf(links),
    ...(associations.length > 0 ? { associations } : {}),
  };
}
