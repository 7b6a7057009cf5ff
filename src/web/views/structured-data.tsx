import type { Article, ArticleSummary, Author, Taxon } from '../../domain/articles/article.js';
import { defaultGenre, genreKey, schemaOrgTypes } from '../../domain/articles/genre.js';
import type { PublishedCorrection } from '../../domain/corrections/correction.js';
import { storyPartFor } from '../../domain/paywall/story-text.js';
import { providerNames, type ReaderMachineFacts } from '../../domain/translations/machine-translation.js';
import { type CropRatio, cropRatios, cropWidth } from '../../media/image-variants.js';
import { publisherLogoSize } from '../../media/publisher-logo.js';
import { correctionData } from './corrections.js';
import { gatedStructuredData } from './paywall.js';
import { absoluteUrl, paths, type SiteContext } from './site-context.js';

/**
 * JSON for a `<script type="application/ld+json">` element. Characters that could end the element
 * or start markup (`<`, `>`, `&`) and the two line separators JavaScript once choked on are
 * written as \u escapes, so no text an author typed — `</script>` in a headline — can leave it.
 */
export function jsonLd(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Structured data (schema.org as JSON-LD). It is data, not script: the Content-Security-Policy's
 * `script-src 'self'` does not apply to it and browsers never run it.
 */
export function JsonLd({ data }: { data: object }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd(data) }} />;
}

/** The crop files of an image, as absolute URLs, in the order Google lists them (16:9, 4:3, 1:1). */
export function cropUrls(site: SiteContext, imageId: string): string[] {
  return (Object.keys(cropRatios) as CropRatio[]).map((ratio) =>
    absoluteUrl(site, `/media/${imageId}/${ratio}-${cropWidth}.jpg`),
  );
}

/**
 * The publisher as a `NewsMediaOrganization` (issue 14): its logo, social profiles (`sameAs`) and
 * the policy pages staff named in Admin → Settings, in the page's language.
 */
export function publisher(site: SiteContext) {
  const policy = (kind: SiteContext['policies'][number]['kind']) => {
    const page = site.policies.find((candidate) => candidate.kind === kind);
    return page ? absoluteUrl(site, page.path) : undefined;
  };
  return {
    '@type': 'NewsMediaOrganization',
    name: site.name,
    url: absoluteUrl(site, '/'),
    logo: site.logo
      ? {
          '@type': 'ImageObject',
          url: absoluteUrl(site, site.logo.url),
          width: site.logo.width,
          height: site.logo.height,
        }
      : {
          '@type': 'ImageObject',
          url: absoluteUrl(site, site.assets.logo),
          width: publisherLogoSize,
          height: publisherLogoSize,
        },
    ...(site.followLinks.length > 0 ? { sameAs: site.followLinks.map((link) => link.url) } : {}),
    correctionsPolicy: policy('corrections'),
    ethicsPolicy: policy('ethics'),
    ownershipFundingInfo: policy('ownership'),
    masthead: policy('masthead'),
  };
}

/** The picture a page without its own shows when shared: the settings' share image, else the publisher logo. */
export function fallbackShareImage(site: SiteContext): NonNullable<SocialProps['image']> {
  if (site.shareImage) return { ...site.shareImage, url: absoluteUrl(site, site.shareImage.url), alt: '' };
  return { url: absoluteUrl(site, site.assets.logo), width: publisherLogoSize, height: publisherLogoSize, alt: '' };
}

/**
 * A Person from an author's profile in `language` (decision 0062): their photo's square crop, their
 * title and bio in that language only, their pages elsewhere as `sameAs`. Empty fields are left out.
 */
function person(site: SiteContext, language: string, author: Author) {
  return {
    '@type': 'Person',
    name: author.name,
    url: absoluteUrl(site, paths.author(language, author.slug)),
    ...(author.image ? { image: absoluteUrl(site, `/media/${author.image.id}/1x1-${cropWidth}.jpg`) } : {}),
    ...(author.jobTitle ? { jobTitle: author.jobTitle } : {}),
    ...(author.bio ? { description: author.bio } : {}),
    ...(author.links && author.links.length > 0 ? { sameAs: author.links } : {}),
  };
}

