import type { ArticleStatus, ArticleSummary, Taxon, Visibility } from '../articles/article.js';
import { isPublic } from '../articles/article.js';
import type { Clock } from '../clock.js';
import { KiosqueError } from '../errors.js';
import type { EventBus } from '../events.js';
import {
  type BreakingBanner,
  checkBanner,
  type FrontPagePicks,
  maxTopStories,
  moveTop,
  placeTop,
} from './front-page.js';

/** Why the port exists: the picks of each language and each section's lead are kept between requests. */
export interface FrontPageStore {
  picks(language: string): Promise<FrontPagePicks>;
  /** Replaces the language's picks at once (one transaction: a reader never sees half a reorder). */
  savePicks(language: string, picks: FrontPagePicks): Promise<void>;
  /** The pinned lead of each of these sections that has one, by section id. */
  sectionLeads(sectionIds: readonly string[]): Promise<Map<string, string>>;
  setSectionLead(sectionId: string, articleId: string | null): Promise<void>;
}

/** Why the port exists: one banner per language, kept with who set it. */
export interface BannerStore {
  banner(language: string): Promise<BreakingBanner | null>;
  saveBanner(language: string, banner: BreakingBanner | null, by: string | null, at: Date): Promise<void>;
}

/** A story as the curation screen names it, whatever its status (a pick may be a draft, or trashed since). */
export interface PickedStory extends Visibility {
  id: string;
  language: string;
  slug: string;
  headline: string;
  sectionId: string | null;
}

/** Why the port exists: a pick is checked against its story, and the screen says whether readers see it. */
export interface PickableStories {
  describe(ids: readonly string[]): Promise<PickedStory[]>;
}

/** A pick on the curation screen: the story and whether readers see it now (else the page skips it). */
export interface PickView {
  story: PickedStory;
  status: ArticleStatus;
  shown: boolean;
}

export interface CurationScreen {
  lead: PickView | null;
  top: PickView[];
  banner: BreakingBanner | null;
  /** Whether the stored banner has passed its expiry (kept so it can be set again, shown to nobody). */
  bannerExpired: boolean;
  sections: { section: Taxon; lead: PickView | null; candidates: ArticleSummary[] }[];
}

/**
 * Staff's side of the front page (issue 14, decision 0060): pin a lead and ordered top stories per
 * language, a lead per section, and the breaking-news banner. Each change is stored, then announced
 * as `frontpage.changed`, which drops exactly the pages that show what changed on every instance.
 * Rights (`frontpage.manage`) are checked by the admin route before any of this runs.
 */
