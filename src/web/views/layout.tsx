import type { ComponentChildren } from 'preact';
import { languageAutonym } from '../../domain/i18n/translator.js';
import { absoluteUrl, type FeedFile, paths, type SiteContext } from './site-context.js';

const feedTypes: [FeedFile, string, 'follow.rss' | 'follow.atom' | 'follow.jsonFeed'][] = [
  ['rss.xml', 'application/rss+xml', 'follow.rss'],
  ['atom.xml', 'application/atom+xml', 'follow.atom'],
  ['feed.json', 'application/feed+json', 'follow.jsonFeed'],
];

export interface LayoutProps {
  site: SiteContext;
  title: string;
  description?: string;
  /** Path of this page, for the canonical link. Omitted on error pages. */
  path?: string;
  /** An absolute canonical URL elsewhere (syndicated copy points to its source); else `path` here. */
  canonical?: string;
  /**
   * This page in every language it exists in (this one included), as site paths: they become
   * reciprocal hreflang links with an x-default, and the language switcher's targets.
   */
  alternates?: Record<string, string>;
  /** An article: a language missing from `alternates` means "not translated", and the switcher says so. */
  translatable?: boolean;
  /** A section's, tag's or author's own feeds, announced beside the language's. */
  feed?: { title: string; path: (file: FeedFile) => string };
  head?: ComponentChildren;
  children: ComponentChildren;
}

export function Layout({
  site,
  title,
  description,
  path,
  canonical,
  alternates = {},
  translatable = false,
  feed,
  head,
  children,
}: LayoutProps) {
  const { t } = site;
  const language = t.language;
  const versions = site.languages.filter((other) => alternates[other] !== undefined);
  const xDefault = alternates[site.defaultLanguage] ?? (versions[0] ? alternates[versions[0]] : undefined);
  return (
    <html lang={language} dir={t.direction}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical || path ? <link rel="canonical" href={canonical ?? absoluteUrl(site, path as string)} /> : null}
        {versions.length > 1
          ? [
              ...versions.map((other) => (
                <link rel="alternate" hreflang={other} href={absoluteUrl(site, alternates[other] as string)} />
              )),
              <link rel="alternate" hreflang="x-default" href={absoluteUrl(site, xDefault as string)} />,
            ]
          : null}
        <link rel="icon" href={site.assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={site.assets.css} />
        {feedTypes.map(([file, type, key]) => (
          <link
            rel="alternate"
            type={type}
            title={`${site.name} — ${t.t(key)}`}
            href={paths.languageFeed(language, file)}
          />
        ))}
        {feed
          ? feedTypes.map(([file, type, key]) => (
              <link rel="alternate" type={type} title={`${feed.title} — ${t.t(key)}`} href={feed.path(file)} />
            ))
          : null}
        <script type="module" src={site.assets.js} />
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t.t('site.skipToContent')}
        </a>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="brand" href={paths.home(language)}>
              {site.logo ? <img class="brand__logo" src={site.logo.url} alt="" width={40} height={40} /> : null}
              <span class="brand__name">{site.name}</span>
              <span class="brand__tagline">{site.tagline ?? t.t('site.tagline')}</span>
            </a>
            <nav class="languages" aria-label={t.t('nav.languages')}>
              <ul>
                {site.languages.map((other) => (
                  <li>
                    {other === language ? (
                      <span aria-current="true" lang={other}>
                        {languageAutonym(other)}
                      </span>
                    ) : alternates[other] !== undefined || !translatable ? (
                      <a href={alternates[other] ?? paths.home(other)} hreflang={other} lang={other}>
                        {languageAutonym(other)}
                      </a>
                    ) : (
                      // No translation: say so, and lead to that language's home.
                      <a href={paths.home(other)} hreflang={other} class="languages__untranslated">
                        <span lang={other}>{languageAutonym(other)}</span>
                        <span class="languages__note"> {t.t('nav.untranslated')}</span>
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </nav>
          </div>
          {site.sections.length > 0 || site.navLinks.length > 0 ? (
            <nav class="sections" aria-label={t.t('nav.main')}>
              <ul class="wrap">
                <li>
                  <a href={paths.home(language)}>{t.t('nav.home')}</a>
                </li>
                {site.sections.map((section) => (
                  <li>
                    <a href={paths.section(language, section.slug)}>{section.name}</a>
                  </li>
                ))}
                {/* Staff's extra links (Admin → Settings), after the sections. */}
                {site.navLinks.map((link) => (
                  <li class="sections__extra">
                    <a href={link.url}>{link.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        {site.banner ? <BreakingBanner site={site} banner={site.banner} /> : null}
        <main id="main" class="wrap" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t.t('footer.about', { site: site.name })}</p>
            <p>
              <a href={paths.search(language)}>{t.t('search.title')}</a>
              {' · '}
              <a href={paths.newsletter(language)}>{t.t('newsletter.title')}</a>
              {' · '}
              <a href={paths.rss(language)}>{t.t('follow.rss')}</a>
              {' · '}
              <a href={paths.subscribe(language)}>{t.t('subscribe.title')}</a>
              {' · '}
              <a href={`/${language}/account`}>{t.t('nav.account')}</a>
            </p>
            {site.policies.length > 0 ? (
              <nav aria-label={t.t('footer.policies')}>
                <ul class="site-footer__policies">
                  {site.policies.map((policy) => (
                    <li>
                      <a href={policy.path}>{policy.title}</a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {site.followLinks.length > 0 ? (
              <ul class="site-footer__social">
                {site.followLinks.map((link) => (
                  <li>
                    <a href={link.url} rel="me noopener">
                      {link.network}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            <p>{t.t('footer.rights', { year: String(site.year), site: site.name })}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/**
 * The breaking-news banner: in the page as sent (no script inserts it, so nothing moves once drawn),
 * a named section (a region landmark) screen readers can jump to, its label said before its text.
 */
function BreakingBanner({ site, banner }: { site: SiteContext; banner: { text: string; link: string | null } }) {
  const { t } = site;
  return (
    <section class="breaking" aria-label={t.t('banner.label')}>
      <p class="wrap breaking__inner">
        <strong class="breaking__label">{t.t('banner.label')}</strong>{' '}
        {banner.link ? (
          <a class="breaking__text" href={banner.link}>
            {banner.text}
          </a>
        ) : (
          <span class="breaking__text">{banner.text}</span>
        )}
      </p>
    </section>
  );
}
