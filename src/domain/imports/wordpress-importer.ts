import type { Author, Taxon } from '../articles/article.js';
import type { ArticleInput, ArticleRecord } from '../articles/article-input.js';
import type { ArticleService } from '../articles/article-service.js';
import { isValidSlug, slugify } from '../articles/slug.js';
import type { Clock } from '../clock.js';
import { isKiosqueError } from '../errors.js';
import type { RichBlock } from '../wire/wire-item.js';
import { blocksToMarkdown } from '../wire/wire-markdown.js';
import { importHash, type LedgerEntry } from './import-ledger.js';
import type { ImportRunner, ImportStep, StepResult } from './import-runner.js';
import type { ImportContext, Importer } from './import-service.js';
import type { ImportedImages } from './imported-images.js';
import { type AttachmentInfo, wordpressHtml } from './wordpress-content.js';
import type { WxrDocument, WxrItem } from './wordpress-export.js';

export const wordpressSystem = 'wordpress';

/** Why the port exists: an image named by the export is read from a local copy or fetched, then uploaded. */

/** Why the port exists: HTML is read by the shared body reader in `ingest/` (linkedom, never run). */
export interface BodyReader {
  blocks(html: string, baseUrl: string | null): RichBlock[];
  text(html: string): string;
}

/** Why the port exists: sections, tags and authors are found or made by their natural key, idempotently. */
export interface ImportTaxonomy {
  ensureSection(language: string, slug: string, name: string): Promise<Taxon>;
  ensureTag(language: string, slug: string, name: string): Promise<Taxon>;
  ensureAuthor(author: { slug: string; name: string; bio: string }, now: Date, language?: string): Promise<Author>;
}

export interface WordPressImportDependencies {
  articles: Pick<ArticleService, 'create' | 'edit' | 'get' | 'publish' | 'schedule' | 'unpublish'>;
  taxonomy: ImportTaxonomy;
  images: ImportedImages;
  bodies: BodyReader;
  /** The site's languages; a post in another is skipped and reported. */
  languages: readonly string[];
  defaultLanguage: string;
  clock: Clock;
}

/** Post types that are WordPress's own machinery, left out without a word. */
const machinery = new Set([
  'attachment',
  'revision',
  'nav_menu_item',
  'custom_css',
  'customize_changeset',
  'oembed_cache',
  'user_request',
  'wp_block',
  'wp_template',
  'wp_template_part',
  'wp_global_styles',
  'wp_navigation',
  'wp_font_family',
  'wp_font_face',
]);

/** Refusals that keep a story out of publication but not out of the newsroom: it comes in as a draft. */
const keptAsDraft = new Set(['ARTICLE_NOT_PUBLISHABLE', 'ARTICLE_ALT_TEXT_MISSING']);

const uploadSizeSuffix = /-\d+x\d+(?=\.[a-z0-9]+$)/i;

