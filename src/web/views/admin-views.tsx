import type { ComponentChildren } from 'preact';
import type { Author, Taxon } from '../../domain/articles/article.js';
import { isEmbargoed } from '../../domain/articles/article.js';
import type { NewsroomRow } from '../../domain/articles/story-list.js';
import type { ReviewState } from '../../domain/articles/story-review.js';
import type { MessageKey, Translator } from '../../domain/i18n/translator.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import type { Role } from '../../domain/staff/roles.js';
import { hasPermission } from '../../domain/staff/roles.js';
import type { StaffUser } from '../../domain/staff/staff-service.js';

/** What every admin page needs: the member (null on sign-in pages), their CSRF token, assets. */
export interface AdminContext {
  t: Translator;
  siteName: string;
  languages: readonly string[];
  assets: { css: string; js: string; icon: string };
  user: StaffUser | null;
  csrfToken: string;
  /** Stories waiting for an editor (issue 14), shown in the navigation; null for people who do not review. */
  toReview?: number | null;
}

export const roleKey = (role: Role) => `admin.role.${role}` as MessageKey;

/** The hidden field every state-changing admin form carries. */
export function Csrf({ admin }: { admin: AdminContext }) {
  return <input type="hidden" name="_csrf" value={admin.csrfToken} />;
}

