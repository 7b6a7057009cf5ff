import { readdir, readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { accessLevels } from '../domain/articles/article.js';
import { prepareNewArticle } from '../domain/articles/article-input.js';
import { initialRevision } from '../domain/articles/article-service.js';
import { defaultGenre, storyGenres } from '../domain/articles/genre.js';
import type { Clock, IdGenerator } from '../domain/clock.js';
import type { MediaStore } from '../media/media-store.js';
import type { ArticleRepository } from '../storage/article-repository.js';
import type { ImageRepository } from '../storage/image-repository.js';
import type { TaxonomyRepository } from '../storage/taxonomy-repository.js';
import { type DemoImageDrawer, generateDemoImage } from './demo-images.js';

/** Where the demo content lives (see its README for the format). */
export const demoFolder = new URL('../../demo/articles/', import.meta.url);

const taxon = z.object({ slug: z.string().min(1), name: z.string().min(1) });
const image = z.object({
  seed: z.string().min(1),
  hue: z.number().min(0).max(360),
  alt: z.string().min(1),
  caption: z.string().default(''),
  credit: z.string().default(''),
});

const header = z
  .object({
    language: z.string().min(2),
    translationKey: z.string().min(1).optional(),
    slug: z.string().min(1),
    /** Who may read the whole story: everyone, signed-in members, or paying subscribers. */
    access: z.enum(accessLevels).default('public'),
    /** The kind of work (decision 0051): news unless the story is analysis, opinion… */
    genre: z.enum(storyGenres).default(defaultGenre),
    headline: z.string().min(1),
    standfirst: z.string().default(''),
    section: taxon,
    tags: z.array(taxon).default([]),
    /** Each author's bio by language (decision 0062): a page shows the one of its language, or none. */
    authors: z.array(taxon.extend({ bio: z.record(z.string(), z.string()).default({}) })).min(1),
    publishedAt: z.string().datetime({ offset: true }).optional(),
    publishedHoursAgo: z.number().min(0).optional(),
    updatedHoursAgo: z.number().min(0).optional(),
    source: z
      .object({ name: z.string().min(1), url: z.string().url().nullable() })
      .nullable()
      .default(null),
    hero: image.nullable().default(null),
    gallery: z.array(image).default([]),
  })
  .refine((h) => (h.publishedAt === undefined) !== (h.publishedHoursAgo === undefined), {
    message: 'exactly one of publishedAt and publishedHoursAgo',
  });

export type DemoArticle = z.output<typeof header> & { file: string; body: string };

/** Reads and validates every demo article file. */
export async function readDemoArticles(folder: URL = demoFolder): Promise<DemoArticle[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(new URL(file, folder), 'utf8');
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
      if (!match) throw new Error(`demo/articles/${file}: expected a JSON header between two --- lines.`);
      const parsed = header.safeParse(JSON.parse(match[1]!));
      if (!parsed.success) {
        throw new Error(
          `demo/articles/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
      return { ...parsed.data, file, body: match[2]!.trim() };
    }),
  );
}

export interface DemoDependencies {
  articles: ArticleRepository;
  taxonomy: TaxonomyRepository;
  images: ImageRepository;
  store: MediaStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Pick<Logger, 'info'>;
  /**
   * Draws the pictures (drawing them is most of the load's time: SVG rendered, then mozjpeg).
   * Tests pass one that reads the pictures drawn once per run.
   */
  draw?: DemoImageDrawer;
}

/**
 * Loads the demo site into an empty database. A database that holds any article is left alone,
 * so the demo never overwrites a newsroom's work. Returns how many articles were loaded.
 */
export async function loadDemoContent(deps: DemoDependencies, folder: URL = demoFolder): Promise<number> {
  if ((await deps.articles.count()) > 0) return 0;
  const demo = await readDemoArticles(folder);
  const now = deps.clock.now();
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const groups = new Map<string, string>();

  // Images first, a few at a time: they are the slow part and independent of each other.
  const imageIds = new Map<string, string>();
  const allImages = demo.flatMap((article) => [...(article.hero ? [article.hero] : []), ...article.gallery]);
  for (let i = 0; i < allImages.length; i += 4) {
    await Promise.all(
      allImages.slice(i, i + 4).map(async (spec) => {
        if (imageIds.has(spec.seed)) return;
        const id = deps.ids('img');
        imageIds.set(spec.seed, id);
        const bytes = await (deps.draw ?? generateDemoImage)(spec.seed, spec.hue);
        const key = `originals/${id}.jpg`;
        await deps.store.put(key, bytes);
        await deps.images.insert({
          id,
          originalKey: key,
          mime: 'image/jpeg',
          width: 1600,
          height: 900,
          bytes: bytes.length,
          alt: spec.alt,
          caption: spec.caption,
          credit: spec.credit,
          createdAt: now,
        });
      }),
    );
  }

  for (const article of demo) {
    const section = await deps.taxonomy.ensureSection(article.language, article.section.slug, article.section.name);
    const tags = await Promise.all(
      article.tags.map((tag) => deps.taxonomy.ensureTag(article.language, tag.slug, tag.name)),
    );
    const authors = await Promise.all(
      article.authors.map((author) =>
        deps.taxonomy.ensureAuthor(
          { slug: author.slug, name: author.name, bio: author.bio[article.language] ?? '' },
          now,
          article.language,
        ),
      ),
    );
    const publishedAt = article.publishedAt ? new Date(article.publishedAt) : hoursAgo(article.publishedHoursAgo ?? 0);
    let translationGroup: string | undefined;
    if (article.translationKey) {
      translationGroup = groups.get(article.translationKey) ?? deps.ids('grp');
      groups.set(article.translationKey, translationGroup);
    }
    const use = (spec: z.output<typeof image>) => ({
      imageId: imageIds.get(spec.seed)!,
      alt: spec.alt,
      caption: spec.caption,
      credit: spec.credit,
    });
    const record = prepareNewArticle(
      {
        language: article.language,
        translationGroup,
        slug: article.slug,
        headline: article.headline,
        standfirst: article.standfirst,
        bodyMarkdown: article.body,
        status: 'published',
        access: article.access,
        genre: article.genre,
        sectionId: section.id,
        tagIds: tags.map((tag) => tag.id),
        authorIds: authors.map((author) => author.id),
        hero: article.hero ? use(article.hero) : null,
        gallery: article.gallery.map(use),
        source: article.source,
        publishedAt,
      },
      deps,
    );
    record.createdAt = publishedAt;
    record.updatedAt = article.updatedHoursAgo !== undefined ? hoursAgo(article.updatedHoursAgo) : publishedAt;
    await deps.articles.insert(record, initialRevision(record, null));
  }
  deps.logger.info({ articles: demo.length, images: imageIds.size }, 'demo content loaded');
  return demo.length;
}
