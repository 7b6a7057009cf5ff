import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KiosqueError, messageValues } from '../../domain/errors.js';
import type { StaticPage, StaticPages } from '../../domain/pages/static-pages.js';
import {
  authorsOf,
  type BrowseQuery,
  browseAuthors,
  browseStories,
  browseTags,
  type ContentStoryReader,
  type GhostLinks,
  ghostAuthor,
  ghostPost,
  ghostTag,
  noSocialMeta,
  type Pagination,
  parseBrowseQuery,
  project,
  type Resource,
  type StoryFacts,
  tagsOf,
} from '../../domain/syndication/ghost-content.js';
import { browsePages, ghostPage } from '../../domain/syndication/ghost-pages.js';
import { providerNames } from '../../domain/translations/machine-translation.js';
import { dependency, namesShownBy } from '../cache-invalidation.js';
import { errorOf } from '../error-status.js';
import type { PageRenderer, WebDependencies } from '../server.js';
import { imageUrl, largestWidth } from '../views/components.js';
import { feedItemId } from '../views/feed-formats.js';
import { absoluteUrl, paths } from '../views/site-context.js';

/** Where Ghost's clients look for the Content API (`{url}/ghost/api/content/…`, v5 and later). */
export const contentApiPrefix = '/ghost/api/content';

/** What the Content API needs besides the reading site's dependencies. */
export interface ContentApiDependencies {
  stories: ContentStoryReader;
  /** The integration a Content API key belongs to; null when the key proves nothing. */
  integrations: { byContentKey(key: string): Promise<unknown | null> };
  /** The static pages (decision 0059), Ghost's "pages". */
  pages: Pick<StaticPages, 'list' | 'translations'>;
  readonly timeZone: string;
}

/** Ghost's error type for each status its Content API answers with. */
const ghostErrorTypes: Record<number, string> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'NoPermissionError',
  404: 'NotFoundError',
  422: 'ValidationError',
  429: 'TooManyRequestsError',
};

const notFound: Record<Resource, 'ARTICLE_NOT_FOUND' | 'PAGE_NOT_FOUND' | 'TAG_NOT_FOUND' | 'AUTHOR_NOT_FOUND'> = {
  posts: 'ARTICLE_NOT_FOUND',
  pages: 'PAGE_NOT_FOUND',
  tags: 'TAG_NOT_FOUND',
  authors: 'AUTHOR_NOT_FOUND',
};

/** The parameters that change an answer: the page cache keys on these only (never on the key). */
const answerParameters = ['filter', 'include', 'fields', 'formats', 'limit', 'page', 'order'];

type Query = Record<string, string | undefined>;

/** How a resource derived from the public stories (tags, authors) is listed, found and shown. */
interface IndexResource<T> {
  entries(stories: StoryFacts[]): T[];
  /** The cache key of the name it shows (dropped by a rename). */
  dependency(item: T): string;
  browse(items: T[], query: BrowseQuery): { items: T[]; pagination: Pagination };
  key(item: T, by: 'id' | 'slug'): string;
  json(item: T, query: BrowseQuery): unknown;
}

/** A parameter given twice (`?include=tags&include=authors`) reads as one list, as Ghost's client joins them. */
function flatQuery(query: unknown): Query {
  const entries = Object.entries((query ?? {}) as Record<string, unknown>);
  return Object.fromEntries(
    entries.map(([name, value]) => [name, Array.isArray(value) ? value.map(String).join(',') : String(value)]),
  );
}

/**
 * Ghost's Content API over the public stories (issue 13, decision 0046): read-only, keyed per
 * integration (`?key=`), the shapes, filters, pagination and errors of Ghost's, so that an
 * unmodified `@tryghost/content-api` client reads the site. Answers go through the page cache,
 * keyed on their parameters and dropped by any change to a public story; any site may read them
 * from a browser (`Access-Control-Allow-Origin: *`, GET only), as Ghost's.
 */
