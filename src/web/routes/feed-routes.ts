import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Author, Taxon } from '../../domain/articles/article.js';
import { genreKey, labelledInLists } from '../../domain/articles/genre.js';
import type { Feed, FeedEntry, FeedScope } from '../../domain/feeds/feed-service.js';
import { siteNameIn } from '../../domain/settings/site-settings.js';
import { providerNames } from '../../domain/translations/machine-translation.js';
import { dependency, namesShownBy } from '../cache-invalidation.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { largestWidth } from '../views/components.js';
import { correctionHtml, correctionLine } from '../views/corrections.js';
import {
  type FeedCorrection,
  type FeedDocument,
  type FeedItem,
  type FeedMachineTranslation,
  feedContentTypes,
  feedItemId,
  renderFeed,
} from '../views/feed-formats.js';
import { absoluteUrl, type FeedFile, feedFiles, paths } from '../views/site-context.js';

type ListingKind = 'section' | 'tag' | 'author';

/** The width of the hero file a feed encloses: large enough for any reader, never the original. */
const enclosureWidth = 1280;

/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the whole site (`/rss.xml`), each language
 * (`/fr/rss.xml`) and each section, tag and author (`/fr/section/monde/rss.xml`). Served through
 * the page cache; each declares the lists it follows and the stories it shows, so a change drops
 * exactly the feeds it appears in.
 */
