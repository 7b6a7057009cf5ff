import type { NewsroomRow } from '../../domain/articles/story-list.js';
import { maxBannerLength, maxTopStories } from '../../domain/frontpage/front-page.js';
import type { CurationScreen, PickView } from '../../domain/frontpage/front-page-editor.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

/** What the banner form shows: the stored banner, or what was typed when it was refused. */
export interface BannerFields {
  text: string;
  link: string;
  /** `datetime-local` in the site's time zone. */
  expiresAt: string;
}

/**
 * Admin → Front page, one screen per language (issue 14, decision 0060). Works without a script:
 * every change is a small form (pin, unpin, up, down), the story picker a GET search.
 */
export function FrontPageScreen({
  admin,
  language,
  screen,
  query,
  results,
  banner,
  timeZone,
  notice,
}: {
  admin: AdminContext;
  language: string;
  screen: CurationScreen;
  query: string;
  results: NewsroomRow[];
  banner: BannerFields;
  timeZone: string;
  notice?: { kind: 'error' | 'success'; text: string };
}) {
  const { t } = admin;
  const base = `/admin/front-page/${language}`;
  const pinned = new Set([...(screen.lead ? [screen.lead.story.id] : []), ...screen.top.map((p) => p.story.id)]);
  const title = t.t('admin.frontPage.titleIn', { language: languageAutonym(language) });
  return (
    <AdminLayout admin={admin} title={title}>
      <div class="admin-titlebar">
        <h1>{title}</h1>
        <nav aria-label={t.t('admin.frontPage.languages')} class="front-page-languages">
          <ul>
            {admin.languages.map((other) => (
              <li>
                {other === language ? (
                  <span aria-current="page" lang={other}>
                    {languageAutonym(other)}
                  </span>
                ) : (
                  <a href={`/admin/front-page/${other}`} lang={other} hreflang={other}>
                    {languageAutonym(other)}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <p>{t.t('admin.frontPage.intro')}</p>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}

      <section class="admin-card front-page-card" aria-labelledby="fp-lead">
        <h2 id="fp-lead">{t.t('admin.frontPage.lead')}</h2>
        {screen.lead ? (
          <div class="front-page-pick">
            <Pick admin={admin} pick={screen.lead} />
            <form method="post" action={`${base}/lead`} class="inline">
              <Csrf admin={admin} />
              <input type="hidden" name="id" value="" />
              <button type="submit">{t.t('admin.frontPage.unpin')}</button>
            </form>
          </div>
        ) : (
          <p>{t.t('admin.frontPage.noLead')}</p>
        )}
      </section>

      <section class="admin-card front-page-card" aria-labelledby="fp-top">
        <h2 id="fp-top">{t.t('admin.frontPage.top')}</h2>
        <p class="front-page-help">{t.t('admin.frontPage.topHelp', { count: maxTopStories })}</p>
        {screen.top.length > 0 ? (
          <ol class="front-page-list">
            {screen.top.map((pick, index) => (
              <li class="front-page-pick">
                <Pick admin={admin} pick={pick} />
                <form method="post" action={`${base}/top`} class="inline front-page-actions">
                  <Csrf admin={admin} />
                  <input type="hidden" name="id" value={pick.story.id} />
                  <button
                    type="submit"
                    name="action"
                    value="up"
                    disabled={index === 0}
                    aria-label={t.t('admin.frontPage.upNamed', { headline: pick.story.headline })}
                  >
                    {t.t('admin.frontPage.up')}
                  </button>
                  <button
                    type="submit"
                    name="action"
                    value="down"
                    disabled={index === screen.top.length - 1}
                    aria-label={t.t('admin.frontPage.downNamed', { headline: pick.story.headline })}
                  >
                    {t.t('admin.frontPage.down')}
                  </button>
                  <button
                    type="submit"
                    name="action"
                    value="remove"
                    aria-label={t.t('admin.frontPage.removeNamed', { headline: pick.story.headline })}
                  >
                    {t.t('admin.frontPage.remove')}
                  </button>
                </form>
              </li>
            ))}
          </ol>
        ) : (
          <p>{t.t('admin.frontPage.noTop')}</p>
        )}
      </section>

      <section class="admin-card front-page-card" aria-labelledby="fp-find">
        <h2 id="fp-find">{t.t('admin.frontPage.find')}</h2>
        <form method="get" action={base} class="filters">
          <label>
            {t.t('admin.frontPage.findLabel')}
            <input type="search" name="q" value={query} maxLength={200} />
          </label>
          <button type="submit">{t.t('admin.frontPage.search')}</button>
        </form>
        {results.length > 0 ? (
          <ul class="front-page-list front-page-results">
            {results.map((row) => (
              <li class="front-page-pick">
                <div>
                  <a href={`/admin/stories/${row.id}`}>{row.headline}</a>{' '}
                  <span class={`status status--${row.status}`}>{t.t(`admin.status.${row.status}`)}</span>
                </div>
                {pinned.has(row.id) ? (
                  <p class="front-page-help">{t.t('admin.frontPage.alreadyPinned')}</p>
                ) : (
                  <div class="front-page-actions">
                    <form method="post" action={`${base}/lead`} class="inline">
                      <Csrf admin={admin} />
                      <input type="hidden" name="id" value={row.id} />
                      <button
                        type="submit"
                        aria-label={t.t('admin.frontPage.makeLeadNamed', { headline: row.headline })}
                      >
                        {t.t('admin.frontPage.makeLead')}
                      </button>
                    </form>
                    <form method="post" action={`${base}/top`} class="inline">
                      <Csrf admin={admin} />
                      <input type="hidden" name="id" value={row.id} />
                      <button
                        type="submit"
                        name="action"
                        value="add"
                        aria-label={t.t('admin.frontPage.addTopNamed', { headline: row.headline })}
                      >
                        {t.t('admin.frontPage.addTop')}
                      </button>
                    </form>
                  </div>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t.t('admin.frontPage.noResults')}</p>
        )}
      </section>

      <section class="admin-card front-page-card" aria-labelledby="fp-banner">
        <h2 id="fp-banner">{t.t('admin.frontPage.banner')}</h2>
        {screen.banner ? (
          <p>
            <span class={`status ${screen.bannerExpired ? 'status--deleted' : 'status--published'}`}>
              {screen.bannerExpired
                ? t.t('admin.frontPage.bannerExpired', { time: t.dateTime(screen.banner.expiresAt) })
                : t.t('admin.frontPage.bannerShown', { time: t.dateTime(screen.banner.expiresAt) })}
            </span>
          </p>
        ) : (
          <p>{t.t('admin.frontPage.noBanner')}</p>
        )}
        <form method="post" action={`${base}/banner`} class="stack">
          <Csrf admin={admin} />
          <label for="banner-text">{t.t('admin.frontPage.bannerText')}</label>
          <input
            id="banner-text"
            name="text"
            value={banner.text}
            maxLength={maxBannerLength}
            lang={language}
            dir="auto"
            required
          />
          <label for="banner-link">{t.t('admin.frontPage.bannerLink')}</label>
          <input id="banner-link" name="link" value={banner.link} inputMode="url" dir="ltr" />
          <small>{t.t('admin.frontPage.bannerLinkHelp')}</small>
          <label for="banner-expires">{t.t('admin.frontPage.bannerExpires', { zone: timeZone })}</label>
          <input id="banner-expires" name="expiresAt" type="datetime-local" value={banner.expiresAt} required />
          <div class="front-page-actions">
            <button type="submit" name="action" value="save" class="primary">
              {t.t('admin.frontPage.bannerSave')}
            </button>
            {screen.banner ? (
              <button type="submit" name="action" value="remove" class="danger" formnovalidate>
                {t.t('admin.frontPage.bannerRemove')}
              </button>
            ) : null}
          </div>
        </form>
      </section>

      <section class="admin-card front-page-card" aria-labelledby="fp-sections">
        <h2 id="fp-sections">{t.t('admin.frontPage.sectionLeads')}</h2>
        {screen.sections.length === 0 ? <p>{t.t('admin.frontPage.noSections')}</p> : null}
        {screen.sections.map(({ section, lead, candidates }) => {
          const choices =
            lead && !candidates.some((c) => c.id === lead.story.id) ? [lead.story, ...candidates] : candidates;
          return (
            <form method="post" action={`${base}/sections`} class="stack front-page-section">
              <Csrf admin={admin} />
              <input type="hidden" name="sectionId" value={section.id} />
              <label for={`section-${section.id}`}>{section.name}</label>
              <select id={`section-${section.id}`} name="id">
                <option value="">{t.t('admin.frontPage.sectionNewest')}</option>
                {choices.map((story) => (
                  <option value={story.id} selected={story.id === lead?.story.id}>
                    {story.headline}
                  </option>
                ))}
              </select>
              {lead && !lead.shown ? <p class="front-page-help">{skippedText(admin, lead)}</p> : null}
              <div>
                <button type="submit">{t.t('admin.save')}</button>
              </div>
            </form>
          );
        })}
      </section>
    </AdminLayout>
  );
}

function skippedText(admin: AdminContext, pick: PickView): string {
  const { t } = admin;
  return pick.story.deletedAt
    ? t.t('admin.frontPage.skippedTrash')
    : t.t('admin.frontPage.skipped', { status: t.t(`admin.status.${pick.status}`) });
}

/** A pinned story: its headline (to its editor), and whether readers see it now or the page skips it. */
function Pick({ admin, pick }: { admin: AdminContext; pick: PickView }) {
  const { t } = admin;
  return (
    <div class="front-page-story">
      <a href={`/admin/stories/${pick.story.id}`}>{pick.story.headline}</a>{' '}
      {pick.shown ? (
        <span class="status status--published">{t.t('admin.frontPage.shown')}</span>
      ) : (
        <span class="status status--deleted">{skippedText(admin, pick)}</span>
      )}
    </div>
  );
}
