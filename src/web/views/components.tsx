import type { ArticleImage, ArticleSummary, Author } from '../../domain/articles/article.js';
import { genreKey, labelledInLists, type StoryGenre } from '../../domain/articles/genre.js';
import { paths, type SiteContext } from './site-context.js';

/** Widths the media route can produce; a page offers those not wider than the original. */
export const variantWidths = [320, 640, 960, 1280, 1600] as const;

export function imageUrl(imageId: string, width: number, format: 'webp' | 'jpg' | 'avif'): string {
  return `/media/${imageId}/${width}.${format}`;
}

export function srcset(image: Pick<ArticleImage['image'], 'id' | 'width'>, format: 'webp' | 'jpg' | 'avif'): string {
  return widthsFor(image.width)
    .map((width) => `${imageUrl(image.id, width, format)} ${width}w`)
    .join(', ');
}

export function widthsFor(originalWidth: number): number[] {
  const widths = variantWidths.filter((width) => width <= originalWidth);
  return widths.length > 0 ? widths : [variantWidths[0]];
}

/** The largest variant not wider than `max`: the no-JS link target and the fallback `src`. */
export function largestWidth(originalWidth: number, max = 1600): number {
  return (
    widthsFor(originalWidth)
      .filter((width) => width <= max)
      .at(-1) ?? variantWidths[0]
  );
}

export function Picture({
  use,
  sizes,
  loading = 'lazy',
  fetchpriority,
  class: className,
}: {
  use: ArticleImage;
  sizes: string;
  loading?: 'lazy' | 'eager';
  fetchpriority?: 'high';
  class?: string;
}) {
  const { image } = use;
  return (
    <picture class={className}>
      {/* AVIF only once every width exists: a first reader should not wait seconds for an encode. */}
      {image.avif ? <source type="image/avif" srcset={srcset(image, 'avif')} sizes={sizes} /> : null}
      <source type="image/webp" srcset={srcset(image, 'webp')} sizes={sizes} />
      <img
        src={imageUrl(image.id, largestWidth(image.width, 960), 'jpg')}
        srcset={srcset(image, 'jpg')}
        sizes={sizes}
        width={image.width}
        height={image.height}
        alt={use.alt}
        loading={loading}
        decoding="async"
        fetchpriority={fetchpriority}
      />
    </picture>
  );
}

export function Byline({ site, authors }: { site: SiteContext; authors: Author[] }) {
  if (authors.length === 0) return null;
  const { t } = site;
  const links = authors.map((author) => (
    <a href={paths.author(t.language, author.slug)} rel="author">
      {author.name}
    </a>
  ));
  // "Par A, B et C": the separators follow the language, the names stay links.
  const parts: (string | preact.JSX.Element)[] = [];
  links.forEach((link, index) => {
    if (index > 0) parts.push(index === links.length - 1 ? ` ${t.t('article.and')} ` : ', ');
    parts.push(link);
  });
  const [before, after] = t.t('article.byline', { authors: '\u0000' }).split('\u0000');
  return (
    <p class="byline">
      {before}
      {parts}
      {after}
    </p>
  );
}

export function Time({
  date,
  site,
  messageKey,
}: {
  date: Date;
  site: SiteContext;
  messageKey?: 'article.published' | 'article.updated';
}) {
  const text = site.t.dateTime(date);
  return <time datetime={date.toISOString()}>{messageKey ? site.t.t(messageKey, { date: text }) : text}</time>;
}

/**
 * The kind of work, in the reader's language, and "Machine-translated" beside it when a machine
 * translated the story (its stored status, decision 0039). The story page always names the genre;
 * lists only when it is not plain news (decision 0051). On the page the machine label leads to the
 * full statement of who translated it and who reviewed it.
 */
export function GenreLabels({
  site,
  genre,
  machineTranslated,
  place,
  sponsor = '',
}: {
  site: SiteContext;
  genre: StoryGenre;
  machineTranslated: boolean;
  place: 'page' | 'card';
  /** A sponsored story's sponsor: the label says "Sponsored by …" on the page and every card. */
  sponsor?: string;
}) {
  const { t } = site;
  const showGenre = place === 'page' || labelledInLists(genre);
  if (!showGenre && !machineTranslated) return null;
  const machine = t.t('genre.machineTranslated');
  return (
    <p class="genre-labels">
      {showGenre ? <span class={`genre-label genre-label--${genre}`}>{t.t(genreKey(genre))}</span> : null}
      {showGenre && genre === 'sponsored' && sponsor.trim() !== '' ? (
        <>
          {' '}
          <span class="genre-sponsor">{t.t('genre.sponsoredBy', { sponsor: sponsor.trim() })}</span>
        </>
      ) : null}
      {showGenre && machineTranslated ? ' ' : null}
      {machineTranslated && place === 'page' ? (
        <a class="genre-label genre-label--machine" href="#machine-translation-label">
          {machine}
        </a>
      ) : machineTranslated ? (
        <span class="genre-label genre-label--machine">{machine}</span>
      ) : null}
    </p>
  );
}