export function registerFeedRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, feeds } = deps;

  async function enclosure(entry: FeedEntry): Promise<FeedItem['image']> {
    if (!entry.hero) return null;
    const source = await deps.images.find(entry.hero.image.id);
    if (!source) return null;
    const width = largestWidth(source.width, enclosureWidth);
    // The enclosure's length is the file's exact size: the variant is made now if no one asked for it yet.
    const length = await deps.variants.size(source, width, 'jpg');
    if (length === null) return null;
    return {
      url: absoluteUrl(site, `/media/${source.id}/${width}.jpg`),
      type: deps.variants.mimeType('jpg'),
      length,
      alt: entry.hero.alt,
    };
  }

  function describe(feed: Feed): {
    title: string;
    description: string;
    homePath: string;
    urls: (file: FeedFile) => string;
  } {
    const { scope } = feed;
    if (scope.kind === 'site') {
      const t = web.translator(site.defaultLanguage);
      return { title: site.name, description: t.t('site.tagline'), homePath: '/', urls: paths.siteFeed };
    }
    const t = web.translator(scope.language);
    if (scope.kind === 'language') {
      return {
        title: t.t('home.title', { site: site.name }),
        description: t.t('site.tagline'),
        homePath: paths.home(scope.language),
        urls: (file) => paths.languageFeed(scope.language, file),
      };
    }
    const subject = feed.subject as Taxon | Author;
    const title = t.t(`listing.${scope.kind}`, { name: subject.name });
    return {
      title: `${title} — ${site.name}`,
      description: scope.kind === 'author' ? (subject as Author).bio || title : title,
      homePath: paths[scope.kind](scope.language, subject.slug),
      urls: (file) => paths.listingFeed(scope.kind as ListingKind, scope.language, subject.slug, file),
    };
  }

  async function documentOf(feed: Feed): Promise<FeedDocument> {
    const described = describe(feed);
    const machine = await deps.machineTranslations.forReaders(
      feed.entries.map((entry) => entry.id),
      deps.clock.now(),
    );
    const corrections = await deps.corrections.forArticles(feed.entries.map((entry) => entry.id));
    const correctionsOf = (entry: FeedEntry): FeedCorrection[] => {
      const t = web.translator(entry.language);
      return (corrections.get(entry.id) ?? []).map((correction) => ({
        kind: correction.kind,
        publishedAt: correction.publishedAt,
        line: correctionLine(t, correction),
        html: correctionHtml(t, correction),
      }));
    };
    const machineOf = (id: string): FeedMachineTranslation | null => {
      const facts = machine.get(id);
      if (!facts) return null;
      return {
        sourceLanguage: facts.sourceLanguage,
        sourceUrl: facts.source ? absoluteUrl(site, paths.article(facts.source.language, facts.source.slug)) : null,
        provider: providerNames[facts.provider] ?? facts.provider,
        reviewer: facts.reviewerName,
      };
    };
    const items = await Promise.all(
      feed.entries.map(
        async (entry): Promise<FeedItem> => ({
          id: feedItemId(entry.id),
          url: absoluteUrl(site, paths.article(entry.language, entry.slug)),
          language: entry.language,
          title: entry.headline,
          summary: entry.standfirst,
          contentHtml: entry.contentHtml,
          publishedAt: entry.publishedAt,
          updatedAt: entry.updatedAt,
          authors: entry.authors.map((author) => ({
            name: author.name,
            url: absoluteUrl(site, paths.author(entry.language, author.slug)),
          })),
          // The kind of work first, in the story's language, when lists label it (not plain news).
          categories: [
            ...(labelledInLists(entry.genre) ? [web.translator(entry.language).t(genreKey(entry.genre))] : []),
            ...entry.categories,
          ],
          image: await enclosure(entry),
          machineTranslation: machineOf(entry.id),
          corrections: correctionsOf(entry),
        }),
      ),
    );
    return {
      title: described.title,
      description: described.description,
      language: feed.scope.kind === 'site' ? null : feed.scope.language,
      homeUrl: absoluteUrl(site, described.homePath),
      urls: Object.fromEntries(feedFiles.map((file) => [file, absoluteUrl(site, described.urls(file))])) as Record<
        FeedFile,
        string
      >,
      siteName:
        feed.scope.kind === 'site'
          ? site.name
          : siteNameIn(deps.settings.current(), feed.scope.language, site.defaultLanguage),
      iconUrl: absoluteUrl(site, deps.assets.get('favicon.svg')!.url),
      logoUrl: absoluteUrl(site, deps.assets.get('logo.png')!.url),
      updatedAt: feed.updatedAt,
      items,
    };
  }

  /** What the feed follows: a change there drops it (the stories themselves are added as shown). */
  function follows(feed: Feed): string[] {
    const { scope } = feed;
    if (scope.kind === 'site') return site.languages.map(dependency.latest);
    if (scope.kind === 'language') return [dependency.latest(scope.language)];
    const id = (feed.subject as Taxon | Author).id;
    // A renamed section renames its feed (sections.changed drops the language's menu).
    return scope.kind === 'section'
      ? [dependency.section(id), dependency.menu(scope.language)]
      : [dependency[scope.kind](id)];
  }

  function send(
    request: FastifyRequest,
    reply: Parameters<PageRenderer['sendPage']>[1],
    file: FeedFile,
    scope: FeedScope,
  ) {
    return web.sendPage(request, reply, keyOf(scope, file), async () => {
      const feed = await feeds.feed(scope);
      return {
        contentType: feedContentTypes[file],
        body: renderFeed(file, await documentOf(feed)),
        dependencies: [
          ...follows(feed),
          // The feed names the site (its name is a setting per language).
          dependency.settings('identity', feed.scope.kind === 'site' ? site.defaultLanguage : feed.scope.language),
          ...feed.entries.flatMap((entry) => [dependency.article(entry.id), ...namesShownBy(entry)]),
        ],
      };
    });
  }

  // One cache entry per feed, whatever query string or encoding the request used.
  function keyOf(scope: FeedScope, file: FeedFile): string {
    if (scope.kind === 'site') return paths.siteFeed(file);
    if (scope.kind === 'language') return paths.languageFeed(scope.language, file);
    return paths.listingFeed(scope.kind, scope.language, scope.slug, file);
  }

  for (const file of feedFiles) {
    app.get(paths.siteFeed(file), async (request, reply) => send(request, reply, file, { kind: 'site' }));
    app.get<{ Params: { lang: string } }>(`/:lang/${file}`, async (request, reply) =>
      send(request, reply, file, { kind: 'language', language: request.params.lang }),
    );
    for (const kind of ['section', 'tag', 'author'] as const) {
      app.get<{ Params: { lang: string; slug: string } }>(`/:lang/${kind}/:slug/${file}`, async (request, reply) =>
        send(request, reply, file, { kind, language: request.params.lang, slug: request.params.slug }),
      );
    }
  }
}