/** When the story last changed for readers: a story scheduled after its last save changed when it appeared. */
export function modifiedAt(article: Pick<Article, 'publishedAt' | 'updatedAt' | 'createdAt'>): Date {
  const published = article.publishedAt ?? article.createdAt;
  return new Date(Math.max(article.updatedAt.getTime(), published.getTime()));
}

/**
 * NewsArticle for a story page — or the subtype its kind of work names (decision 0051): opinion,
 * analysis and review are `NewsArticle` subtypes, sponsored copy an `AdvertiserContentArticle`, a
 * fact check a `NewsArticle` with its `genre` (no `ClaimReview`: the claim and verdict are not
 * stored). Built from the story as this reader receives it (a gated story has lost its body
 * already), and it never carries the body anyway: headline, standfirst and facts.
 */
export function newsArticleData(
  site: SiteContext,
  article: Article,
  machine: ReaderMachineFacts | null = null,
  corrections: readonly PublishedCorrection[] = [],
) {
  const url = absoluteUrl(site, paths.article(article.language, article.slug));
  return {
    '@context': 'https://schema.org',
    '@type': schemaOrgTypes[article.genre],
    '@id': `${url}#article`,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: article.headline,
    description: article.seoDescription ?? article.standfirst,
    ...(article.hero ? { image: cropUrls(site, article.hero.image.id) } : {}),
    datePublished: (article.publishedAt ?? article.createdAt).toISOString(),
    dateModified: modifiedAt(article).toISOString(),
    author: article.authors.map((author) => person(site, article.language, author)),
    publisher: publisher(site),
    inLanguage: article.language,
    // The page is in the story's language: so is the genre's name.
    ...(article.genre === defaultGenre ? {} : { genre: site.t.t(genreKey(article.genre)) }),
    ...(machine ? machineTranslationData(site, machine) : {}),
    ...(article.section ? { articleSection: article.section.name } : {}),
    ...(article.tags.length > 0 ? { keywords: article.tags.map((tag) => tag.name) } : {}),
    // Corrections and clarifications, each a CorrectionComment with its text and date (decision 0056).
    ...correctionData(corrections),
    // Members-only and paid stories say so, and name the element that stands where the rest would be.
    ...gatedStructuredData(storyPartFor(article.access, { kind: 'structured-data' }) !== 'whole'),
    ...(article.source
      ? {
          isBasedOn: {
            '@type': 'CreativeWork',
            ...(article.source.url ? { url: article.source.url } : {}),
            publisher: { '@type': 'Organization', name: article.source.name },
          },
        }
      : {}),
  };
}

/**
 * A machine translation's facts (decision 0040): the work it translates, when readers can see it,
 * and as `translator` the person who reviewed it and the service that translated it — both
 * types schema.org's validators accept for `translator`.
 */
function machineTranslationData(site: SiteContext, machine: ReaderMachineFacts) {
  return {
    ...(machine.source
      ? {
          translationOfWork: {
            '@type': 'NewsArticle',
            url: absoluteUrl(site, paths.article(machine.source.language, machine.source.slug)),
            headline: machine.source.headline,
            inLanguage: machine.source.language,
          },
        }
      : {}),
    translator: [
      ...(machine.reviewerName ? [{ '@type': 'Person', name: machine.reviewerName }] : []),
      { '@type': 'Organization', name: providerNames[machine.provider] ?? machine.provider },
    ],
  };
}

/** WebSite for a language's home page, with the site search as its SearchAction. */
export function webSiteData(site: SiteContext) {
  const language = site.t.language;
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    '@id': `${absoluteUrl(site, paths.home(language))}#website`,
    name: site.name,
    url: absoluteUrl(site, paths.home(language)),
    description: site.t.t('site.tagline'),
    inLanguage: language,
    publisher: publisher(site),
    potentialAction: {
      '@type': 'SearchAction',
      target: {
        '@type': 'EntryPoint',
        urlTemplate: `${absoluteUrl(site, paths.search(language))}?q={search_term_string}`,
      },
      'query-input': 'required name=search_term_string',
    },
  };
}

function itemList(site: SiteContext, items: ArticleSummary[]) {
  return {
    '@type': 'ItemList',
    itemListElement: items.map((item, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      url: absoluteUrl(site, paths.article(item.language, item.slug)),
    })),
  };
}