export function ArticleCard({
  site,
  article,
  headingLevel = 3,
  showImage = true,
  showStandfirst = true,
  lead = false,
}: {
  site: SiteContext;
  article: ArticleSummary;
  headingLevel?: 2 | 3;
  showImage?: boolean;
  showStandfirst?: boolean;
  lead?: boolean;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const href = paths.article(article.language, article.slug);
  return (
    <article class={lead ? 'card card--lead' : 'card'}>
      {showImage && article.hero ? (
        <div class="card__image">
          <Picture
            use={article.hero}
            sizes={lead ? '(min-width: 60em) 40rem, 100vw' : '(min-width: 60em) 18rem, (min-width: 40em) 45vw, 100vw'}
            loading={lead ? 'eager' : 'lazy'}
            fetchpriority={lead ? 'high' : undefined}
          />
        </div>
      ) : null}
      <div class="card__text">
        <GenreLabels
          site={site}
          genre={article.genre}
          machineTranslated={article.machineTranslated}
          place="card"
          sponsor={article.sponsor}
        />
        {article.section ? (
          <p class="kicker">
            <a href={paths.section(article.language, article.section.slug)}>{article.section.name}</a>
          </p>
        ) : null}
        <Heading class="card__title">
          <a href={href}>{article.headline}</a>
        </Heading>
        {showStandfirst && article.standfirst ? <p class="card__standfirst">{article.standfirst}</p> : null}
        <p class="card__meta">
          <Time date={article.publishedAt} site={site} />
        </p>
      </div>
    </article>
  );
}

export function ArticleList({
  site,
  articles,
  headingLevel = 3,
  compact = false,
}: {
  site: SiteContext;
  articles: ArticleSummary[];
  headingLevel?: 2 | 3;
  compact?: boolean;
}) {
  return (
    <ul class={compact ? 'cards cards--compact' : 'cards'}>
      {articles.map((article) => (
        <li>
          <ArticleCard
            site={site}
            article={article}
            headingLevel={headingLevel}
            showImage={!compact}
            showStandfirst={!compact}
          />
        </li>
      ))}
    </ul>
  );
}

export function NewsletterForm({
  site,
  sourcePath,
  headingLevel = 2,
}: {
  site: SiteContext;
  sourcePath: string;
  headingLevel?: 2 | 1;
}) {
  const { t } = site;
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  // One level below the form's heading: on the newsletter page that heading is the page's h1.
  const SubHeading = headingLevel === 1 ? 'h2' : 'h3';
  return (
    <section class="newsletter" aria-labelledby="newsletter-title">
      <Heading id="newsletter-title">{t.t('newsletter.heading')}</Heading>
      <p>{t.t('newsletter.intro')}</p>
      <form method="post" action={paths.newsletter(t.language)} class="newsletter__form">
        <input type="hidden" name="source" value={sourcePath} />
        <label for="newsletter-email">{t.t('newsletter.label')}</label>
        <div class="newsletter__row">
          <input
            id="newsletter-email"
            type="email"
            name="email"
            required
            maxlength={254}
            autocomplete="email"
            inputmode="email"
          />
          <button type="submit">{t.t('newsletter.submit')}</button>
        </div>
        <p class="newsletter__privacy">{t.t('newsletter.privacy')}</p>
      </form>
      <SubHeading class="follow__title">{t.t('follow.heading')}</SubHeading>
      <ul class="follow">
        <li>
          <a href={paths.rss(t.language)}>{t.t('follow.rss')}</a>
        </li>
        {site.followLinks.map((link) => (
          <li>
            <a href={link.url} rel="me noopener">
              {link.network}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SubscribeCallToAction({ site }: { site: SiteContext }) {
  const { t } = site;
  return (
    <section class="subscribe" aria-labelledby="subscribe-title">
      <h2 id="subscribe-title">{t.t('subscribe.heading')}</h2>
      <p>{t.t('subscribe.pitch')}</p>
      <p>
        <a class="button" href={paths.subscribe(t.language)}>
          {t.t('subscribe.cta')}
        </a>
      </p>
    </section>
  );
}
