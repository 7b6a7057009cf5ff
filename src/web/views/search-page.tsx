import { maxSearchResults, type SearchPage, searchPageSize } from '../../domain/search/search-service.js';
import type { Segment } from '../../domain/search/snippet.js';
import { Time } from './components.js';
import { Layout } from './layout.js';
import { paths, type SiteContext } from './site-context.js';

/** Matched words wrapped in <mark>; every piece is text, escaped like any other. */
function Marked({ segments }: { segments: Segment[] }) {
  return <>{segments.map((segment) => (segment.match ? <mark>{segment.text}</mark> : segment.text))}</>;
}

/** The search URL for these filters and page (empty values left out). */
export function searchUrl(language: string, page: SearchPage, pageNumber: number): string {
  const params = new URLSearchParams();
  if (page.query.text) params.set('q', page.query.text);
  if (page.filters.section) params.set('section', page.filters.section.slug);
  if (page.filters.from) params.set('from', page.filters.from);
  if (page.filters.to) params.set('to', page.filters.to);
  if (pageNumber > 1) params.set('page', String(pageNumber));
  const query = params.toString();
  return query ? `${paths.search(language)}?${query}` : paths.search(language);
}

export function SearchPageView({ site, page }: { site: SiteContext; page: SearchPage }) {
  const { t } = site;
  const language = t.language;
  const { query, filters } = page;
  const title = query.text ? t.t('search.titleFor', { query: query.text }) : t.t('search.title');
  return (
    <Layout
      site={site}
      title={`${title} — ${site.name}`}
      description={t.t('search.label')}
      path={paths.search(language)}
      // Result pages are endless and change by the minute: not for search engines' indexes.
      head={<meta name="robots" content="noindex, follow" />}
    >
      <header class="listing__header">
        <h1>{t.t('search.title')}</h1>
      </header>
      <search>
        <form class="search-form" method="get" action={paths.search(language)}>
          <label for="search-q">{t.t('search.label')}</label>
          <div class="search-form__row">
            <input id="search-q" type="search" name="q" value={query.text} maxlength={200} autocomplete="off" />
            <button type="submit">{t.t('search.submit')}</button>
          </div>
          <p class="search-form__hint">{t.t('search.hint')}</p>
          <fieldset class="search-form__filters">
            <legend>{t.t('search.filters')}</legend>
            <div class="search-form__field">
              <label for="search-section">{t.t('search.section')}</label>
              <select id="search-section" name="section">
                <option value="">{t.t('search.anySection')}</option>
                {page.sections.map((section) => (
                  <option value={section.slug} selected={filters.section?.id === section.id}>
                    {section.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="search-form__field">
              <label for="search-from">{t.t('search.from')}</label>
              <input id="search-from" type="date" name="from" value={filters.from ?? ''} />
            </div>
            <div class="search-form__field">
              <label for="search-to">{t.t('search.to')}</label>
              <input id="search-to" type="date" name="to" value={filters.to ?? ''} />
            </div>
          </fieldset>
        </form>
      </search>
      {query.groups.length === 0 ? (
        <p class="search-status">{t.t('search.empty')}</p>
      ) : (
        <section class="search-results" aria-labelledby="search-results-title">
          <h2 id="search-results-title" class="search-status" aria-live="polite">
            {page.total > maxSearchResults
              ? t.t('search.countMore', { count: maxSearchResults, query: query.text })
              : t.t('search.count', { count: page.total, query: query.text })}
          </h2>
          {page.results.length === 0 ? <p>{t.t('search.noResults')}</p> : null}
          {page.results.length > 0 ? (
            <ol class="search-results__list" start={(page.page - 1) * searchPageSize + 1}>
              {page.results.map(({ article, headline, snippet }) => (
                <li class="search-result">
                  {article.section ? (
                    <p class="kicker">
                      <a href={paths.section(language, article.section.slug)}>{article.section.name}</a>
                    </p>
                  ) : null}
                  <h3 class="search-result__title">
                    <a href={paths.article(article.language, article.slug)}>
                      <Marked segments={headline} />
                    </a>
                  </h3>
                  {snippet.length > 0 ? (
                    <p class="search-result__snippet">
                      <Marked segments={snippet} />
                    </p>
                  ) : null}
                  <p class="card__meta">
                    <Time date={article.publishedAt} site={site} />
                  </p>
                </li>
              ))}
            </ol>
          ) : null}
          {page.pageCount > 1 ? (
            <nav class="pagination" aria-label={t.t('pagination.label')}>
              {page.page > 1 ? (
                <a href={searchUrl(language, page, page.page - 1)} rel="prev">
                  {t.t('search.previous')}
                </a>
              ) : null}
              <span>{t.t('pagination.page', { page: page.page, count: page.pageCount })}</span>
              {page.page < page.pageCount ? (
                <a href={searchUrl(language, page, page.page + 1)} rel="next">
                  {t.t('search.next')}
                </a>
              ) : null}
            </nav>
          ) : null}
        </section>
      )}
    </Layout>
  );
}
