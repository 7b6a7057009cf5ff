import type { AccessLevel, Author, Taxon } from '../articles/article.js';
import type { ArticleInput } from '../articles/article-input.js';
import type { ArticleService } from '../articles/article-service.js';
import { isValidSlug, slugify } from '../articles/slug.js';
import type { Clock } from '../clock.js';
import { isKiosqueError } from '../errors.js';
import { normalizeEmail } from '../newsletter/newsletter-service.js';
import type { RichBlock } from '../wire/wire-item.js';
import { blocksToMarkdown } from '../wire/wire-markdown.js';
import { ghostBodyHtml } from './ghost-content.js';
import type { GhostDocument, GhostPost } from './ghost-export.js';
import type { ImportAudience } from './import-audience.js';
import { importHash, type LedgerEntry } from './import-ledger.js';
import type { ImportRunner, ImportStep, StepResult } from './import-runner.js';
import type { ImportContext, Importer } from './import-service.js';
import type { ImportedImages } from './imported-images.js';

export const ghostSystem = 'ghost';

/** Ghost writes its own address as this placeholder in exports (4.x+). */
const ghostUrlPlaceholder = /__GHOST_URL__/g;

/** Why the port exists: an image named by the export is read from a local copy or fetched, then uploaded. */

/** Why the port exists: HTML is read by the shared body reader in `ingest/` (linkedom, never run). */
export interface GhostBodyReader {
  blocks(html: string, baseUrl: string | null): RichBlock[];
  text(html: string): string;
}

/** Why the port exists: sections, tags and authors are found or made by their natural key, idempotently. */
export interface GhostTaxonomy {
  ensureSection(language: string, slug: string, name: string): Promise<Taxon>;
  ensureTag(language: string, slug: string, name: string): Promise<Taxon>;
  /** The bio is kept in `language`, the site's language of the import (decision 0062). */
  ensureAuthor(author: { slug: string; name: string; bio: string }, now: Date, language?: string): Promise<Author>;
}

export interface GhostImportDependencies {
  articles: Pick<ArticleService, 'create' | 'edit' | 'get' | 'publish' | 'schedule' | 'unpublish'>;
  taxonomy: GhostTaxonomy;
  images: ImportedImages;
  bodies: GhostBodyReader;
  audience: ImportAudience;
  languages: readonly string[];
  defaultLanguage: string;
  /** The old site's address, for images Ghost wrote as `__GHOST_URL__/content/images/…`; null when unknown. */
  ghostUrl: string | null;
  clock: Clock;
}

/** Refusals that keep a story out of publication but not out of the newsroom: it comes in as a draft. */
const keptAsDraft = new Set(['ARTICLE_NOT_PUBLISHABLE', 'ARTICLE_ALT_TEXT_MISSING']);

/** Ghost's visibility → Kiosque's access; Ghost's tiers are all paid tiers here (Kiosque has one). */
const accessOf: Record<string, AccessLevel> = { public: 'public', members: 'members', paid: 'paid', tiers: 'paid' };

type Flag = { reason: string; values: Record<string, string> };

/**
 * The Ghost importer (issue 13, decisions 0049 and 0052): a Ghost JSON export's authors, tags (the
 * primary tag → section, the others → tags, internal `#tags` left out), images, posts and pages
 * (→ stories), newsletters (→ lists), members (→ members, subscriptions with an `imported`
 * consent), then the old addresses, as ledger-checked steps of the import framework.
 */
