import { languageAutonym } from '../../domain/i18n/translator.js';
import type { StaticPage, StaticPageInput } from '../../domain/pages/static-pages.js';
import { type AdminContext, AdminLayout, Csrf } from './admin-views.js';
import { paths } from './site-context.js';

/** Admin → Pages: every static page, by language, with its address (decision 0059). */
export function PageList({ admin, pages }: { admin: AdminContext; pages: StaticPage[] }) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.pages.title')}>
      <h1>{t.t('admin.pages.title')}</h1>
      <p>{t.t('admin.pages.intro')}</p>
      <p>
        <a class="button" href="/admin/pages/new">
          {t.t('admin.pages.new')}
        </a>
      </p>
      {pages.length === 0 ? (
        <p>{t.t('admin.pages.empty')}</p>
      ) : (
        <ul class="admin-list">
          {pages.map((page) => (
            <li>
              <a href={`/admin/pages/${page.id}`} lang={page.language}>
                {page.title}
              </a>{' '}
              <span class="badge">{languageAutonym(page.language)}</span>{' '}
              <code>{paths.staticPage(page.language, page.slug)}</code>
            </li>
          ))}
        </ul>
      )}
    </AdminLayout>
  );
}

export function PageEditor({
  admin,
  id,
  input,
  languages,
  others,
  error,
}: {
  admin: AdminContext;
  id: string | null;
  input: StaticPageInput;
  languages: readonly string[];
  others: StaticPage[];
  error: string | null;
}) {
  const { t } = admin;
  const title = id ? t.t('admin.pages.edit') : t.t('admin.pages.new');
  return (
    <AdminLayout admin={admin} title={title}>
      <h1>{title}</h1>
      {error ? (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action={id ? `/admin/pages/${id}` : '/admin/pages'} class="settings-form">
        <Csrf admin={admin} />
        <p class="field">
          <label for="page-language">{t.t('admin.pages.language')}</label>
          <select id="page-language" name="language">
            {languages.map((language) => (
              <option value={language} selected={language === input.language}>
                {languageAutonym(language)}
              </option>
            ))}
          </select>
        </p>
        <p class="field">
          <label for="page-title">{t.t('admin.pages.pageTitle')}</label>
          <input id="page-title" name="title" value={input.title} maxlength={200} required />
        </p>
        <p class="field">
          <label for="page-slug">{t.t('admin.pages.slug')}</label>
          <input
            id="page-slug"
            name="slug"
            value={input.slug}
            maxlength={80}
            required
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
          />
          <span class="help">{t.t('admin.pages.slugHelp')}</span>
        </p>
        <p class="field">
          <label for="page-description">{t.t('admin.pages.description')}</label>
          <input id="page-description" name="description" value={input.description ?? ''} maxlength={300} />
        </p>
        <p class="field">
          <label for="page-translation">{t.t('admin.pages.translationOf')}</label>
          <select id="page-translation" name="translationOf">
            <option value="">{t.t('admin.pages.ownPage')}</option>
            {others.map((other) => (
              <option value={other.id} selected={other.id === input.translationOf}>
                {`${other.title} (${languageAutonym(other.language)})`}
              </option>
            ))}
          </select>
        </p>
        <p class="field">
          <label for="page-body">{t.t('admin.pages.body')}</label>
          <textarea id="page-body" name="bodyMarkdown" rows={18}>
            {input.bodyMarkdown}
          </textarea>
        </p>
        <p>
          <button type="submit">{t.t('admin.save')}</button>
        </p>
      </form>
      {id ? (
        <>
          <p>
            <a href={paths.staticPage(input.language, input.slug)}>{t.t('admin.pages.view')}</a>
            {' · '}
            <a href={`/admin/pages/new?translationOf=${id}`}>{t.t('admin.pages.translate')}</a>
          </p>
          <form method="post" action={`/admin/pages/${id}/delete`} class="inline">
            <Csrf admin={admin} />
            <button type="submit" class="button--danger">
              {t.t('admin.pages.delete')}
            </button>
          </form>
        </>
      ) : null}
    </AdminLayout>
  );
}