/** CollectionPage for a section or tag page: its name and the stories it lists. */
export function collectionPageData(
  site: SiteContext,
  subject: Taxon,
  title: string,
  path: string,
  items: ArticleSummary[],
) {
  return {
    '@context': 'https://schema.org',
    '@type': 'CollectionPage',
    '@id': absoluteUrl(site, path),
    url: absoluteUrl(site, path),
    name: title,
    about: { '@type': 'Thing', name: subject.name },
    inLanguage: site.t.language,
    isPartOf: { '@type': 'WebSite', name: site.name, url: absoluteUrl(site, paths.home(site.t.language)) },
    mainEntity: itemList(site, items),
  };
}

/** ProfilePage for an author page, its main entity the Person. */
export function profilePageData(site: SiteContext, author: Author, path: string) {
  const language = site.t.language;
  return {
    '@context': 'https://schema.org',
    '@type': 'ProfilePage',
    '@id': absoluteUrl(site, path),
    url: absoluteUrl(site, path),
    inLanguage: language,
    isPartOf: { '@type': 'WebSite', name: site.name, url: absoluteUrl(site, paths.home(language)) },
    mainEntity: person(site, language, author),
  };
}

/** OpenGraph's locale form of a language tag ("fr" → "fr_FR"). */
export function ogLocale(language: string): string {
  const locale = new Intl.Locale(language).maximize();
  return locale.region ? `${locale.language}_${locale.region}` : locale.language;
}

export interface SocialProps {
  site: SiteContext;
  type: 'website' | 'article' | 'profile';
  title: string;
  description: string;
  url: string;
  /** Other languages this page exists in. */
  alternateLanguages?: string[];
  image?: { url: string; width: number; height: number; alt: string } | null;
  article?: Article;
}

/** OpenGraph and Twitter card tags: what a shared link shows. */
export function SocialTags({
  site,
  type,
  title,
  description,
  url,
  alternateLanguages = [],
  image,
  article,
}: SocialProps) {
  // Every shared page shows a picture: its own, else the site's (issue 14).
  image = image ?? fallbackShareImage(site);
  return (
    <>
      <meta property="og:type" content={type} />
      <meta property="og:site_name" content={site.name} />
      <meta property="og:title" content={title} />
      {description ? <meta property="og:description" content={description} /> : null}
      <meta property="og:url" content={url} />
      <meta property="og:locale" content={ogLocale(site.t.language)} />
      {alternateLanguages.map((language) => (
        <meta property="og:locale:alternate" content={ogLocale(language)} />
      ))}
      {image ? (
        <>
          <meta property="og:image" content={image.url} />
          <meta property="og:image:width" content={String(image.width)} />
          <meta property="og:image:height" content={String(image.height)} />
          {image.alt ? <meta property="og:image:alt" content={image.alt} /> : null}
        </>
      ) : null}
      {article ? (
        <>
          <meta property="article:published_time" content={(article.publishedAt ?? article.createdAt).toISOString()} />
          <meta property="article:modified_time" content={modifiedAt(article).toISOString()} />
          {article.section ? <meta property="article:section" content={article.section.name} /> : null}
          {article.tags.map((tag) => (
            <meta property="article:tag" content={tag.name} />
          ))}
          {article.authors.map((author) => (
            <meta property="article:author" content={absoluteUrl(site, paths.author(article.language, author.slug))} />
          ))}
        </>
      ) : null}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={title} />
      {description ? <meta name="twitter:description" content={description} /> : null}
      {image ? <meta name="twitter:image" content={image.url} /> : null}
      {image?.alt ? <meta name="twitter:image:alt" content={image.alt} /> : null}
    </>
  );
}

/** Lets search engines show large previews of the site's pictures (Google Discover, Top stories). */
export const largeImagePreviews = <meta name="robots" content="max-image-preview:large" />;

/** The 16:9 crop shared links show. */
export function shareImage(site: SiteContext, article: Pick<Article, 'hero'>): SocialProps['image'] {
  if (!article.hero) return null;
  const [width, height] = cropRatios['16x9'];
  return {
    url: cropUrls(site, article.hero.image.id)[0] as string,
    width: cropWidth,
    height: Math.round((cropWidth * height) / width),
    alt: article.hero.alt,
  };
}
