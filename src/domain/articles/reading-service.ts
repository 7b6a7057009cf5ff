import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import {
  arrangeHome,
  type BreakingBanner,
  bannerShown,
  type FrontPagePicks,
  type HomeArrangement,
} from '../frontpage/front-page.js';
import type { Article, ArticleSummary, Author, Taxon } from './article.js';
import { markSponsoredLinks } from './markdown.js';

export interface ListQuery {
  language: string;
  sectionId?: string;
  tagId?: string;
  authorId?: string;
  /** Leave these articles out (the one being read, its translations). */
  excludeIds?: string[];
  /** Only these articles (an empty list matches none). */
  ids?: string[];
  limit: number;
  offset?: number;
  /** Also count every match, for paging. Counting visits every match, so lists that do not page skip it. */
  withTotal?: boolean;
}

/** What the reading site needs from storage: published articles only, as of `now`. */
export interface ArticleReader {
  findPublished(language: string, slug: string, now: Date): Promise<Article | null>;
  /** `total` is null when the query asked for no count (`withTotal: false`). */
  listPublished(query: ListQuery, now: Date): Promise<{ items: ArticleSummary[]; total: number | null }>;
  /**
   * Published articles sharing the most tags with `article` (then its section), same language, never
   * the article or its translations: what tops up a short stored related list.
   */
  listRelatedByTags(article: Article, limit: number, now: Date): Promise<ArticleSummary[]>;
  /** The public articles of a translation group (each language at most once). */
  listTranslations(translationGroup: string, now: Date): Promise<{ language: string; slug: string }[]>;
  /** The current slug of a public article that used to have `slug`, or null. */
  findRenamed(language: string, slug: string, now: Date): Promise<string | null>;
  /**
   * The killed story that has, or used to have, `slug` (decision 0057): when it was killed and the
   * notice readers get in its place; null when no killed story ever had that address.
   */
  findKilled(language: string, slug: string): Promise<{ killedAt: Date; notice: string } | null>;
}

/** The stored "You might also enjoy" list of an article, best first (kept by the related service). */
export interface RelatedReader {
  relatedIds(articleId: string): Promise<string[]>;
}

/** Looks up the things articles are grouped by. */
export interface TaxonomyReader {
  findSection(language: string, slug: string): Promise<Taxon | null>;
  findTag(language: string, slug: string): Promise<Taxon | null>;
  /** The author with their title and bio in `language` (or none: never another language's). */
  findAuthor(slug: string, language: string): Promise<Author | null>;
  /** Every section of the language, for the newsroom. */
  listSections(language: string): Promise<Taxon[]>;
  /** The sections holding at least one public story as of `now`: the only ones readers see. */
  listPublicSections(language: string, now: Date): Promise<Taxon[]>;
}

/**
 * What staff pinned (issue 14, decision 0060), by story id: whether readers see a pick is asked of
 * the `ArticleReader`, so the one visibility rule decides, never this port.
 */
export interface FrontPageReader {
  picks(language: string): Promise<FrontPagePicks>;
  sectionLeads(sectionIds: readonly string[]): Promise<Map<string, string>>;
  banner(language: string): Promise<BreakingBanner | null>;
}

/** The home page: the arrangement, and every story pinned (shown or skipped: their changes drop it). */
export interface HomePageContent extends HomeArrangement {
  pinnedIds: string[];
}

export interface ArticlePage {
  article: Article;
  /** Where this story is published in other languages (this article excluded). */
  translations: { language: string; slug: string }[];
  latest: ArticleSummary[];
  related: ArticleSummary[];
}

export interface ListingPage<T> {
  subject: T;
  items: ArticleSummary[];
  page: number;
  pageCount: number;
  /** How many published articles the listing holds, over all its pages. */
  total: number;
  /** The story staff pinned at the top of a section (first page only; never in `items` too). */
  lead?: ArticleSummary | null;
  /** The pinned lead's id, shown or not (its changes drop the page). */
  pinnedLeadId?: string | null;
}

export const latestCount = 5;
export const relatedCount = 4;
export const pageSize = 12;
const homeLatestCount = 12;