export function ghostImporter(document: GhostDocument, deps: GhostImportDependencies): Importer {
  const { articles, taxonomy, images, bodies, audience, clock } = deps;
  const data = document.data;
  const origin = (deps.ghostUrl ?? 'https://ghost.invalid').replace(/\/+$/, '');
  const absolute = (url: string) => url.replace(ghostUrlPlaceholder, origin);
  const language = siteLanguage(document.locale, deps.languages, deps.defaultLanguage);

  const tagById = new Map(data.tags.map((t) => [t.id, t]));
  const isInternal = (t: { name: string; visibility: string }) => t.visibility === 'internal' || t.name.startsWith('#');
  const bySort = <T extends { sort_order: number }>(a: T, b: T) => a.sort_order - b.sort_order;
  const metaOf = new Map(data.posts_meta.map((m) => [m.post_id, m]));
  const tagsOf = (postId: string) =>
    data.posts_tags
      .filter((link) => link.post_id === postId)
      .sort(bySort)
      .flatMap((link) => tagById.get(link.tag_id) ?? []);
  const authorsOf = (post: GhostPost) => {
    const linked = data.posts_authors.filter((link) => link.post_id === post.id).sort(bySort);
    return linked.length > 0 ? linked.map((link) => link.author_id) : post.author_id ? [post.author_id] : [];
  };
  const kindOf = (post: GhostPost) =>
    post.type === 'page' || post.page === true || post.page === 1 ? 'page' : 'article';

  return async (context: ImportContext) => {
    const { runner, report } = context;

    // —— What is imported, and what is left out ——
    const kept: { post: GhostPost; kind: 'article' | 'page'; blocks: RichBlock[]; flags: Flag[] }[] = [];
    for (const post of data.posts) {
      const kind = kindOf(post);
      const label = post.title || post.slug;
      if (!['published', 'draft', 'scheduled', 'sent'].includes(post.status)) {
        report.skip({ kind, sourceId: post.id, label, reason: 'unsupported-status', values: { status: post.status } });
        continue;
      }
      const body = ghostBodyHtml(post);
      const flags: Flag[] = body.unknown.map((card) => ({ reason: 'unknown-card', values: { card } }));
      if (kind === 'page') flags.push({ reason: 'page-as-story', values: {} });
      if (post.status === 'sent') flags.push({ reason: 'email-only', values: {} });
      if (post.visibility === 'tiers') flags.push({ reason: 'tiers-as-paid', values: {} });
      kept.push({ post, kind, blocks: bodies.blocks(absolute(body.html), origin), flags });
    }
    const internal = data.tags.filter(isInternal);
    for (const tag of internal) report.skip({ kind: 'tag', sourceId: tag.id, label: tag.name, reason: 'internal-tag' });

    // —— Plan: authors, sections and tags, images, stories, newsletters, members, old addresses ——
    const usedTags = new Map<string, { table: 'section' | 'tag'; id: string; slug: string; name: string }>();
    for (const { post } of kept) {
      tagsOf(post.id)
        .filter((t) => !isInternal(t))
        .forEach((t, index) => {
          const table = index === 0 ? 'section' : 'tag';
          usedTags.set(`${table}:${t.id}`, { table, id: t.id, slug: slugify(t.slug) || slugify(t.name), name: t.name });
        });
    }
    const imageUrls = new Map<string, { alt: string; caption: string }>();
    for (const { post, blocks } of kept) {
      const meta = metaOf.get(post.id);
      if (post.feature_image) {
        imageUrls.set(absolute(post.feature_image), {
          alt: meta?.feature_image_alt ?? '',
          caption: bodies.text(meta?.feature_image_caption ?? ''),
        });
      }
      for (const block of blocks) {
        if (block.kind === 'figure' && !imageUrls.has(block.src))
          imageUrls.set(block.src, { alt: block.alt, caption: block.caption });
      }
    }
    const newsletters = data.newsletters;
    const members = data.members;
    const redirectCount = kept.length + usedTags.size + data.users.length;
    runner.expect(
      data.users.length +
        usedTags.size +
        imageUrls.size +
        kept.length +
        newsletters.length +
        members.length +
        redirectCount,
    );

    await runner.run(
      data.users.map((user): ImportStep => {
        const author = { slug: slugify(user.slug) || slugify(user.name), name: user.name || user.slug, bio: user.bio };
        return {
          kind: 'author',
          sourceId: user.id,
          label: author.name,
          hash: importHash(author),
          async write() {
            return { kiosqueId: (await taxonomy.ensureAuthor(author, clock.now(), language)).id };
          },
        };
      }),
    );
    await runner.run(
      [...usedTags.entries()].map(
        ([sourceId, taxon]): ImportStep => ({
          kind: taxon.table,
          sourceId,
          label: taxon.name,
          hash: importHash({ ...taxon, language }),
          async write() {
            const ensure = taxon.table === 'section' ? taxonomy.ensureSection : taxonomy.ensureTag;
            return { kiosqueId: (await ensure(language, taxon.slug, taxon.name)).id };
          },
        }),
      ),
    );
    const missingImages = new Map<string, Flag>();
    await runner.run(
      [...imageUrls.entries()].map(
        ([url, details]): ImportStep => ({
          kind: 'image',
          sourceId: url,
          label: url.split('/').pop() || url,
          hash: importHash({ url }),
          async write() {
            const outcome = await images.importImage(url, details);
            if ('imageId' in outcome) return { kiosqueId: outcome.imageId };
            const flag = {
              reason: outcome.problem === 'not-found' ? 'media-not-found' : 'media-refused',
              values: { url, code: outcome.code ?? '' },
            };
            missingImages.set(url, flag);
            return { skip: flag };
          },
        }),
      ),
    );

    // Each story's input is planned once its authors, sections, tags and images have ids, so its
    // hash is of the story as it would be written: a changed post, or an image found at last, changes it.
    const storyIds = new Map<string, string>();
    const storySteps: ImportStep[] = [];
    for (const { post, kind, blocks, flags } of kept) {
      const label = post.title || post.slug;
      const input = await storyInput(runner, post, blocks, flags);
      for (const note of flags) report.flag({ kind, sourceId: post.id, label, ...note });
      storySteps.push({
        kind,
        sourceId: post.id,
        label,
        hash: importHash(input),
        async write(previous, entry) {
          const flag = (note: Flag) => report.flag({ kind, sourceId: post.id, label, ...note });
          const result = previous ? await update(previous.kiosqueId, input) : await create(input, post, entry, flag);
          storyIds.set(post.id, result.kiosqueId);
          return result;
        },
      });
    }
    await runner.run(storySteps);

    // —— Newsletters and members ——
    // What needs a person is said on every run, not only when the thing is written.
    for (const newsletter of newsletters.filter((n) => n.status === 'archived')) {
      const note = { sourceId: newsletter.id, label: newsletter.name, reason: 'newsletter-archived', values: {} };
      report.flag({ kind: 'newsletter', ...note });
    }
    for (const member of members.filter((m) => m.status === 'paid')) {
      const note = { sourceId: member.id, label: member.email, reason: 'paid-member', values: {} };
      report.flag({ kind: 'member', ...note });
    }
    const listOf = new Map<string, string>();
    await runner.run(
      newsletters.map(
        (newsletter): ImportStep => ({
          kind: 'newsletter',
          sourceId: newsletter.id,
          label: newsletter.name,
          hash: importHash({ name: newsletter.name, language }),
          async write() {
            const id = await audience.ensureList({
              system: ghostSystem,
              sourceId: newsletter.id,
              name: newsletter.name,
              language,
            });
            listOf.set(newsletter.id, id);
            return { kiosqueId: id };
          },
        }),
      ),
    );
    report.notImported('member-labels', data.members_labels.length);
    report.notImported('member-names', members.filter((m) => m.name.trim() !== '' || m.note.trim() !== '').length);
    await runner.run(
      members.map((member): ImportStep => {
        const email = normalizeEmail(member.email);
        const subscribed = data.members_newsletters
          .filter((link) => link.member_id === member.id)
          .map((link) => link.newsletter_id)
          .sort();
        const createdAt = member.created_at ?? clock.now();
        const complimentary = member.status === 'comped';
        return {
          kind: 'member',
          sourceId: member.id,
          label: email ?? member.email,
          hash: importHash({ email, language, createdAt, complimentary, subscribed }),
          async write() {
            if (email === null)
              return { skip: { reason: 'email-invalid', values: { email: member.email.slice(0, 100) } } };
            const id = await audience.ensureMember(ghostSystem, { email, language, createdAt, complimentary });
            for (const newsletterId of subscribed) {
              const listId = listOf.get(newsletterId) ?? (await runner.idOf('newsletter', newsletterId));
              if (!listId) continue;
              await audience.subscribe({ system: ghostSystem, email, language, listId, since: createdAt });
            }
            return { kiosqueId: id };
          },
        };
      }),
    );

    // —— Old addresses: Ghost's /{slug}/, /tag/{slug}/, /author/{slug}/ ——
    const redirects: ImportStep[] = [];
    for (const { post, kind } of kept) {
      const id = storyIds.get(post.id) ?? (await runner.idOf(kind, post.id));
      const step = id ? context.redirectStep(`/${post.slug}/`, { kind: 'article', id }) : null;
      if (step) redirects.push(step);
    }
    const tagPaths = new Set<string>();
    for (const [sourceId, taxon] of [...usedTags.entries()].sort(([a], [b]) =>
      a.startsWith('tag') ? -1 : b.startsWith('tag') ? 1 : 0,
    )) {
      // A Ghost tag that is some story's section and another's tag answers as the tag (listed first).
      const path = `/tag/${tagById.get(taxon.id)?.slug ?? taxon.slug}/`;
      if (tagPaths.has(path)) continue;
      const id = await runner.idOf(taxon.table, sourceId);
      const step = id ? context.redirectStep(path, { kind: taxon.table, id }) : null;
      if (step) {
        tagPaths.add(path);
        redirects.push(step);
      }
    }
    for (const user of data.users) {
      const id = await runner.idOf('author', user.id);
      const step = id ? context.redirectStep(`/author/${user.slug}/`, { kind: 'author', id }) : null;
      if (step) redirects.push(step);
    }
    await runner.run(redirects);
  };

  /** The story a post becomes; images not found are added to the post's flags. */
  async function storyInput(
    runner: ImportRunner,
    post: GhostPost,
    blocks: RichBlock[],
    flags: Flag[],
  ): Promise<ArticleInput> {
    const meta = metaOf.get(post.id);
    const tags = tagsOf(post.id).filter((t) => !isInternal(t));
    const [primary, ...others] = tags;
    const sectionId = primary ? await runner.idOf('section', `section:${primary.id}`) : null;
    const tagIds = (await Promise.all(others.map((t) => runner.idOf('tag', `tag:${t.id}`)))).filter(
      (id): id is string => id !== null,
    );
    const authorIds = (await Promise.all(authorsOf(post).map((id) => runner.idOf('author', id)))).filter(
      (id): id is string => id !== null,
    );
    const useOf = async (url: string, alt: string, caption: string) => {
      const imageId = await runner.idOf('image', url);
      if (!imageId) {
        flags.push(missingFlag(url));
        return null;
      }
      return { imageId, alt: (alt || caption).slice(0, 500), caption: caption.slice(0, 1000), credit: '' };
    };
    const heroUrl = post.feature_image ? absolute(post.feature_image) : null;
    const hero = heroUrl
      ? await useOf(heroUrl, meta?.feature_image_alt ?? '', bodies.text(meta?.feature_image_caption ?? ''))
      : null;
    const gallery = [];
    const seen = new Set(heroUrl ? [heroUrl] : []);
    for (const block of blocks) {
      if (block.kind !== 'figure' || seen.has(block.src)) continue;
      seen.add(block.src);
      const use = await useOf(block.src, block.alt, block.caption);
      if (use) gallery.push(use);
    }
    const now = clock.now();
    const date = post.published_at ?? post.created_at;
    const wantsPublication = post.status === 'published' || post.status === 'scheduled';
    const scheduled = wantsPublication && date !== null && date > now;
    return {
      language,
      slug: slugOf(post),
      headline: post.title.slice(0, 300) || post.slug,
      standfirst: post.custom_excerpt.slice(0, 1000),
      bodyMarkdown: blocksToMarkdown(blocks),
      status: scheduled ? 'scheduled' : wantsPublication ? 'published' : 'draft',
      publishedAt: wantsPublication && !scheduled ? (date ?? now) : null,
      scheduledAt: scheduled ? date : null,
      access: accessOf[post.visibility] ?? 'paid',
      sectionId,
      tagIds,
      authorIds,
      hero,
      gallery,
      seoTitle: meta?.meta_title || null,
      seoDescription: meta?.meta_description || null,
    };
  }

  function missingFlag(url: string): Flag {
    return { reason: 'media-not-found', values: { url } };
  }

  function slugOf(post: GhostPost): string {
    if (isValidSlug(post.slug)) return post.slug;
    const made = slugify(post.slug || post.title);
    return isValidSlug(made) ? made : `${made || 'story'}-${post.id.slice(-6)}`;
  }

  async function create(
    input: ArticleInput,
    post: GhostPost,
    entry: (id: string) => LedgerEntry,
    flag: (note: Flag) => void,
  ): Promise<StepResult> {
    try {
      return { kiosqueId: (await articles.create(input, null, undefined, entry)).id, ledgerWritten: true };
    } catch (error) {
      if (
        isKiosqueError(error) &&
        error.code === 'ARTICLE_SLUG_TAKEN' &&
        !input.slug?.endsWith(`-${post.id.slice(-6)}`)
      ) {
        flag({ reason: 'slug-changed', values: { slug: String(input.slug) } });
        return create({ ...input, slug: `${input.slug}-${post.id.slice(-6)}` }, post, entry, flag);
      }
      if (!isKiosqueError(error) || !keptAsDraft.has(error.code)) throw error;
      flag({ reason: 'kept-as-draft', values: { code: error.code } });
      const draft = { ...input, status: 'draft' as const, publishedAt: null, scheduledAt: null };
      return { kiosqueId: (await articles.create(draft, null, undefined, entry)).id, ledgerWritten: true };
    }
  }

  /** A story imported before whose post changed: its content saved as a revision, then its status moved. */
  async function update(id: string, input: ArticleInput): Promise<StepResult> {
    const current = await articles.get(id);
    const { status, publishedAt: _p, scheduledAt, ...content } = input;
    let record = await articles.edit(id, { ...content, slug: current.slug }, { expectedRevision: current.revision });
    if (status === 'published' && record.status !== 'published') {
      record = await articles.publish(id, { expectedRevision: record.revision });
    } else if (status === 'scheduled' && scheduledAt && record.status !== 'published') {
      record = await articles.schedule(id, scheduledAt, { expectedRevision: record.revision });
    } else if (status === 'draft' && record.status !== 'draft') {
      record = await articles.unpublish(id, { expectedRevision: record.revision });
    }
    return { kiosqueId: record.id };
  }
}

/** Ghost's one site language, when Kiosque publishes it; else the site's default language. */
function siteLanguage(locale: string | null, languages: readonly string[], fallback: string): string {
  const tag = (locale ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (languages.includes(tag)) return tag;
  const primary = tag.split('-')[0] ?? '';
  return languages.includes(primary) ? primary : fallback;
}
