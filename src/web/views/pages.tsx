import type { Article, ArticleSummary, Author, Taxon } from '../../domain/articles/article.js';
import { wasUpdatedAfterPublishing } from '../../domain/articles/article.js';
import type { ListingPage } from '../../domain/articles/reading-service.js';
import type { PublishedCorrection } from '../../domain/corrections/correction.js';
import type { MessageKey } from '../../domain/i18n/translator.js';
import { paywalledParts } from '../../domain/paywall/story-text.js';
import { languageNameIn, type ReaderMachineFacts } from '../../domain/translations/machine-translation.js';
import {
  ArticleCard,
  ArticleList,
  Byline,
  GenreLabels,
  NewsletterForm,
  Picture,
  SubscribeCallToAction,
  Time,
} from './components.js';
import { CorrectionBox } from './corrections.js';
import { Gallery } from './gallery.js';
import { Layout } from './layout.js';
import { paywalledPartClass } from './paywall.js';
import { ShareRow } from './share.js';
import { absoluteUrl, paths, type SiteContext } from './site-context.js';
import {
  collectionPageData,
  JsonLd,
  largeImagePreviews,
  newsArticleData,
  profilePageData,
  SocialTags,
  shareImage,
  webSiteData,
} from './structured-data.js';

export function HomePage({
  site,
  lead,
  top = [],
  latest,
}: {
  site: SiteContext;
  lead: ArticleSummary | null;
  /** The top stories staff pinned, in their order (decision 0060). */
  top?: ArticleSummary[];
  latest: ArticleSummary[];
}) {
  const { t } = site;
  return (
    <Layout
      site={site}
      title={t.t('home.title', { site: site.name })}
      description={t.t('site.tagline')}
      path={paths.home(t.language)}
      alternates={Object.fromEntries(site.languages.map((language) => [language, paths.home(language)]))}
      head={
        <>
          {largeImagePreviews}
          <SocialTags
            site={site}
            type="website"
            title={t.t('home.title', { site: site.name })}
            description={t.t('site.tagline')}
            url={absoluteUrl(site, paths.home(t.language))}
            alternateLanguages={site.languages.filter((language) => language !== t.language)}
          />
          <JsonLd data={webSiteData(site)} />
        </>
      }
    >
      <h1 class="visually-hidden">{t.t('home.title', { site: site.name })}</h1>
      {lead ? (
        <section class="lead" aria-labelledby="lead-title">
          <h2 id="lead-title" class="section-title">
            {t.t('home.lead')}
          </h2>
          <ArticleCard site={site} article={lead} headingLevel={3} lead />
        </section>
      ) : (
        <p>{t.t('home.empty')}</p>
      )}
      {top.length > 0 ? (
        <section class="top-stories" aria-labelledby="top-title">
          <h2 id="top-title" class="section-title">
            {t.t('home.top')}
          </h2>
          <ArticleList site={site} articles={top} />
        </section>
      ) : null}
      {latest.length > 0 ? (
        <section aria-labelledby="latest-title">
          <h2 id="latest-title" class="section-title">
            {t.t('home.latest')}
          </h2>
          <ArticleList site={site} articles={latest} />
        </section>
      ) : null}
      <div class="home-aside">
        <NewsletterForm site={site} sourcePath={paths.home(t.language)} />
        <SubscribeCallToAction site={site} />
      </div>
    </Layout>
  );
}