/** An address without WordPress's resized-copy suffix (`photo-1024x768.jpg` → `photo.jpg`). */
function originalAddress(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.pathname = parsed.pathname.replace(uploadSizeSuffix, '');
    parsed.search = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/** A path (and the query that names a post) of the old site, for a redirect; null for another site. */
function oldPath(link: string, siteUrl: string): string | null {
  try {
    const url = new URL(link);
    if (siteUrl && new URL(siteUrl).host !== url.host) return null;
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}

function decodeSlug(slug: string): string {
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

/**
 * The WordPress importer (issue 13, decision 0049): an export's authors, categories (→ sections),
 * tags, images, posts and pages (→ stories), then the old addresses, as ledger-checked steps of
 * the import framework. Content goes through the article service (revisions, events, cache,
 * search), images through the media library, sections, tags and authors through the taxonomy.
 */
export function wordpressImporter(document: WxrDocument, deps: WordPressImportDependencies): Importer {
  const { articles, taxonomy, images, bodies, clock } = deps;
  const attachments = new Map<string, WxrItem>();
  const attachmentByUrl = new Map<string, WxrItem>();
  for (const item of document.items) {
    if (item.postType !== 'attachment') continue;
    attachments.set(item.postId, item);
    if (item.attachmentUrl) attachmentByUrl.set(originalAddress(item.attachmentUrl), item);
  }
  const attachmentInfo = (id: string): AttachmentInfo | null => {
    const item = attachments.get(id);
    if (!item?.attachmentUrl) return null;
    return {
      url: item.attachmentUrl,
      alt: item.meta._wp_attachment_image_alt ?? '',
      caption: bodies.text(item.excerpt),
    };
  };

  function languageOf(item: WxrItem): string {
    const declared =
      item.terms.find((term) => term.taxonomy === 'language')?.slug ||
      item.meta._wpml_import_language_code ||
      item.meta._wpml_language ||
      document.language ||
      deps.defaultLanguage;
    const tag = declared.trim().toLowerCase().replace(/_/g, '-');
    if (deps.languages.includes(tag)) return tag;
    const primary = tag.split('-')[0] ?? tag;
    return deps.languages.includes(primary) ? primary : primary || tag;
  }

  /** The translation group a post shares with its translations (Polylang or WPML), stable across runs. */
  function groupOf(item: WxrItem): string | undefined {
    const polylang = item.terms.find((term) => term.taxonomy === 'post_translations')?.slug;
    const wpml = item.meta._wpml_import_translation_group;
    const key = polylang ? `polylang:${polylang}` : wpml ? `wpml:${wpml}` : null;
    return key ? `grp_wp_${importHash({ site: document.siteUrl, key }).slice(0, 24)}` : undefined;
  }

  // Images that could not be brought in this run, and why (the stories naming them say so too).
  const missingImages = new Map<string, { reason: string; values: Record<string, string> }>();
  const stories = document.items.filter((item) => item.postType === 'post' || item.postType === 'page');

  return async (context: ImportContext) => {
    const { runner, report } = context;
    const comments = stories.reduce((sum, item) => sum + item.comments.length, 0);
    if (comments > 0) report.notImported('comments', comments);

    // —— What is imported, and what is left out ——
    const kept: { item: WxrItem; language: string; blocks: RichBlock[] }[] = [];
    for (const item of document.items) {
      const kind = item.postType === 'page' ? 'page' : 'article';
      const label = item.title || `#${item.postId}`;
      if (item.postType === 'attachment' || machinery.has(item.postType)) continue;
      if (item.postType !== 'post' && item.postType !== 'page') {
        report.skip({
          kind,
          sourceId: item.postId,
          label,
          reason: 'unsupported-type',
          values: { type: item.postType },
        });
        continue;
      }
      if (item.status === 'trash' || item.status === 'auto-draft' || item.status === 'inherit') {
        report.skip({ kind, sourceId: item.postId, label, reason: 'trashed' });
        continue;
      }
      const language = languageOf(item);
      if (!deps.languages.includes(language)) {
        report.skip({ kind, sourceId: item.postId, label, reason: 'language-not-published', values: { language } });
        continue;
      }
      const blocks = bodies.blocks(wordpressHtml(item.content, attachmentInfo), item.link || document.siteUrl || null);
      kept.push({ item, language, blocks });
    }

    // —— Plan: authors, sections and tags, images, stories, old addresses ——
    const authorLogins = [...new Set(kept.map(({ item }) => item.creator).filter(Boolean))];
    const taxa = new Map<string, { table: 'section' | 'tag'; language: string; slug: string; name: string }>();
    for (const { item, language } of kept) {
      for (const { table, slug, name } of termsOf(item)) {
        taxa.set(`${table}:${language}:${slug}`, { table, language, slug, name });
      }
    }
    const imageUrls = new Map<string, { alt: string; caption: string; sourceId: string }>();
    for (const { item, blocks } of kept) {
      for (const url of imageAddressesOf(item, blocks)) {
        const attachment = attachmentByUrl.get(url);
        imageUrls.set(url, {
          alt: attachment?.meta._wp_attachment_image_alt ?? '',
          caption: attachment ? bodies.text(attachment.excerpt) : '',
          sourceId: attachment ? attachment.postId : url,
        });
      }
    }
    const channel = languageOfChannel();
    const taxaRedirected = [...taxa.values()].filter((taxon) => taxon.language === (channel ?? taxon.language)).length;
    const redirectCount = kept.length * 2 + taxaRedirected + authorLogins.length;
    runner.expect(authorLogins.length + taxa.size + imageUrls.size + kept.length + redirectCount);

    const authors = document.authors;
    await runner.run(
      authorLogins.map((login): ImportStep => {
        const author = authors.find((a) => a.login === login);
        const name = author?.displayName || login;
        const slug = slugify(decodeSlug(login));
        return {
          kind: 'author',
          sourceId: login,
          label: name,
          hash: importHash({ slug, name }),
          async write() {
            const made = await taxonomy.ensureAuthor({ slug, name, bio: '' }, clock.now());
            return { kiosqueId: made.id };
          },
        };
      }),
    );
    await runner.run(
      [...taxa.entries()].map(
        ([sourceId, taxon]): ImportStep => ({
          kind: taxon.table,
          sourceId,
          label: taxon.name,
          hash: importHash(taxon),
          async write() {
            const ensure = taxon.table === 'section' ? taxonomy.ensureSection : taxonomy.ensureTag;
            const made = await ensure(taxon.language, taxon.slug, taxon.name);
            return { kiosqueId: made.id };
          },
        }),
      ),
    );
    missingImages.clear();
    await runner.run(
      [...imageUrls.entries()].map(
        ([url, details]): ImportStep => ({
          kind: 'image',
          sourceId: details.sourceId,
          label: decodeSlug(url.split('/').pop() ?? url),
          hash: importHash({ url }),
          async write() {
            const outcome = await images.importImage(url, details);
            if ('imageId' in outcome) return { kiosqueId: outcome.imageId };
            const reason = outcome.problem === 'not-found' ? 'media-not-found' : 'media-refused';
            const values = { url, code: outcome.code ?? '' };
            missingImages.set(url, { reason, values });
            return { skip: { reason, values } };
          },
        }),
      ),
    );

    // Each story's input is planned once its authors, sections, tags and images have ids, so its
    // hash is of the story as it would be written: a changed post, or an image found at last, changes it.
    const storyIds = new Map<string, string>();
    const storySteps: ImportStep[] = [];
    for (const { item, language, blocks } of kept) {
      const kind = item.postType === 'page' ? 'page' : 'article';
      const label = item.title || `#${item.postId}`;
      const { input, notes } = await storyInput(runner, item, language, blocks, imageUrls);
      for (const note of notes) report.flag({ kind, sourceId: item.postId, label, ...note });
      storySteps.push({
        kind,
        sourceId: item.postId,
        label,
        hash: importHash(input),
        async write(previous, entry) {
          const flag = (note: { reason: string; values: Record<string, string> }) =>
            report.flag({ kind, sourceId: item.postId, label, ...note });
          const result = previous ? await update(previous.kiosqueId, input) : await create(input, item, entry, flag);
          storyIds.set(item.postId, result.kiosqueId);
          return result;
        },
      });
    }
    await runner.run(storySteps);

    // —— Old addresses ——
    const redirects: ImportStep[] = [];
    for (const { item } of kept) {
      const kind = item.postType === 'page' ? 'page' : 'article';
      const id = storyIds.get(item.postId) ?? (await runner.idOf(kind, item.postId));
      if (!id) continue;
      const target = { kind: 'article' as const, id };
      const permalink = oldPath(item.link, document.siteUrl);
      const byNumber = item.postType === 'page' ? `/?page_id=${item.postId}` : `/?p=${item.postId}`;
      for (const path of [permalink, byNumber]) {
        const step = path ? context.redirectStep(path, target) : null;
        if (step) redirects.push(step);
      }
    }
    for (const [sourceId, taxon] of taxa) {
      const id = await runner.idOf(taxon.table, sourceId);
      const base = taxon.table === 'section' ? 'category' : 'tag';
      // A category's old address names it in the site's main language (the channel's).
      if (id && taxon.language === (languageOfChannel() ?? taxon.language)) {
        const step = context.redirectStep(`/${base}/${taxon.slug}/`, { kind: taxon.table, id });
        if (step) redirects.push(step);
      }
    }
    for (const login of authorLogins) {
      const id = await runner.idOf('author', login);
      const step = id ? context.redirectStep(`/author/${login}/`, { kind: 'author', id }) : null;
      if (step) redirects.push(step);
    }
    await runner.run(redirects);
  };

  function languageOfChannel(): string | null {
    const tag = document.language.split('-')[0] ?? '';
    return deps.languages.includes(tag) ? tag : null;
  }

  /** The first category is the story's section; further categories and the tags are its tags. */
  function termsOf(item: WxrItem): { table: 'section' | 'tag'; slug: string; name: string }[] {
    const categories = item.terms.filter((term) => term.taxonomy === 'category' && term.slug !== 'uncategorized');
    const tags = item.terms.filter((term) => term.taxonomy === 'post_tag');
    const clean = (term: { slug: string; name: string }) => {
      const slug = slugify(decodeSlug(term.slug) || term.name);
      return { slug, name: term.name || slug };
    };
    return [
      ...categories.slice(0, 1).map((term) => ({ table: 'section' as const, ...clean(term) })),
      ...[...categories.slice(1), ...tags].map((term) => ({ table: 'tag' as const, ...clean(term) })),
    ];
  }

  function heroAddress(item: WxrItem): string | null {
    const id = item.meta._thumbnail_id;
    const url = id ? attachments.get(id)?.attachmentUrl : null;
    return url ? originalAddress(url) : null;
  }

  function imageAddressesOf(item: WxrItem, blocks: RichBlock[]): string[] {
    const hero = heroAddress(item);
    const body = blocks.flatMap((block) => (block.kind === 'figure' ? [originalAddress(block.src)] : []));
    return [...new Set([...(hero ? [hero] : []), ...body])];
  }

  /** The story a post becomes, and what a person should look at (images not found, unknown embeds). */
  async function storyInput(
    runner: ImportRunner,
    item: WxrItem,
    language: string,
    blocks: RichBlock[],
    imageUrls: Map<string, { sourceId: string; alt: string; caption: string }>,
  ) {
    const notes: { reason: string; values: Record<string, string> }[] = [];
    const terms = termsOf(item);
    const idsOf = async (table: 'section' | 'tag') =>
      (
        await Promise.all(
          terms
            .filter((term) => term.table === table)
            .map((term) => runner.idOf(table, `${table}:${language}:${term.slug}`)),
        )
      ).filter((id): id is string => id !== null);
    const author = item.creator ? await runner.idOf('author', item.creator) : null;

    const useOf = async (url: string, alt: string, caption: string) => {
      const source = imageUrls.get(url);
      const imageId = source ? await runner.idOf('image', source.sourceId) : null;
      if (!imageId) {
        notes.push(missingImages.get(url) ?? { reason: 'media-not-found', values: { url } });
        return null;
      }
      return { imageId, alt: (alt || caption).slice(0, 500), caption: caption.slice(0, 1000), credit: '' };
    };
    const heroUrl = heroAddress(item);
    const heroSource = heroUrl ? imageUrls.get(heroUrl) : undefined;
    const hero = heroUrl ? await useOf(heroUrl, heroSource?.alt ?? '', heroSource?.caption ?? '') : null;
    const gallery = [];
    const seen = new Set(heroUrl ? [heroUrl] : []);
    for (const block of blocks) {
      if (block.kind === 'embed' && block.provider === null)
        notes.push({ reason: 'unknown-embed', values: { url: block.url } });
      if (block.kind !== 'figure') continue;
      const url = originalAddress(block.src);
      if (seen.has(url)) continue;
      seen.add(url);
      const use = await useOf(url, block.alt, block.caption);
      if (use) gallery.push(use);
    }

    const now = clock.now();
    const date = item.date;
    const wantsPublication = item.status === 'publish' || item.status === 'future';
    const scheduled = wantsPublication && date !== null && date > now;
    const headline = item.title.slice(0, 300) || bodies.text(item.content).slice(0, 80).trim() || `#${item.postId}`;
    const input: ArticleInput = {
      language,
      slug: slugOf(item),
      headline,
      standfirst: bodies.text(item.excerpt).slice(0, 1000),
      bodyMarkdown: blocksToMarkdown(blocks),
      status: scheduled ? 'scheduled' : wantsPublication ? 'published' : 'draft',
      publishedAt: wantsPublication && !scheduled ? (date ?? now) : null,
      scheduledAt: scheduled ? date : null,
      sectionId: (await idsOf('section'))[0] ?? null,
      tagIds: await idsOf('tag'),
      authorIds: author ? [author] : [],
      hero,
      gallery,
      ...(groupOf(item) ? { translationGroup: groupOf(item) } : {}),
    };
    return { input, notes };
  }

  /** The post's own slug when Kiosque can keep it, else one made from it or its headline. */
  function slugOf(item: WxrItem): string {
    const decoded = decodeSlug(item.slug);
    if (isValidSlug(decoded)) return decoded;
    const made = slugify(decoded || item.title);
    return isValidSlug(made) && made !== 'article' ? made : `${made}-${item.postId}`;
  }

  async function create(
    input: ArticleInput,
    item: WxrItem,
    entry: (id: string) => LedgerEntry,
    flag: (note: { reason: string; values: Record<string, string> }) => void,
  ): Promise<StepResult> {
    let record: ArticleRecord;
    try {
      record = await articles.create(input, null, undefined, entry);
    } catch (error) {
      // Two posts of a language may share a slug on WordPress (a post and a page): the second gets its number.
      if (isKiosqueError(error) && error.code === 'ARTICLE_SLUG_TAKEN' && !input.slug?.endsWith(`-${item.postId}`)) {
        return create({ ...input, slug: `${input.slug}-${item.postId}` }, item, entry, flag);
      }
      if (!isKiosqueError(error) || !keptAsDraft.has(error.code)) throw error;
      flag({ reason: 'kept-as-draft', values: { code: error.code } });
      record = await articles.create(
        { ...input, status: 'draft', publishedAt: null, scheduledAt: null },
        null,
        undefined,
        entry,
      );
    }
    return { kiosqueId: record.id, ledgerWritten: true };
  }

  /**
   * A story imported before, whose post changed: its content replaced through the editor's own
   * save (a revision, an event), then its status moved if the post's did. The runner records the
   * ledger entry after: a kill in between only makes the next run do this again.
   */
  async function update(id: string, input: ArticleInput): Promise<StepResult> {
    const current = await articles.get(id);
    const { status, publishedAt: _p, scheduledAt, ...content } = input;
    let saved = await articles.edit(id, content, { expectedRevision: current.revision });
    const options = () => ({ expectedRevision: saved.revision });
    if (status === 'published' && saved.status !== 'published') saved = await articles.publish(id, options());
    else if (status === 'scheduled' && scheduledAt && saved.scheduledAt?.getTime() !== scheduledAt.getTime())
      saved = await articles.schedule(id, scheduledAt, options());
    else if (status === 'draft' && saved.status !== 'draft') saved = await articles.unpublish(id, options());
    return { kiosqueId: id };
  }
}
