import { byKind, type CorrectionListing, type PublishedCorrection } from '../../domain/corrections/correction.js';
import type { Translator } from '../../domain/i18n/translator.js';
import { Layout } from './layout.js';
import { paths, type SiteContext } from './site-context.js';

/** "Correction du 3 décembre 2026 :" in the language of `t` (the page's, the feed item's). */
export function correctionLabel(t: Translator, correction: Pick<PublishedCorrection, 'kind' | 'publishedAt'>): string {
  return t.t(correction.kind === 'correction' ? 'correction.label.correction' : 'correction.label.clarification', {
    date: t.date(correction.publishedAt),
  });
}

/** The line as plain text, label first (feeds' text fields, ninjs descriptions). */
export function correctionLine(t: Translator, correction: PublishedCorrection): string {
  return `${correctionLabel(t, correction)} ${correction.text}`;
}

/** The line as HTML (feeds' HTML content); the text was rendered inline and sanitized (decision 0056). */
export function correctionHtml(t: Translator, correction: PublishedCorrection): string {
  const label = correctionLabel(t, correction).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<p class="correction correction--${correction.kind}"><strong>${label}</strong> ${correction.html}</p>`;
}

/** schema.org's `correction` of a story: one `CorrectionComment` for each, corrections and clarifications alike. */
export function correctionData(corrections: readonly PublishedCorrection[]) {
  return corrections.length === 0
    ? {}
    : {
        correction: corrections.map((correction) => ({
          '@type': 'CorrectionComment',
          text: correction.text,
          datePublished: correction.publishedAt.toISOString(),
        })),
      };
}

/**
 * The corrections (top of the story) or the clarifications (its foot), each with its date in the
 * page's language, and a link to the language's corrections page.
 */
export function CorrectionBox({
  site,
  corrections,
  kind,
}: {
  site: SiteContext;
  corrections: readonly PublishedCorrection[];
  kind: 'correction' | 'clarification';
}) {
  const { t } = site;
  const shown = byKind(corrections)[kind === 'correction' ? 'corrections' : 'clarifications'];
  if (shown.length === 0) return null;
  return (
    <aside
      class={`corrections corrections--${kind}`}
      aria-label={t.t(kind === 'correction' ? 'correction.boxCorrections' : 'correction.boxClarifications')}
    >
      {shown.map((correction) => (
        <p class="correction" id={`correction-${correction.id}`}>
          <strong>
            <time datetime={correction.publishedAt.toISOString()}>{correctionLabel(t, correction)}</time>
          </strong>{' '}
          {/* Rendered from inline Markdown with raw HTML off, then sanitized (markdown.ts#renderInlineMarkdown). */}
          <span dangerouslySetInnerHTML={{ __html: correction.html }} />
        </p>
      ))}
      <p class="corrections__all">
        <a href={paths.corrections(site.t.language)}>{t.t('correction.all')}</a>
      </p>
    </aside>
  );
}

/** `/{lang}/corrections`: the language's published corrections, newest first, each with its story. */
export function CorrectionsPage({
  site,
  items,
  page,
  pageCount,
}: {
  site: SiteContext;
  items: CorrectionListing[];
  page: number;
  pageCount: number;
}) {
  const { t } = site;
  const base = paths.corrections(site.t.language);
  const path = page > 1 ? `${base}?page=${page}` : base;
  return (
    <Layout
      site={site}
      title={`${t.t('corrections.title')} — ${site.name}`}
      description={t.t('corrections.intro')}
      path={path}
      alternates={Object.fromEntries(site.languages.map((language) => [language, paths.corrections(language)]))}
    >
      <section class="listing corrections-page">
        <header class="listing__header">
          <h1>{t.t('corrections.title')}</h1>
          <p>{t.t('corrections.intro')}</p>
        </header>
        {items.length === 0 ? (
          <p>{t.t('corrections.empty')}</p>
        ) : (
          <ol class="corrections-page__list">
            {items.map(({ correction, story }) => (
              <li class={`correction correction--${correction.kind}`}>
                <p>
                  <strong>
                    <time datetime={correction.publishedAt.toISOString()}>{correctionLabel(t, correction)}</time>
                  </strong>{' '}
                  <span dangerouslySetInnerHTML={{ __html: correction.html }} />
                </p>
                <p class="corrections-page__story">
                  {t.t('corrections.onArticle')}{' '}
                  <a href={`${paths.article(story.language, story.slug)}#correction-${correction.id}`}>
                    {story.headline}
                  </a>
                </p>
              </li>
            ))}
          </ol>
        )}
        {pageCount > 1 ? (
          <nav class="pagination" aria-label={t.t('pagination.label')}>
            {page > 1 ? (
              <a rel="prev" href={page === 2 ? base : `${base}?page=${page - 1}`}>
                {t.t('corrections.newer')}
              </a>
            ) : null}{' '}
            <span>{t.t('pagination.page', { page, count: pageCount })}</span>{' '}
            {page < pageCount ? (
              <a rel="next" href={`${base}?page=${page + 1}`}>
                {t.t('corrections.older')}
              </a>
            ) : null}
          </nav>
        ) : null}
      </section>
    </Layout>
  );
}