export function AdminLayout({
  admin,
  title,
  children,
  scripts = [],
}: {
  admin: AdminContext;
  title: string;
  children: ComponentChildren;
  /** Page scripts (hashed asset URLs) beside admin.js; CSP allows no inline script. */
  scripts?: string[];
}) {
  const { t, user } = admin;
  return (
    <html lang={t.language} dir={t.direction}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} — ${t.t('admin.title')} — ${admin.siteName}`}</title>
        <link rel="icon" href={admin.assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={admin.assets.css} />
        <script type="module" src={admin.assets.js} />
        {scripts.filter(Boolean).map((src) => (
          <script type="module" src={src} />
        ))}
      </head>
      <body class="admin">
        <header class="admin-header">
          <a class="admin-brand" href="/admin">
            {admin.siteName} · {t.t('admin.title')}
          </a>
          {user ? (
            <nav aria-label={t.t('admin.nav')}>
              <ul>
                <li>
                  <a href="/admin/stories">{t.t('admin.stories')}</a>
                </li>
                {typeof admin.toReview === 'number' ? (
                  <li>
                    <a href="/admin/stories?view=review" id="nav-to-review">
                      {t.t('admin.review.nav')}{' '}
                      <span class="count" data-count={String(admin.toReview)}>
                        {t.number(admin.toReview)}
                      </span>
                    </a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'media.upload') ? (
                  <li>
                    <a href="/admin/media">{t.t('admin.media')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'wire.read') ? (
                  <li>
                    <a href="/admin/wire">{t.t('admin.wire.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'frontpage.manage') ? (
                  <li>
                    <a href="/admin/front-page">{t.t('admin.frontPage.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'taxonomy.manage') ? (
                  <>
                    <li>
                      <a href="/admin/sections">{t.t('admin.sections')}</a>
                    </li>
                    <li>
                      <a href="/admin/tags">{t.t('admin.tags')}</a>
                    </li>
                  </>
                ) : null}
                {hasPermission(user.role, 'authors.manage') || user.authorId ? (
                  <li>
                    <a href="/admin/authors">{t.t('admin.authors')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'newsletter.manage') ? (
                  <li>
                    <a href="/admin/newsletters">{t.t('admin.newsletters')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'members.manage') ? (
                  <li>
                    <a href="/admin/members">{t.t('admin.members.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'staff.manage') ? (
                  <li>
                    <a href="/admin/staff">{t.t('admin.staff')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'integrations.manage') ? (
                  <li>
                    <a href="/admin/integrations">{t.t('admin.integrations.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'pages.manage') ? (
                  <li>
                    <a href="/admin/pages">{t.t('admin.pages.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'settings.manage') ? (
                  <li>
                    <a href="/admin/settings">{t.t('admin.settings.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'site.export') ? (
                  <li>
                    <a href="/admin/export">{t.t('export.title')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'site.import') ? (
                  <li>
                    <a href="/admin/import">{t.t('admin.nav.import')}</a>
                  </li>
                ) : null}
                {hasPermission(user.role, 'audit.read') ? (
                  <li>
                    <a href="/admin/audit">{t.t('admin.audit.title')}</a>
                  </li>
                ) : null}
                <li>
                  <a href="/admin/account">{t.t('admin.account.title')}</a>
                </li>
                <li>
                  <a href="/">{t.t('admin.viewSite')}</a>
                </li>
              </ul>
            </nav>
          ) : null}
          {user ? (
            <div class="admin-account">
              <span>{t.t('admin.signedInAs', { name: user.name, role: t.t(roleKey(user.role)) })}</span>
              <form method="post" action="/admin/account/language" class="inline">
                <Csrf admin={admin} />
                <label for="admin-language" class="visually-hidden">
                  {t.t('admin.language')}
                </label>
                <select id="admin-language" name="language">
                  {admin.languages.map((language) => (
                    <option value={language} selected={language === t.language}>
                      {languageAutonym(language)}
                    </option>
                  ))}
                </select>
                <button type="submit">{t.t('admin.save')}</button>
              </form>
              <form method="post" action="/admin/logout" class="inline">
                <Csrf admin={admin} />
                <button type="submit">{t.t('admin.signOut')}</button>
              </form>
              <form method="post" action="/admin/logout-everywhere" class="inline">
                <Csrf admin={admin} />
                <button type="submit">{t.t('admin.signOutEverywhere')}</button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" class="admin-main">
          {children}
        </main>
      </body>
    </html>
  );
}

export function Notice({ kind, children }: { kind: 'error' | 'success' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`notice notice--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/**
 * The card of every page on the signing-in side (setup, invitation, sign-in, forgotten and new
 * password): a title, what went right or wrong, a short text, one form, and a link below.
 */
function AccountFormPage({
  admin,
  title,
  success,
  error,
  intro,
  action,
  submit,
  link,
  children,
}: {
  admin: AdminContext;
  title: string;
  success?: string;
  error?: string;
  intro?: string;
  action: string;
  submit: string;
  link?: { href: string; text: string };
  children: ComponentChildren;
}) {
  return (
    <AdminLayout admin={admin} title={title}>
      <section class="admin-card">
        <h1>{title}</h1>
        {success ? <Notice kind="success">{success}</Notice> : null}
        {error ? <Notice kind="error">{error}</Notice> : null}
        {intro ? <p>{intro}</p> : null}
        <form method="post" action={action} class="stack">
          <Csrf admin={admin} />
          {children}
          <button type="submit" class="primary">
            {submit}
          </button>
        </form>
        {link ? (
          <p>
            <a href={link.href}>{link.text}</a>
          </p>
        ) : null}
      </section>
    </AdminLayout>
  );
}

/** An email address field; `autocomplete` says whether it names an account or a new person. */
function EmailField({
  admin,
  id,
  value,
  autocomplete,
}: {
  admin: AdminContext;
  id: string;
  value: string;
  autocomplete: 'username' | 'email';
}) {
  return (
    <>
      <label for={id}>{admin.t.t('admin.field.email')}</label>
      <input id={id} name="email" type="email" required maxlength={254} autocomplete={autocomplete} value={value} />
    </>
  );
}

/** The owner setup form, the invitation form and the new password form share their shape. */
export function PasswordSetupPage({
  admin,
  mode,
  token,
  error,
  values = {},
}: {
  admin: AdminContext;
  mode: 'setup' | 'invitation' | 'reset';
  token: string;
  error?: string;
  values?: { email?: string; name?: string };
}) {
  const { t } = admin;
  const keys = {
    setup: { title: 'admin.setup.title', intro: 'admin.setup.intro', action: '/admin/setup' },
    invitation: { title: 'admin.invitation.title', intro: 'admin.invitation.intro', action: '/admin/invitation' },
    reset: { title: 'admin.reset.title', intro: 'admin.reset.intro', action: '/admin/password/reset' },
  } as const;
  const { title, intro, action } = keys[mode];
  return (
    <AccountFormPage
      admin={admin}
      title={t.t(title)}
      error={error}
      intro={t.t(intro)}
      action={action}
      submit={t.t(mode === 'setup' ? 'admin.setup.submit' : 'admin.save')}
    >
      <input type="hidden" name="token" value={token} />
      {mode === 'setup' ? (
        <>
          <label for="setup-name">{t.t('admin.field.name')}</label>
          <input id="setup-name" name="name" required maxlength={120} autocomplete="name" value={values.name ?? ''} />
          <EmailField admin={admin} id="setup-email" value={values.email ?? ''} autocomplete="email" />
        </>
      ) : null}
      <label for="setup-password">{t.t('admin.field.password')}</label>
      <input
        id="setup-password"
        name="password"
        type="password"
        required
        minlength={10}
        maxlength={256}
        autocomplete="new-password"
      />
    </AccountFormPage>
  );
}

export function LoginPage({
  admin,
  error,
  email = '',
  next = '',
}: {
  admin: AdminContext;
  error?: string;
  email?: string;
  next?: string;
}) {
  const { t } = admin;
  return (
    <AccountFormPage
      admin={admin}
      title={t.t('admin.login.title')}
      error={error}
      action="/admin/login"
      submit={t.t('admin.login.submit')}
      link={{ href: '/admin/password/forgot', text: t.t('admin.login.forgot') }}
    >
      <input type="hidden" name="next" value={next} />
      <EmailField admin={admin} id="login-email" value={email} autocomplete="username" />
      <label for="login-password">{t.t('admin.field.password')}</label>
      <input
        id="login-password"
        name="password"
        type="password"
        required
        maxlength={256}
        autocomplete="current-password"
      />
    </AccountFormPage>
  );
}

/** "Forgot your password?": the address to send a reset link to, or the same notice for every address. */
export function ForgotPasswordPage({
  admin,
  sent = false,
  error,
  email = '',
}: {
  admin: AdminContext;
  sent?: boolean;
  error?: string;
  email?: string;
}) {
  const { t } = admin;
  return (
    <AccountFormPage
      admin={admin}
      title={t.t('admin.forgot.title')}
      success={sent ? t.t('admin.forgot.sent') : undefined}
      error={error}
      intro={t.t('admin.forgot.intro')}
      action="/admin/password/forgot"
      submit={t.t('admin.forgot.submit')}
      link={{ href: '/admin/login', text: t.t('admin.login.title') }}
    >
      <EmailField admin={admin} id="forgot-email" value={email} autocomplete="username" />
    </AccountFormPage>
  );
}

export function AdminMessagePage({ admin, title, message }: { admin: AdminContext; title: string; message: string }) {
  return (
    <AdminLayout admin={admin} title={title}>
      <section class="admin-card">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/admin">{admin.t.t('admin.title')}</a>
        </p>
      </section>
    </AdminLayout>
  );
}

export function StaffPage({
  admin,
  members,
  assignable,
  notice,
  invitationLink,
  values,
}: {
  admin: AdminContext;
  members: StaffUser[];
  assignable: Role[];
  notice?: { kind: 'error' | 'success' | 'warning'; text: string };
  invitationLink?: string;
  /** What was typed in the invitation form, kept when it is refused. */
  values?: { name: string; email: string; language: string };
}) {
  const { t, user } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.staff')}>
      <h1>{t.t('admin.staff')}</h1>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      {invitationLink ? (
        <p class="invitation-link">
          <code>{invitationLink}</code>
        </p>
      ) : null}
      <table class="admin-table staff-table">
        <thead>
          <tr>
            <th scope="col">{t.t('admin.field.name')}</th>
            <th scope="col">{t.t('admin.field.email')}</th>
            <th scope="col">{t.t('admin.field.role')}</th>
            <th scope="col">
              <span class="visually-hidden">{t.t('admin.staff.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr>
              <td>
                {member.name}
                {member.id === user?.id ? ` (${t.t('admin.staff.you')})` : ''}
                {member.hasPassword ? null : <em> — {t.t('admin.staff.pending')}</em>}
                {member.twoFactor ? <span class="badge">{t.t('admin.staff.twoFactorOn')}</span> : null}
              </td>
              <td>{member.email}</td>
              <td>
                {assignable.includes(member.role) && member.id !== user?.id ? (
                  <form method="post" action={`/admin/staff/${member.id}/role`} class="inline">
                    <Csrf admin={admin} />
                    <label class="visually-hidden" for={`role-${member.id}`}>
                      {t.t('admin.staff.changeRole')}
                    </label>
                    <select id={`role-${member.id}`} name="role">
                      {assignable.map((role) => (
                        <option value={role} selected={role === member.role}>
                          {t.t(roleKey(role))}
                        </option>
                      ))}
                    </select>
                    <button type="submit">{t.t('admin.staff.changeRole')}</button>
                  </form>
                ) : (
                  t.t(roleKey(member.role))
                )}
              </td>
              <td>
                {assignable.includes(member.role) && member.id !== user?.id ? (
                  <div class="staff-actions">
                    {member.hasPassword ? null : (
                      <form method="post" action={`/admin/staff/${member.id}/resend`} class="inline">
                        <Csrf admin={admin} />
                        <button type="submit">{t.t('admin.staff.resend')}</button>
                      </form>
                    )}
                    {member.twoFactor ? (
                      <form method="post" action={`/admin/staff/${member.id}/two-factor-reset`} class="inline">
                        <Csrf admin={admin} />
                        <button type="submit">{t.t('admin.staff.resetTwoFactor')}</button>
                      </form>
                    ) : null}
                    <form method="post" action={`/admin/staff/${member.id}/remove`} class="inline">
                      <Csrf admin={admin} />
                      <button type="submit" class="danger">
                        {t.t('admin.staff.remove')}
                      </button>
                    </form>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {assignable.length > 0 ? (
        <section class="admin-card">
          <h2>{t.t('admin.staff.invite')}</h2>
          <form method="post" action="/admin/staff" class="stack">
            <Csrf admin={admin} />
            <label for="invite-name">{t.t('admin.field.name')}</label>
            <input id="invite-name" name="name" required maxlength={120} value={values?.name ?? ''} />
            <label for="invite-email">{t.t('admin.field.email')}</label>
            <input id="invite-email" name="email" type="email" required maxlength={254} value={values?.email ?? ''} />
            <label for="invite-role">{t.t('admin.field.role')}</label>
            {/* No role is preselected: the inviter chooses one (issue 14). */}
            <select id="invite-role" name="role" required>
              <option value="" selected disabled>
                {t.t('admin.staff.chooseRole')}
              </option>
              {assignable.map((role) => (
                <option value={role}>{t.t(roleKey(role))}</option>
              ))}
            </select>
            <label for="invite-language">{t.t('admin.staff.inviteLanguage')}</label>
            <select id="invite-language" name="language">
              {admin.languages.map((language) => (
                <option value={language} selected={language === (values?.language ?? t.language)}>
                  {languageAutonym(language)}
                </option>
              ))}
            </select>
            <button type="submit" class="primary">
              {t.t('admin.staff.inviteSubmit')}
            </button>
          </form>
        </section>
      ) : null}
    </AdminLayout>
  );
}

export interface StoryListProps {
  admin: AdminContext;
  rows: NewsroomRow[];
  total: number;
  page: number;
  pageCount: number;
  filters: {
    status?: string;
    language?: string;
    q?: string;
    section?: string;
    author?: string;
    translation?: string;
    /** One of the list's views (issue 14): my stories, to review, changes requested, scheduled, out of date. */
    view?: string;
  };
  /** Sections of every language and every byline, for the filters. */
  sections: Taxon[];
  authors: Author[];
  /** The time the list was read at: an embargo that passed is no longer badged. */
  now: Date;
}

/** The label of a review state (issue 14), in the list and the editor. */
export const reviewStateKey = (state: ReviewState) => `admin.review.state.${state}` as MessageKey;

const statusKey = (row: { status: string; deleted: boolean }) =>
  (row.deleted ? 'admin.status.deleted' : `admin.status.${row.status}`) as MessageKey;

/** The newsroom's story list: filters in a GET form, so a filtered list is a link one can share. */
export function StoryListPage({
  admin,
  rows,
  total,
  page,
  pageCount,
  filters,
  sections,
  authors,
  now,
}: StoryListProps) {
  const { t } = admin;
  const query = (n: number) => {
    const params = new URLSearchParams(
      Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])),
    );
    if (n > 1) params.set('page', String(n));
    const text = params.toString();
    return text ? `/admin/stories?${text}` : '/admin/stories';
  };
  return (
    <AdminLayout admin={admin} title={t.t('admin.stories')}>
      <div class="admin-titlebar">
        <h1>{t.t('admin.stories')}</h1>
        <a class="button primary" href="/admin/stories/new">
          {t.t('admin.stories.new')}
        </a>
      </div>
      <nav class="story-views" aria-label={t.t('admin.stories.views')}>
        <ul>
          {([undefined, 'mine', 'review', 'changes', 'scheduled', 'outdated'] as const).map((view) => (
            <li>
              <a
                href={view ? `/admin/stories?view=${view}` : '/admin/stories'}
                aria-current={filters.view === view ? 'page' : undefined}
                data-view={view ?? 'all'}
              >
                {t.t(`admin.stories.view.${view ?? 'all'}`)}
                {view === 'review' && typeof admin.toReview === 'number' ? ` (${t.number(admin.toReview)})` : ''}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/admin/stories" class="filters" aria-label={t.t('admin.stories.filters')}>
        {filters.view ? <input type="hidden" name="view" value={filters.view} /> : null}
        <label>
          {t.t('admin.stories.search')}
          <input type="search" name="q" value={filters.q ?? ''} maxlength={200} />
        </label>
        <label>
          {t.t('admin.stories.status')}
          <select name="status">
            <option value="">{t.t('admin.stories.anyStatus')}</option>
            {(['draft', 'scheduled', 'published', 'deleted'] as const).map((status) => (
              <option value={status} selected={filters.status === status}>
                {t.t(statusKey({ status, deleted: status === 'deleted' }))}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('admin.stories.language')}
          <select name="language">
            <option value="">{t.t('admin.stories.anyLanguage')}</option>
            {admin.languages.map((language) => (
              <option value={language} selected={filters.language === language}>
                {languageAutonym(language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('admin.stories.section')}
          <select name="section">
            <option value="">{t.t('admin.stories.anySection')}</option>
            {admin.languages.map((language) => (
              <optgroup label={languageAutonym(language)}>
                {sections
                  .filter((section) => section.language === language)
                  .map((section) => (
                    <option value={section.id} selected={filters.section === section.id}>
                      {section.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          {t.t('admin.stories.author')}
          <select name="author">
            <option value="">{t.t('admin.stories.anyAuthor')}</option>
            {authors.map((author) => (
              <option value={author.id} selected={filters.author === author.id}>
                {author.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.t('admin.stories.translation')}
          <select name="translation">
            <option value="">{t.t('admin.stories.anyTranslation')}</option>
            <option value="outdated" selected={filters.translation === 'outdated'}>
              {t.t('admin.stories.outdatedOnly')}
            </option>
          </select>
        </label>
        <button type="submit">{t.t('admin.stories.apply')}</button>
      </form>
      <p>{t.t('admin.stories.count', { count: total })}</p>
      {rows.length === 0 ? (
        <p>{t.t('admin.stories.empty')}</p>
      ) : (
        <table class="admin-table story-table">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.stories.headline')}</th>
              <th scope="col">{t.t('admin.stories.language')}</th>
              <th scope="col">{t.t('admin.stories.status')}</th>
              <th scope="col">{t.t('admin.stories.authors')}</th>
              <th scope="col">{t.t('admin.stories.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td>
                  <a href={`/admin/stories/${row.id}`} lang={row.language}>
                    {row.headline}
                  </a>
                </td>
                <td>{row.language}</td>
                <td>
                  <span class={`status status--${row.deleted ? 'deleted' : row.status}`}>{t.t(statusKey(row))}</span>
                  {row.pendingChanges && !row.deleted ? (
                    <>
                      {' '}
                      <span class="badge badge--pending">{t.t('admin.pending.title')}</span>
                    </>
                  ) : null}
                  {row.embargoUntil && isEmbargoed(row.embargoUntil, now) && !row.deleted ? (
                    <>
                      {' '}
                      <span class="badge badge--embargo">
                        {t.t('admin.stories.embargoed', { time: t.dateTime(row.embargoUntil) })}
                      </span>
                    </>
                  ) : null}
                  {row.translationOutOfDate ? (
                    <>
                      {' '}
                      <span class="badge badge--outdated">{t.t('admin.stories.translationOutdated')}</span>
                    </>
                  ) : null}
                  {row.review !== 'none' && !row.deleted ? (
                    <>
                      {' '}
                      <span class={`badge badge--review-${row.review}`} data-review={row.review}>
                        {t.t(reviewStateKey(row.review))}
                      </span>
                    </>
                  ) : null}
                </td>
                <td>{row.authors.map((author) => author.name).join(', ')}</td>
                <td>
                  <time datetime={row.updatedAt.toISOString()}>{t.dateTime(row.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageCount > 1 ? (
        <nav class="pagination" aria-label={t.t('pagination.label')}>
          {page > 1 ? <a href={query(page - 1)}>{t.t('pagination.newer')}</a> : null}
          <span>{t.t('pagination.page', { page, count: pageCount })}</span>
          {page < pageCount ? <a href={query(page + 1)}>{t.t('pagination.older')}</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}
