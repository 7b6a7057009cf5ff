import { genreKey } from '../domain/articles/genre.js';
import type { ReadingService } from '../domain/articles/reading-service.js';
import type { Clock } from '../domain/clock.js';
import { type NinjsDocument, type NinjsLinks, type NinjsTranslation, ninjsOf } from '../domain/syndication/ninjs.js';
import { providerNames } from '../domain/translations/machine-translation.js';
import { dependency, namesShownBy } from './cache-invalidation.js';
import type { WebDependencies } from './server.js';
import { correctionLine } from './views/corrections.js';
import { feedItemId } from './views/feed-formats.js';
import { absoluteUrl, paths } from './views/site-context.js';

/** The address of a story's ninjs document. */
export const ninjsPath = (language: string, slug: string) => `/api/ninjs/${language}/${slug}`;

/**
 * A public story as its ninjs document, one way for the API route and the webhooks (issue 13):
 * the reader's view, so a gated body is withheld exactly as on the page.
 */
export function createNinjsDocuments(deps: {
  site: WebDependencies['site'];
  reading: ReadingService;
  machineTranslations: WebDependencies['machineTranslations'];
  corrections: WebDependencies['corrections'];
  /** The genre's name is given in the story's language. */
  translators: WebDependencies['translators'];
  clock: Clock;
}) {
  const { site, reading } = deps;

  function linksOf(story: { id: string; language: string; slug: string }): NinjsLinks {
    return {
      uri: feedItemId(story.id),
      pageUrl: absoluteUrl(site, paths.article(story.language, story.slug)),
      ninjsUrl: absoluteUrl(site, ninjsPath(story.language, story.slug)),
    };
  }

  return {
    linksOf,

    /**
     * The document of the public story at `/{language}/{slug}` and the cache keys it depends on;
     * `{ movedTo }` for an old address; ARTICLE_NOT_FOUND when nothing public is there.
     */
    async story(
      language: string,
      slug: string,
    ): Promise<{ document: NinjsDocument; dependencies: string[] } | { movedTo: string }> {
      const story = await reading.article(language, slug);
      if ('movedTo' in story) return story;
      const { article } = story;
      const now = deps.clock.now();
      const [machine, corrections, others] = await Promise.all([
        deps.machineTranslations.forReaders([article.id], now),
        deps.corrections.forArticles([article.id]),
        Promise.all(
          // Only the languages this site serves: another language's stories have no address here.
          story.translations
            .filter((other) => site.languages.includes(other.language))
            .map(async (other) => {
              const found = await reading.article(other.language, other.slug).catch(() => null);
              return found && 'article' in found ? found.article : null;
            }),
        ),
      ]);
      const facts = machine.get(article.id) ?? null;
      const translator = deps.translators.get(article.language);
      const present = others.filter((other) => other !== null);
      const translations: NinjsTranslation[] = present.map((other) => ({
        ...linksOf(other),
        language: other.language,
        headline: other.headline,
      }));
      const document = ninjsOf({
        article,
        links: linksOf(article),
        authorUrls: Object.fromEntries(
          article.authors.map((author) => [author.id, absoluteUrl(site, paths.author(language, author.slug))]),
        ),
        translations,
        machineTranslation: facts && {
          sourceLanguage: facts.sourceLanguage,
          provider: providerNames[facts.provider] ?? facts.provider,
          reviewer: facts.reviewerName,
          source: facts.source ? { ...linksOf(facts.source), headline: facts.source.headline } : null,
        },
        siteName: site.name,
        genreName: translator?.t(genreKey(article.genre)) ?? article.genre,
        // Each correction and clarification as a description of its own role, dated in the story's language.
        corrections: (corrections.get(article.id) ?? []).map((correction) => ({
          kind: correction.kind,
          value: translator ? correctionLine(translator, correction) : correction.text,
        })),
      });
      return {
        document,
        dependencies: [
          dependency.article(article.id),
          dependency.group(article.translationGroup),
          ...namesShownBy(article),
          ...(facts?.source ? [dependency.article(facts.source.id)] : []),
          ...present.map((other) => dependency.article(other.id)),
        ],
      };
    },
  };
}