export function registerContentApiRoutes(app: FastifyInstance, deps: WebDependencies, web: PageRenderer) {
  const { site, contentApi } = deps;
  const url = (path: string) => absoluteUrl(site, path);
  const links: GhostLinks = {
    story: (language, slug) => url(paths.article(language, slug)),
    section: (language, slug) => url(paths.section(language, slug)),
    tag: (language, slug) => url(paths.tag(language, slug)),
    author: (language, slug) => url(paths.author(language, slug)),
    image: (image) => url(imageUrl(image.id, largestWidth(image.width), 'jpg')),
    uuid: (id) => feedItemId(id).replace(/^urn:uuid:/, ''),
  };
  /** Every public story is in some answer: any change to one drops them all (lists, counts). */
  const everyStory = () => site.languages.map(dependency.everyArticle);

  /** Site languages first in their order: a slug shared by two languages reads the first's. */
  const byLanguage = <T>(items: T[], languageOf: (item: T) => string) =>
    [...items].sort((a, b) => site.languages.indexOf(languageOf(a)) - site.languages.indexOf(languageOf(b)));

  async function authorize(request: FastifyRequest<{ Querystring: Query }>) {
    const key = request.query.key;
    if (!key) throw new KiosqueError('CONTENT_API_KEY_MISSING');
    if (!(await contentApi.integrations.byContentKey(key))) throw new KiosqueError('CONTENT_API_KEY_UNKNOWN');
  }

  /** Serves a JSON answer through the page cache, under the path and its answer parameters. */
  async function answer(
    request: FastifyRequest<{ Querystring: Query }>,
    reply: FastifyReply,
    render: () => Promise<{ body: unknown; dependencies: string[] }>,
  ) {
    await authorize(request);
    const path = request.url.split('?')[0] ?? '';
    const kept = answerParameters
      .filter((name) => request.query[name] !== undefined)
      .map((name) => `${name}=${encodeURIComponent(request.query[name] ?? '')}`);
    return web.sendPage(request, reply, `${path}?${kept.join('&')}`, async () => {
      const { body, dependencies } = await render();
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), dependencies };
    });
  }

  async function publicStories(): Promise<StoryFacts[]> {
    return contentApi.stories.listPublicStories(site.languages, deps.clock.now());
  }

  /** Ghost posts for a page of stories: bodies, translations and machine-translation facts. */
  async function postsOf(page: StoryFacts[], all: StoryFacts[], query: BrowseQuery) {
    const now = deps.clock.now();
    const ids = page.map((story) => story.id);
    const [bodies, machine, corrections] = await Promise.all([
      contentApi.stories.bodiesOf(ids, now),
      deps.machineTranslations.forReaders(ids, now),
      deps.corrections.forArticles(ids),
    ]);
    const groups = new Map<string, StoryFacts[]>();
    for (const story of all) groups.set(story.translationGroup, [...(groups.get(story.translationGroup) ?? []), story]);
    const posts = page.map((story) => {
      const facts = machine.get(story.id);
      return project(
        ghostPost({
          story,
          bodies: bodies.get(story.id) ?? { bodyMarkdown: '', bodyHtml: '' },
          query,
          links,
          translations: byLanguage(groups.get(story.translationGroup) ?? [story], (other) => other.language).map(
            (other) => ({ language: other.language, slug: other.slug, headline: other.headline }),
          ),
          machine: facts
            ? {
                sourceLanguage: facts.sourceLanguage,
                provider: providerNames[facts.provider] ?? facts.provider,
                reviewer: facts.reviewerName,
              }
            : null,
          corrections: corrections.get(story.id) ?? [],
        }),
        query.fields,
      );
    });
    const dependencies = page.flatMap((story) => [
      dependency.article(story.id),
      dependency.group(story.translationGroup),
      ...namesShownBy(story),
    ]);
    return { posts, dependencies };
  }

  const list = (resource: string, items: unknown[], pagination: Pagination) => ({
    [resource]: items,
    meta: { pagination },
  });

  app.register(async (scope) => {
    // Browsers may read the API from any site, as Ghost's; it answers GET only, with no cookie's help.
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('access-control-allow-origin', '*');
      return payload;
    });
    scope.addHook('preHandler', async (request) => {
      request.query = flatQuery(request.query);
    });
    scope.options(`${contentApiPrefix}/*`, async (_request, reply) =>
      reply
        .status(204)
        .header('access-control-allow-methods', 'GET, HEAD')
        .header('access-control-allow-headers', 'accept-version, content-type')
        .header('access-control-max-age', '86400')
        .send(),
    );

    scope.setErrorHandler(async (error, request, reply) => {
      const { code, status } = errorOf(error, request);
      if (status >= 500) request.log.error({ err: error, url: request.url }, 'content api request failed');
      const t = web.translator(web.languageOf(request));
      return reply
        .status(status)
        .header('cache-control', 'no-store')
        .send({
          errors: [
            {
              message: t.t(`error.${code}`, messageValues(error)),
              context: null,
              type: ghostErrorTypes[status] ?? 'InternalServerError',
              details: null,
              property: null,
              help: null,
              code,
              id: request.id,
              ghostErrorCode: null,
            },
          ],
        });
    });

    /** A resource's reads, by id (`/{resource}/:id/`) and by slug (`/{resource}/slug/:slug/`). */
    function reads(
      resource: Resource,
      read: (
        by: 'id' | 'slug',
        wanted: string,
        query: BrowseQuery,
      ) => Promise<{ body: unknown; dependencies: string[] }>,
    ) {
      for (const by of ['id', 'slug'] as const) {
        const route = `${contentApiPrefix}/${resource}/${by === 'id' ? ':id' : 'slug/:slug'}/`;
        scope.get<{ Querystring: Query; Params: { id?: string; slug?: string } }>(route, async (request, reply) =>
          answer(request, reply, () => read(by, request.params[by] ?? '', parseBrowseQuery(resource, request.query))),
        );
      }
    }

    /** Static pages in Ghost's page shape, each with its translations' addresses (issue 14). */
    async function pagesOf(items: StaticPage[], query: BrowseQuery) {
      return Promise.all(
        items.map(async (page) => {
          const translations = [...(await contentApi.pages.translations(page.group)).values()]
            .filter((other) => other.id !== page.id)
            .map((other) => ({ language: other.language, url: url(paths.staticPage(other.language, other.slug)) }));
          return project(ghostPage(page, url(paths.staticPage(page.language, page.slug)), translations), query.fields);
        }),
      );
    }
    const everyPage = () => site.languages.map(dependency.pages);
    scope.get<{ Querystring: Query }>(`${contentApiPrefix}/pages/`, async (request, reply) =>
      answer(request, reply, async () => {
        const query = parseBrowseQuery('pages', request.query);
        const all = (await contentApi.pages.list()).filter((page) => site.languages.includes(page.language));
        const { items, pagination } = browsePages(all, query);
        return { body: list('pages', await pagesOf(items, query), pagination), dependencies: everyPage() };
      }),
    );
    reads('pages', async (by, wanted, query) => {
      const all = (await contentApi.pages.list()).filter((page) => site.languages.includes(page.language));
      const page = all.find((candidate) => (by === 'id' ? candidate.id : candidate.slug) === wanted);
      if (!page) throw new KiosqueError(notFound.pages);
      return { body: { pages: await pagesOf([page], query) }, dependencies: everyPage() };
    });

    for (const resource of ['posts'] as const) {
      scope.get<{ Querystring: Query }>(`${contentApiPrefix}/${resource}/`, async (request, reply) =>
        answer(request, reply, async () => {
          const query = parseBrowseQuery(resource, request.query);
          const all = await publicStories();
          const { items, pagination } = browseStories(all, query, links);
          const { posts, dependencies } = await postsOf(items, all, query);
          return { body: list(resource, posts, pagination), dependencies: [...everyStory(), ...dependencies] };
        }),
      );
      reads(resource, async (by, wanted, query) => {
        const all = await publicStories();
        const story = byLanguage(all, (s) => s.language).find((s) => (by === 'id' ? s.id : s.slug) === wanted);
        if (!story) throw new KiosqueError(notFound[resource]);
        const { posts, dependencies } = await postsOf([story], all, query);
        return { body: { [resource]: posts }, dependencies: [...everyStory(), ...dependencies] };
      });
    }

    /**
     * A resource derived from the public stories (tags, authors): its list and its reads by id
     * and by slug, the same entries behind each so that a list and a read never disagree.
     */
    function indexRoutes<T>(resource: 'tags' | 'authors', index: IndexResource<T>) {
      const load = async () => {
        const entries = index.entries(await publicStories());
        return { entries, dependencies: [...everyStory(), ...entries.map(index.dependency)] };
      };
      scope.get<{ Querystring: Query }>(`${contentApiPrefix}/${resource}/`, async (request, reply) =>
        answer(request, reply, async () => {
          const query = parseBrowseQuery(resource, request.query);
          const { entries, dependencies } = await load();
          const { items, pagination } = index.browse(entries, query);
          return {
            body: list(
              resource,
              items.map((item) => index.json(item, query)),
              pagination,
            ),
            dependencies,
          };
        }),
      );
      reads(resource, async (by, wanted, query) => {
        const { entries, dependencies } = await load();
        const found = entries.find((item) => index.key(item, by) === wanted);
        if (!found) throw new KiosqueError(notFound[resource]);
        return { body: { [resource]: [index.json(found, query)] }, dependencies };
      });
    }

    const counted = (query: BrowseQuery, posts: number) => (query.include.has('count.posts') ? posts : undefined);
    indexRoutes('tags', {
      entries: (stories) => byLanguage(tagsOf(stories), (item) => item.entry.taxon.language),
      dependency: (item) => dependency.named(item.entry.kind, item.entry.taxon.id),
      browse: browseTags,
      key: (item, by) => item.entry.taxon[by],
      json: (item, query) => project(ghostTag(item.entry, links, counted(query, item.posts)), query.fields),
    });
    indexRoutes('authors', {
      entries: (stories) => authorsOf(stories, site.languages),
      dependency: (item) => dependency.named('author', item.author.id),
      browse: browseAuthors,
      key: (item, by) => item.author[by],
      json: (item, query) =>
        project(ghostAuthor(item.author, item.language, links, counted(query, item.posts)), query.fields),
    });

    scope.get<{ Querystring: Query }>(`${contentApiPrefix}/settings/`, async (request, reply) =>
      answer(request, reply, async () => {
        const language = site.defaultLanguage;
        const t = web.translator(language);
        const sections = await deps.reading.sections(language);
        const logo = url(deps.assets.get('logo.png')?.url ?? '/');
        const tagline = t.t('site.tagline');
        const settings = {
          title: site.name,
          description: tagline,
          logo,
          icon: url(deps.assets.get('favicon.svg')?.url ?? '/favicon.ico'),
          accent_color: null,
          cover_image: null,
          facebook: null,
          twitter: null,
          lang: language,
          locale: language,
          timezone: contentApi.timeZone,
          codeinjection_head: null,
          codeinjection_foot: null,
          navigation: [
            { label: site.name, url: url(paths.home(language)) },
            ...sections.map((section) => ({ label: section.name, url: url(paths.section(language, section.slug)) })),
          ],
          secondary_navigation: [],
          meta_title: null,
          meta_description: null,
          ...noSocialMeta,
          members_support_address: null,
          url: `${url('/')}`,
          // Ghost lacks it: each language the site is published in, and its home.
          languages: site.languages.map((code) => ({ language: code, url: url(paths.home(code)) })),
        };
        return {
          body: { settings, meta: {} },
          dependencies: [
            dependency.menu(language),
            ...sections.map((section) => dependency.named('section', section.id)),
          ],
        };
      }),
    );
  });
}