export function createFrontPageEditor(deps: {
  store: FrontPageStore;
  banners: BannerStore;
  stories: PickableStories;
  sections: { listSections(language: string): Promise<Taxon[]> };
  /** The public stories of a section, newest first: the choices for its lead. */
  articles: {
    listPublished(
      query: { language: string; sectionId?: string; limit: number; withTotal?: boolean },
      now: Date,
    ): Promise<{ items: ArticleSummary[] }>;
  };
  events: EventBus;
  clock: Clock;
}) {
  const { store, banners, stories, events, clock } = deps;

  const view = (story: PickedStory, now: Date): PickView => ({
    story,
    status: story.status,
    shown: isPublic(story, now),
  });

  /** The story a pick names, refused unless it is of `language` (and `sectionId`) and not in the trash. */
  async function pickable(language: string, id: string, sectionId?: string): Promise<PickedStory> {
    const [story] = await stories.describe([id]);
    if (
      !story ||
      story.language !== language ||
      story.deletedAt !== null ||
      (sectionId !== undefined && story.sectionId !== sectionId)
    ) {
      throw new KiosqueError('FRONT_PAGE_STORY_INVALID', { language, id });
    }
    return story;
  }

  async function changePicks(language: string, change: (picks: FrontPagePicks) => FrontPagePicks) {
    const before = await store.picks(language);
    const after = change(before);
    await store.savePicks(language, after);
    events.publish({ type: 'frontpage.changed', language, home: true, banner: false, sectionIds: [] });
  }

  return {
    async screen(language: string): Promise<CurationScreen> {
      const now = clock.now();
      const [picks, banner, sections] = await Promise.all([
        store.picks(language),
        banners.banner(language),
        deps.sections.listSections(language),
      ]);
      const leads = await store.sectionLeads(sections.map((section) => section.id));
      const ids = [...new Set([...(picks.leadId ? [picks.leadId] : []), ...picks.topIds, ...leads.values()])];
      const described = new Map((await stories.describe(ids)).map((story) => [story.id, story]));
      const pick = (id: string | null | undefined) => {
        const story = id ? described.get(id) : undefined;
        return story ? view(story, now) : null;
      };
      const candidates = await Promise.all(
        sections.map(
          async (section) =>
            (await deps.articles.listPublished({ language, sectionId: section.id, limit: 30, withTotal: false }, now))
              .items,
        ),
      );
      return {
        lead: pick(picks.leadId),
        top: picks.topIds.flatMap((id) => pick(id) ?? []),
        banner,
        bannerExpired: banner !== null && banner.expiresAt.getTime() <= now.getTime(),
        sections: sections.map((section, index) => ({
          section,
          lead: pick(leads.get(section.id)),
          candidates: candidates[index] ?? [],
        })),
      };
    },

    /** Pins `id` as the lead (null: unpins; the newest story leads again). */
    async setLead(language: string, id: string | null): Promise<void> {
      if (id !== null) await pickable(language, id);
      await changePicks(language, (picks) => ({
        leadId: id,
        // The lead is shown once: pinned as lead, it leaves the top stories.
        topIds: picks.topIds.filter((other) => other !== id),
      }));
    },

    /** Adds `id` to the top stories, at `position` (1-based) or last. */
    async addTop(language: string, id: string, position?: number): Promise<void> {
      await pickable(language, id);
      const picks = await store.picks(language);
      if (!picks.topIds.includes(id) && picks.topIds.length >= maxTopStories) {
        throw new KiosqueError('FRONT_PAGE_STORY_INVALID', { language, id, full: true });
      }
      await changePicks(language, ({ leadId, topIds }) => ({
        leadId: leadId === id ? null : leadId,
        topIds: placeTop(topIds, id, position ?? topIds.length + 1),
      }));
    },

    async removeTop(language: string, id: string): Promise<void> {
      await changePicks(language, ({ leadId, topIds }) => ({ leadId, topIds: topIds.filter((other) => other !== id) }));
    },

    async moveTop(language: string, id: string, direction: 'up' | 'down'): Promise<void> {
      await changePicks(language, ({ leadId, topIds }) => ({ leadId, topIds: moveTop(topIds, id, direction) }));
    },

    /** Pins `id` at the top of its section's page (null: the section's newest story leads again). */
    async setSectionLead(language: string, sectionId: string, id: string | null): Promise<void> {
      const sections = await deps.sections.listSections(language);
      if (!sections.some((section) => section.id === sectionId)) throw new KiosqueError('SECTION_NOT_FOUND', {});
      if (id !== null) await pickable(language, id, sectionId);
      await store.setSectionLead(sectionId, id);
      events.publish({ type: 'frontpage.changed', language, home: false, banner: false, sectionIds: [sectionId] });
    },

    /** Sets the banner as typed (checked whole: nothing is stored when any part is refused). */
    async saveBanner(
      language: string,
      input: { text: string; link: string; expiresAt: Date | null },
      by: string | null,
    ): Promise<BreakingBanner> {
      const now = clock.now();
      const banner = checkBanner({ language, ...input }, now);
      await banners.saveBanner(language, banner, by, now);
      events.publish({ type: 'frontpage.changed', language, home: false, banner: true, sectionIds: [] });
      return banner;
    },

    async removeBanner(language: string, by: string | null): Promise<void> {
      await banners.saveBanner(language, null, by, clock.now());
      events.publish({ type: 'frontpage.changed', language, home: false, banner: true, sectionIds: [] });
    },
  };
}

export type FrontPageEditor = ReturnType<typeof createFrontPageEditor>;