export function ArticlePage({
  site,
  article,
  translations = [],
  latest,
  related,
  paywall = null,
  machineTranslation = null,
  corrections = [],
}: {
  site: SiteContext;
  article: Article;
  /** Published corrections and clarifications (decision 0056): corrections at the top, clarifications at the foot. */
  corrections?: readonly PublishedCorrection[];
  translations?: { language: string; slug: string }[];
  latest: ArticleSummary[];
  related: ArticleSummary[];
  /** The paywall after a gated story's beginning, or the meter's notice (paywall-routes.ts decides). */
  paywall?: preact.ComponentChildren;
  /** How the text was made, when a machine translated it (decision 0040). */
  machineTranslation?: ReaderMachineFacts | null;
}) {
  const { t } = site;
  const path = paths.article(article.language, article.slug);
  const published = article.publishedAt ?? article.createdAt;
  const alternates = Object.fromEntries([
    [article.language, path],
    ...translations
      .filter((other) => site.languages.includes(other.language))
      .map((other) => [other.language, paths.article(other.language, other.slug)]),
  ]);
  const description = article.seoDescription ?? article.standfirst;
  // A gated article (`gate`) has lost its withheld part already; a whole one shows where it is.
  const withheld = 'gate' in article ? null : paywalledParts(article);
  return (
    <Layout
      site={site}
      title={`${article.seoTitle ?? article.headline} — ${site.name}`}
      description={description}
      path={path}
      // Syndicated copy names its source as the original, where the source has an address.
      canonical={article.source?.url ?? undefined}
      alternates={alternates}
      translatable
      head={
        <>
          {largeImagePreviews}
          <SocialTags
            site={site}
            type="article"
            title={article.seoTitle ?? article.headline}
            description={description}
            url={absoluteUrl(site, path)}
            alternateLanguages={Object.keys(alternates).filter((language) => language !== article.language)}
            image={shareImage(site, article)}
            article={article}
          />
          <JsonLd data={newsArticleData(site, article, machineTranslation, corrections)} />
        </>
      }
    >
      <article class="story">
        <header class="story__header">
          {article.section ? (
            <p class="kicker">
              <a href={paths.section(article.language, article.section.slug)}>{article.section.name}</a>
            </p>
          ) : null}
          <GenreLabels
            site={site}
            genre={article.genre}
            machineTranslated={machineTranslation !== null}
            place="page"
            sponsor={article.sponsor}
          />
          <h1 class="story__headline">{article.headline}</h1>
          {article.standfirst ? <p class="story__standfirst">{article.standfirst}</p> : null}
          {article.genre === 'sponsored' ? (
            // Said in words, not only by the label's colour: an advertiser paid for what follows.
            <p class="story__sponsored" role="note">
              {t.t('genre.sponsoredNote')}
            </p>
          ) : null}
          <div class="story__meta">
            <Byline site={site} authors={article.authors} />
            {machineTranslation ? <MachineTranslationLabel site={site} facts={machineTranslation} /> : null}
            <p class="dates">
              <Time date={published} site={site} messageKey="article.published" />
              {wasUpdatedAfterPublishing(article) ? (
                <>
                  <span aria-hidden="true"> · </span>
                  <Time date={article.updatedAt} site={site} messageKey="article.updated" />
                </>
              ) : null}
            </p>
          </div>
        </header>
        <CorrectionBox site={site} corrections={corrections} kind="correction" />
        {article.hero ? (
          <figure class="story__hero">
            <Picture use={article.hero} sizes="(min-width: 48em) 46rem, 100vw" loading="eager" fetchpriority="high" />
            {article.hero.caption || article.hero.credit ? (
              <figcaption>
                {article.hero.caption}
                {article.hero.credit ? (
                  <span class="credit"> {t.t('media.credit', { credit: article.hero.credit })}</span>
                ) : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}
        <ShareRow site={site} path={path} headline={article.headline} />
        {article.dateline ? <p class="story__dateline">{article.dateline}</p> : null}
        {/* bodyHtml was rendered from Markdown with raw HTML off and passed through sanitize-html on save. */}
        {withheld ? (
          // A gated story given whole: the withheld part in the element the JSON-LD's hasPart names.
          <div class="story__body">
            <div class="story__free" dangerouslySetInnerHTML={{ __html: withheld.free }} />
            <div class={paywalledPartClass} dangerouslySetInnerHTML={{ __html: withheld.withheld }} />
          </div>
        ) : (
          <div class="story__body" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
        )}
        {paywall}
        <CorrectionBox site={site} corrections={corrections} kind="clarification" />
        {article.source ? (
          <aside class="source" aria-label={t.t('article.source', { source: article.source.name })}>
            <p>
              <strong>{t.t('article.source', { source: article.source.name })}</strong>
            </p>
            <p>{t.t('article.syndicated')}</p>
            {article.source.url ? (
              <p>
                <a href={article.source.url} rel="noopener">
                  {t.t('article.sourceOriginal')}
                </a>
              </p>
            ) : null}
          </aside>
        ) : null}
        {article.tags.length > 0 ? (
          <nav class="tags" aria-label={t.t('article.tags')}>
            <ul>
              {article.tags.map((tag) => (
                <li>
                  <a href={paths.tag(article.language, tag.slug)} rel="tag">
                    {tag.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <Gallery site={site} images={article.gallery} />
        <SubscribeCallToAction site={site} />
      </article>
      <NewsletterForm site={site} sourcePath={path} />
      {latest.length > 0 ? (
        <section class="more" aria-labelledby="latest-title">
          <h2 id="latest-title" class="section-title">
            {t.t('latest.heading')}
          </h2>
          <ArticleList site={site} articles={latest} compact />
        </section>
      ) : null}
      {related.length > 0 ? (
        <section class="more" aria-labelledby="related-title">
          <h2 id="related-title" class="section-title">
            {t.t('related.heading')}
          </h2>
          <ArticleList site={site} articles={related} />
        </section>
      ) : null}
    </Layout>
  );
}

type ListingKind = 'section' | 'tag' | 'author';

/** A profile link as readers see it: the host and path, without the scheme or `www.`. */
function linkLabel(link: string): string {
  const url = new URL(link);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.hostname.replace(/^www\./, '')}${path}`;
}

export function ListingPageView({
  site,
  kind,
  listing,
  path,
}: {
  site: SiteContext;
  kind: ListingKind;
  listing: ListingPage<Taxon | Author>;
  path: string;
}) {
  const { t } = site;
  const titleKey: MessageKey =
    kind === 'section' ? 'listing.section' : kind === 'tag' ? 'listing.tag' : 'listing.author';
  const title = t.t(titleKey, { name: listing.subject.name });
  const author = kind === 'author' ? (listing.subject as Author) : null;
  // An author's bio in this page's language, or a section's or tag's description (decisions 0061, 0062).
  const bio = author ? author.bio : ((listing.subject as Taxon).description ?? '');
  const pageTitle =
    listing.page > 1 ? `${title} (${t.t('pagination.page', { page: listing.page, count: listing.pageCount })})` : title;
  return (
    <Layout
      site={site}
      title={`${pageTitle} — ${site.name}`}
      description={bio || title}
      path={listing.page > 1 ? `${path}?page=${listing.page}` : path}
      feed={{ title, path: (file) => paths.listingFeed(kind, t.language, listing.subject.slug, file) }}
      head={
        <>
          {largeImagePreviews}
          <SocialTags
            site={site}
            type={kind === 'author' ? 'profile' : 'website'}
            title={title}
            description={bio || title}
            url={absoluteUrl(site, listing.page > 1 ? `${path}?page=${listing.page}` : path)}
          />
          <JsonLd
            data={
              kind === 'author'
                ? profilePageData(site, listing.subject as Author, path)
                : collectionPageData(site, listing.subject as Taxon, title, path, listing.items)
            }
          />
        </>
      }
    >
      <header class={author?.image ? 'listing__header listing__header--profile' : 'listing__header'}>
        {author?.image ? (
          <Picture
            use={{ image: author.image, alt: author.name, caption: '', credit: '' }}
            sizes="(min-width: 40rem) 10rem, 7rem"
            loading="eager"
            class="profile__photo"
          />
        ) : null}
        <div class="listing__intro">
          <h1>{title}</h1>
          {author?.jobTitle ? <p class="profile__title">{author.jobTitle}</p> : null}
          {bio ? <p class="listing__bio">{bio}</p> : null}
          {author?.links && author.links.length > 0 ? (
            <nav class="profile__links" aria-label={t.t('author.elsewhere')}>
              <ul>
                {author.links.map((link) => (
                  <li>
                    <a href={link} rel="me" dir="ltr">
                      {linkLabel(link)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </div>
        {listing.total > 0 ? <p class="listing__count">{t.t('listing.count', { count: listing.total })}</p> : null}
      </header>
      {listing.lead ? (
        <div class="lead listing__lead">
          <ArticleCard site={site} article={listing.lead} headingLevel={2} lead />
        </div>
      ) : null}
      {listing.items.length > 0 ? (
        <ArticleList site={site} articles={listing.items} headingLevel={2} />
      ) : listing.lead ? null : (
        <p>{t.t('listing.empty')}</p>
      )}
      {listing.pageCount > 1 ? (
        <nav class="pagination" aria-label={t.t('pagination.label')}>
          {listing.page > 1 ? (
            <a href={listing.page === 2 ? path : `${path}?page=${listing.page - 1}`} rel="prev">
              {t.t('pagination.newer')}
            </a>
          ) : null}
          <span>{t.t('pagination.page', { page: listing.page, count: listing.pageCount })}</span>
          {listing.page < listing.pageCount ? (
            <a href={`${path}?page=${listing.page + 1}`} rel="next">
              {t.t('pagination.older')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

/**
 * What a killed story's address answers (410 Gone, decision 0057): that the newsroom withdrew it,
 * when, and its notice if it has one — in the page's language, nothing of the story, `noindex`.
 */
export function GonePage({ site, killedAt, notice }: { site: SiteContext; killedAt: Date; notice: string }) {
  const { t } = site;
  const title = t.t('gone.title');
  return (
    <Layout site={site} title={`${title} — ${site.name}`} head={<meta name="robots" content="noindex" />}>
      <section class="message gone">
        <h1>{title}</h1>
        <p>{t.t('gone.body', { date: t.date(killedAt) })}</p>
        {notice ? (
          <section class="gone__notice" aria-labelledby="gone-notice">
            <h2 id="gone-notice">{t.t('gone.notice')}</h2>
            <p>{notice}</p>
          </section>
        ) : null}
        <p>
          <a class="button" href={paths.home(t.language)}>
            {t.t('gone.home')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function MessagePage({
  site,
  title,
  message,
  children,
}: {
  site: SiteContext;
  title: string;
  message: string;
  children?: preact.ComponentChildren;
}) {
  const { t } = site;
  return (
    <Layout site={site} title={`${title} — ${site.name}`}>
      <section class="message">
        <h1>{title}</h1>
        <p>{message}</p>
        {children}
        <p>
          <a class="button" href={paths.home(t.language)}>
            {t.t('error.backHome')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

/**
 * A page every language has at the same place (newsletter, subscribe): hreflang alternates to each,
 * a description and Open Graph tags (issue 14).
 */
export function everyLanguage(site: SiteContext, path: (language: string) => string): Record<string, string> {
  return Object.fromEntries(site.languages.map((language) => [language, path(language)]));
}

export function SitePageSocial({
  site,
  title,
  description,
  path,
}: {
  site: SiteContext;
  title: string;
  description: string;
  path: string;
}) {
  return (
    <SocialTags
      site={site}
      type="website"
      title={title}
      description={description}
      url={absoluteUrl(site, path)}
      alternateLanguages={site.languages.filter((language) => language !== site.t.language)}
    />
  );
}

export function NewsletterPage({ site, error }: { site: SiteContext; error?: string }) {
  const { t } = site;
  const path = paths.newsletter(t.language);
  const title = `${t.t('newsletter.title')} — ${site.name}`;
  return (
    <Layout
      site={site}
      title={title}
      description={t.t('newsletter.intro')}
      path={path}
      alternates={everyLanguage(site, paths.newsletter)}
      head={
        error ? null : (
          <>
            {largeImagePreviews}
            <SitePageSocial site={site} title={title} description={t.t('newsletter.intro')} path={path} />
          </>
        )
      }
    >
      {error ? (
        <div class="notice notice--error" role="alert">
          <h1>{t.t('newsletter.errorTitle')}</h1>
          <p>{error}</p>
        </div>
      ) : null}
      <NewsletterForm site={site} sourcePath={paths.newsletter(t.language)} headingLevel={error ? 2 : 1} />
    </Layout>
  );
}

/**
 * "Traduit automatiquement de l’anglais, relu par Marie Dupont": in the page's language, the
 * source language named by Intl.DisplayNames in it, and the source story linked when public.
 */
function MachineTranslationLabel({ site, facts }: { site: SiteContext; facts: ReaderMachineFacts }) {
  const { t } = site;
  const text = t.t('article.machineTranslated', {
    reviewed: facts.reviewerName ? 'yes' : 'no',
    name: facts.reviewerName ?? '',
    ...languageNameIn(t.language, facts.sourceLanguage),
  });
  return (
    <p class="machine-translation" id="machine-translation-label">
      {text}
      {facts.source ? (
        <>
          {' · '}
          <a
            href={paths.article(facts.source.language, facts.source.slug)}
            hreflang={facts.source.language}
            lang={facts.source.language}
          >
            {facts.source.headline}
          </a>
        </>
      ) : null}
    </p>
  );
}