/** The reading site's questions: what is on the home page, an article page, a listing page. */
export function createReadingService(deps: {
  articles: ArticleReader;
  taxonomy: TaxonomyReader;
  related: RelatedReader;
  frontPage: FrontPageReader;
  clock: Clock;
}) {
  const { articles, taxonomy, related: relatedLists, frontPage, clock } = deps;

  /**
   * "You might also enjoy": the stored list (content similarity, kept by the related service), as it
   * is now — stories that left the site since it was computed are skipped. A story that resembles
   * too few others is topped up with the stories sharing its tags, then its section, so the reader
   * is still offered a way on; similar stories always come first.
   */
  async function relatedTo(article: Article, now: Date): Promise<ArticleSummary[]> {
    const ids = await relatedLists.relatedIds(article.id);
    const { items } =
      ids.length === 0
        ? { items: [] }
        : await articles.listPublished({ language: article.language, ids, limit: ids.length, withTotal: false }, now);
    const order = new Map(ids.map((id, index) => [id, index]));
    const similar = items.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)).slice(0, relatedCount);
    if (similar.length >= relatedCount) return similar;
    const taken = new Set(similar.map((item) => item.id));
    const nearby = await articles.listRelatedByTags(article, relatedCount + similar.length, now);
    return [...similar, ...nearby.filter((item) => !taken.has(item.id))].slice(0, relatedCount);
  }

  async function listing<T>(
    subject: T,
    query: Omit<ListQuery, 'limit' | 'offset'>,
    page: number,
  ): Promise<ListingPage<T>> {
    const safePage = Number.isInteger(page) && page >= 1 ? page : 1;
    const { items, total: counted } = await articles.listPublished(
      { ...query, limit: pageSize, offset: (safePage - 1) * pageSize, withTotal: true },
      clock.now(),
    );
    const total = counted ?? 0;
    return { subject, items, page: safePage, pageCount: Math.max(1, Math.ceil(total / pageSize)), total };
  }

  return {
    /**
     * The home page as staff curated it: the pinned lead and top stories that readers may see now,
     * in staff's order, and the latest stories newest first; with nothing pinned (or nothing pinned
     * public), the newest story leads, as before curation existed.
     */
    async home(language: string): Promise<HomePageContent> {
      const now = clock.now();
      const picks = await frontPage.picks(language);
      const pinnedIds = [...new Set([...(picks.leadId ? [picks.leadId] : []), ...picks.topIds])];
      const [pinned, newest] = await Promise.all([
        pinnedIds.length === 0
          ? { items: [] }
          : articles.listPublished({ language, ids: pinnedIds, limit: pinnedIds.length, withTotal: false }, now),
        articles.listPublished({ language, limit: homeLatestCount + 1, withTotal: false }, now),
      ]);
      return { ...arrangeHome(picks, pinned.items, newest.items, homeLatestCount), pinnedIds };
    },

    /** The breaking-news banner readers of `language` see now, or null (none, or past its expiry). */
    async banner(language: string): Promise<BreakingBanner | null> {
      const banner = await frontPage.banner(language);
      return bannerShown(banner, clock.now()) ? banner : null;
    },

    /** The article page, or where the article moved when its slug changed. */
    async article(language: string, slug: string): Promise<ArticlePage | { movedTo: string }> {
      const now = clock.now();
      const found = await articles.findPublished(language, slug, now);
      // A sponsored story's links are paid links: readers' pages mark them so (issue 14).
      const article = found?.genre === 'sponsored' ? { ...found, bodyHtml: markSponsoredLinks(found.bodyHtml) } : found;
      if (!article) {
        const movedTo = await articles.findRenamed(language, slug, now);
        if (movedTo) return { movedTo };
        // A killed story's every address, old slugs included, answers 410 Gone where it is asked
        // for: never a 301 first, which would tell its later address (decision 0057).
        const killed = await articles.findKilled(language, slug);
        if (killed) {
          throw new KiosqueError('ARTICLE_GONE', {
            language,
            killedAt: killed.killedAt.toISOString(),
            notice: killed.notice,
          });
        }
        throw new KiosqueError('ARTICLE_NOT_FOUND', { language, slug });
      }
      const [latest, related, group] = await Promise.all([
        articles.listPublished({ language, excludeIds: [article.id], limit: latestCount, withTotal: false }, now),
        relatedTo(article, now),
        articles.listTranslations(article.translationGroup, now),
      ]);
      const translations = group.filter((other) => other.language !== article.language);
      return { article, translations, latest: latest.items, related };
    },

    /**
     * The page of an article that is not public yet, as readers will see it (the private preview).
     * A draft has no stored related list yet: the one its tags and section give stands in for it.
     */
    async preview(article: Article): Promise<ArticlePage> {
      const now = clock.now();
      const [latest, related, group] = await Promise.all([
        articles.listPublished(
          { language: article.language, excludeIds: [article.id], limit: latestCount, withTotal: false },
          now,
        ),
        articles.listRelatedByTags(article, relatedCount, now),
        articles.listTranslations(article.translationGroup, now),
      ]);
      const translations = group.filter((other) => other.language !== article.language);
      return { article, translations, latest: latest.items, related };
    },

    async section(language: string, slug: string, page = 1): Promise<ListingPage<Taxon>> {
      const section = await taxonomy.findSection(language, slug);
      if (!section) throw new KiosqueError('SECTION_NOT_FOUND', { language, slug });
      // The lead staff pinned (decision 0060), when readers may see it now and it is still in this
      // section: first on the first page, and left out of the list below it on every page.
      const pinnedLeadId = (await frontPage.sectionLeads([section.id])).get(section.id) ?? null;
      const lead = pinnedLeadId
        ? ((
            await articles.listPublished(
              { language, sectionId: section.id, ids: [pinnedLeadId], limit: 1, withTotal: false },
              clock.now(),
            )
          ).items[0] ?? null)
        : null;
      const found = await listing(
        section,
        { language, sectionId: section.id, ...(lead ? { excludeIds: [lead.id] } : {}) },
        page,
      );
      const total = found.total + (lead ? 1 : 0);
      // Not public until it holds a public story (issue 11): an empty section is not found.
      if (total === 0) throw new KiosqueError('SECTION_NOT_FOUND', { language, slug });
      return { ...found, total, lead: found.page === 1 ? lead : null, pinnedLeadId };
    },

    async tag(language: string, slug: string, page = 1): Promise<ListingPage<Taxon>> {
      const tag = await taxonomy.findTag(language, slug);
      if (!tag) throw new KiosqueError('TAG_NOT_FOUND', { language, slug });
      const found = await listing(tag, { language, tagId: tag.id }, page);
      if (found.total === 0) throw new KiosqueError('TAG_NOT_FOUND', { language, slug });
      return found;
    },

    async author(language: string, slug: string, page = 1): Promise<ListingPage<Author>> {
      const author = await taxonomy.findAuthor(slug, language);
      if (!author) throw new KiosqueError('AUTHOR_NOT_FOUND', { slug });
      return listing(author, { language, authorId: author.id }, page);
    },

    /** The section menu: sections appear to readers only once they hold a public story (issue 11). */
    sections(language: string): Promise<Taxon[]> {
      return taxonomy.listPublicSections(language, clock.now());
    },
  };
}

export type ReadingService = ReturnType<typeof createReadingService>;
