import type { AuthorProfile } from '../../domain/articles/author-profile-editor.js';
import type { ListingTaxonomyKind } from '../../domain/articles/taxonomy-editor.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import type { LibraryImage } from '../../domain/media/media-library.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';
import { paths } from './site-context.js';

/** A section or tag as the management screens list it. */
export interface TaxonRow {
  id: string;
  language: string;
  slug: string;
  name: string;
  description: string;
  stories: number;
}

const plural = { section: 'sections', tag: 'tags' } as const;
const titleKey = { section: 'admin.sections', tag: 'admin.tags' } as const;

/** Admin → Sections or Tags: one language at a time, with story counts and (sections) the menu order. */
export function TaxonomyListPage({
  admin,
  kind,
  language,
  rows,
  done,
}: {
  admin: AdminContext;
  kind: ListingTaxonomyKind;
  language: string;
  rows: TaxonRow[];
  done?: 'saved' | 'merged' | 'moved';
}) {
  const { t } = admin;
  const base = `/admin/${plural[kind]}`;
  return (
    <AdminLayout admin={admin} title={t.t(titleKey[kind])}>
      <h1>{t.t(titleKey[kind])}</h1>
      {done === 'merged' ? <Notice kind="success">{t.t('admin.taxonomy.merged')}</Notice> : null}
      {done === 'moved' ? <Notice kind="success">{t.t('admin.taxonomy.moved')}</Notice> : null}
      <p>{t.t(kind === 'section' ? 'admin.taxonomy.intro.section' : 'admin.taxonomy.intro.tag')}</p>
      <form method="get" action={base} class="filters">
        <label>
          {t.t('admin.taxonomy.language')}{' '}
          <select name="language">
            {admin.languages.map((option) => (
              <option value={option} selected={option === language}>
                {languageAutonym(option)}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">{t.t('admin.taxonomy.show')}</button>
      </form>
      {rows.length === 0 ? (
        <p>{t.t(kind === 'section' ? 'admin.taxonomy.empty.section' : 'admin.taxonomy.empty.tag')}</p>
      ) : (
        <table class="admin-table taxonomy-table" lang={language}>
          <thead>
            <tr>
              <th scope="col">{t.t('admin.taxonomy.name')}</th>
              <th scope="col">{t.t('admin.taxonomy.stories')}</th>
              {kind === 'section' ? <th scope="col">{t.t('admin.taxonomy.menuOrder')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr id={row.id}>
                <td>
                  <a href={`${base}/${encodeURIComponent(row.id)}`}>{row.name}</a>
                  <br />
                  <small dir="ltr">{paths[kind](row.language, row.slug)}</small>
                </td>
                <td lang={t.language}>{t.t('admin.taxonomy.storyCount', { count: row.stories })}</td>
                {kind === 'section' ? (
                  <td lang={t.language}>
                    <span class="taxonomy-move">
                      <form method="post" action={`${base}/${encodeURIComponent(row.id)}/move`} class="inline">
                        <Csrf admin={admin} />
                        <input type="hidden" name="direction" value="up" />
                        <button
                          type="submit"
                          disabled={index === 0}
                          aria-label={t.t('admin.taxonomy.upLabel', { name: row.name })}
                        >
                          ↑ {t.t('admin.taxonomy.up')}
                        </button>
                      </form>
                      <form method="post" action={`${base}/${encodeURIComponent(row.id)}/move`} class="inline">
                        <Csrf admin={admin} />
                        <input type="hidden" name="direction" value="down" />
                        <button
                          type="submit"
                          disabled={index === rows.length - 1}
                          aria-label={t.t('admin.taxonomy.downLabel', { name: row.name })}
                        >
                          ↓ {t.t('admin.taxonomy.down')}
                        </button>
                      </form>
                    </span>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

/** One section or tag: rename, describe, merge into another of its language. */
export function TaxonPage({
  admin,
  kind,
  taxon,
  others,
  notice,
}: {
  admin: AdminContext;
  kind: ListingTaxonomyKind;
  taxon: TaxonRow;
  others: TaxonRow[];
  notice?: { kind: 'error' | 'success'; text: string };
}) {
  const { t } = admin;
  const base = `/admin/${plural[kind]}`;
  const id = encodeURIComponent(taxon.id);
  return (
    <AdminLayout admin={admin} title={taxon.name}>
      <p>
        <a href={`${base}?language=${encodeURIComponent(taxon.language)}`}>
          {t.t(kind === 'section' ? 'admin.taxonomy.back.section' : 'admin.taxonomy.back.tag')}
        </a>
      </p>
      <h1 lang={taxon.language}>{taxon.name}</h1>
      <p>
        {languageAutonym(taxon.language)} · {t.t('admin.taxonomy.storyCount', { count: taxon.stories })} ·{' '}
        <a href={paths[kind](taxon.language, taxon.slug)}>{t.t('admin.taxonomy.view')}</a>
      </p>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <form method="post" action={`${base}/${id}`} class="stack admin-card">
        <Csrf admin={admin} />
        <label for="taxon-name">{t.t('admin.taxonomy.name')}</label>
        <input id="taxon-name" name="name" value={taxon.name} required maxlength={100} lang={taxon.language} />
        <label for="taxon-slug">{t.t('admin.taxonomy.slug')}</label>
        <input id="taxon-slug" name="slug" value={taxon.slug} maxlength={100} dir="ltr" aria-describedby="slug-hint" />
        <small id="slug-hint">{t.t('admin.taxonomy.slugHint')}</small>
        <label for="taxon-description">{t.t('admin.taxonomy.description')}</label>
        <textarea
          id="taxon-description"
          name="description"
          rows={4}
          maxlength={1000}
          lang={taxon.language}
          aria-describedby="description-hint"
        >
          {taxon.description}
        </textarea>
        <small id="description-hint">{t.t('admin.taxonomy.descriptionHint')}</small>
        <p>
          <button type="submit" class="primary">
            {t.t('admin.save')}
          </button>
        </p>
      </form>
      <section class="admin-card" aria-labelledby="merge-title">
        <h2 id="merge-title">{t.t('admin.taxonomy.merge.title')}</h2>
        {others.length === 0 ? (
          <p>{t.t('admin.taxonomy.merge.none')}</p>
        ) : (
          <form method="post" action={`${base}/${id}/merge`} class="stack">
            <Csrf admin={admin} />
            <p>{t.t('admin.taxonomy.merge.hint')}</p>
            <label for="merge-into">{t.t('admin.taxonomy.merge.into')}</label>
            <select id="merge-into" name="into" lang={taxon.language}>
              {others.map((other) => (
                <option value={other.id}>
                  {other.name} ({other.stories})
                </option>
              ))}
            </select>
            <p>
              <button type="submit" class="danger">
                {t.t('admin.taxonomy.merge.submit')}
              </button>
            </p>
          </form>
        )}
      </section>
    </AdminLayout>
  );
}

/** Admin → Authors: every author for editors and up, one's own for the others. */
export function AuthorsPage({
  admin,
  rows,
}: {
  admin: AdminContext;
  rows: { id: string; slug: string; name: string; stories: number }[];
}) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.authors')}>
      <h1>{t.t('admin.authors')}</h1>
      <p>{t.t('admin.authors.intro')}</p>
      {rows.length === 0 ? (
        <p>{t.t('admin.authors.empty')}</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.taxonomy.name')}</th>
              <th scope="col">{t.t('admin.taxonomy.stories')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td>
                  <a href={`/admin/authors/${encodeURIComponent(row.id)}`}>{row.name}</a>
                </td>
                <td>{t.t('admin.taxonomy.storyCount', { count: row.stories })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

/** One author's profile: photo from the media library, links, title and bio per language. */
export function AuthorProfilePage({
  admin,
  profile,
  images,
  notice,
  typed,
}: {
  admin: AdminContext;
  profile: AuthorProfile & { name: string; slug: string };
  images: LibraryImage[];
  notice?: { kind: 'error' | 'success'; text: string };
  /** What was typed, when the form comes back refused. */
  typed?: { imageId: string; links: string; languages: Record<string, { jobTitle?: string; bio?: string }> };
}) {
  const { t } = admin;
  const chosen = typed ? typed.imageId : (profile.imageId ?? '');
  const links = typed ? typed.links : profile.links.join('\n');
  return (
    <AdminLayout admin={admin} title={profile.name}>
      <p>
        <a href="/admin/authors">{t.t('admin.authors.back')}</a>
      </p>
      <h1>{profile.name}</h1>
      <p>
        <a href={paths.author(t.language, profile.slug)}>{t.t('admin.authors.viewPage')}</a>
      </p>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <form method="post" action={`/admin/authors/${encodeURIComponent(profile.authorId)}`} class="stack">
        <Csrf admin={admin} />
        <fieldset class="admin-card author-photos">
          <legend>{t.t('admin.authors.photo')}</legend>
          <p>
            {t.t('admin.authors.photoHint')} <a href="/admin/media">{t.t('admin.authors.openMedia')}</a>
          </p>
          <ul class="author-photo-grid">
            <li>
              <label>
                <input type="radio" name="imageId" value="" checked={chosen === ''} /> {t.t('admin.authors.noPhoto')}
              </label>
            </li>
            {images.map((image) => (
              <li>
                <label>
                  <input type="radio" name="imageId" value={image.id} checked={chosen === image.id} />
                  <img
                    src={`/media/${image.id}/320.webp`}
                    alt={image.alt || image.fileName}
                    width={96}
                    height={Math.max(1, Math.round((96 * image.height) / Math.max(1, image.width)))}
                    loading="lazy"
                  />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        {admin.languages.map((language) => {
          const values = typed?.languages[language] ?? profile.languages[language] ?? { jobTitle: '', bio: '' };
          return (
            <fieldset class="admin-card stack" lang={language}>
              <legend>{languageAutonym(language)}</legend>
              <small lang={t.language}>
                {t.t('admin.authors.languageHint', { language: languageAutonym(language) })}
              </small>
              <label for={`jobTitle-${language}`} lang={t.language}>
                {t.t('admin.authors.jobTitle')}
              </label>
              <input
                id={`jobTitle-${language}`}
                name={`jobTitle.${language}`}
                value={values.jobTitle ?? ''}
                maxlength={200}
                dir="auto"
              />
              <label for={`bio-${language}`} lang={t.language}>
                {t.t('admin.authors.bio')}
              </label>
              <textarea id={`bio-${language}`} name={`bio.${language}`} rows={4} maxlength={2000} dir="auto">
                {values.bio ?? ''}
              </textarea>
            </fieldset>
          );
        })}
        <div class="admin-card stack">
          <label for="author-links">{t.t('admin.authors.links')}</label>
          <textarea id="author-links" name="links" rows={4} dir="ltr" aria-describedby="links-hint">
            {links}
          </textarea>
          <small id="links-hint">{t.t('admin.authors.linksHint')}</small>
        </div>
        <p>
          <button type="submit" class="primary">
            {t.t('admin.save')}
          </button>
        </p>
      </form>
    </AdminLayout>
  );
}
