import type { StaticPage } from '../../domain/pages/static-pages.js';
import { Layout } from './layout.js';
import { SitePageSocial } from './pages.js';
import { paths, type SiteContext } from './site-context.js';
import { JsonLd, largeImagePreviews, publisher } from './structured-data.js';

/** About, Contact, a policy (decision 0059): its title, its sanitized body, its translations as alternates. */
export function StaticPageView({
  site,
  page,
  translations,
}: {
  site: SiteContext;
  page: StaticPage;
  translations: { language: string; slug: string }[];
}) {
  const path = paths.staticPage(page.language, page.slug);
  const alternates = Object.fromEntries([
    [page.language, path],
    ...translations
      .filter((other) => site.languages.includes(other.language))
      .map((other) => [other.language, paths.staticPage(other.language, other.slug)]),
  ]);
  const description = page.description || site.tagline || site.t.t('site.tagline');
  return (
    <Layout
      site={site}
      title={`${page.title} — ${site.name}`}
      description={description}
      path={path}
      alternates={alternates}
      head={
        <>
          {largeImagePreviews}
          <SitePageSocial site={site} title={page.title} description={description} path={path} />
          <JsonLd
            data={{
              '@context': 'https://schema.org',
              '@type': 'WebPage',
              name: page.title,
              inLanguage: page.language,
              dateModified: page.updatedAt.toISOString(),
              publisher: publisher(site),
            }}
          />
        </>
      }
    >
      <article class="static-page">
        <h1>{page.title}</h1>
        {/* Sanitized when saved, through the stories' renderer (raw HTML off, scheme allow-list). */}
        <div class="story__body" dangerouslySetInnerHTML={{ __html: page.bodyHtml }} />
      </article>
    </Layout>
  );
}
