import type { NewsroomRow } from '../../domain/articles/story-list.js';
import type { MessageKey } from '../../domain/i18n/translator.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import type { SendReport } from '../../domain/newsletter/newsletter.js';
import type { ListSummary } from '../../domain/newsletter/newsletter-service.js';
import { hasPermission } from '../../domain/staff/roles.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

export type AdminNotice = { kind: 'error' | 'success'; text: string };

const kindKey = (kind: string) => `admin.newsletters.kind.${kind}` as MessageKey;
const sendStatusKey = (status: string) => `admin.newsletters.status.${status}` as MessageKey;

/** The newsletters: lists (and a form for a new one), stories to send, and what was sent. */
export function NewslettersPage({
  admin,
  lists,
  sends,
  stories,
  notice,
}: {
  admin: AdminContext;
  lists: ListSummary[];
  sends: SendReport[];
  stories: NewsroomRow[];
  notice?: AdminNotice;
}) {
  const { t, user } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.newsletters')}>
      <div class="admin-titlebar">
        <h1>{t.t('admin.newsletters')}</h1>
        {user && hasPermission(user.role, 'subscribers.export') ? (
          <a class="button" href="/admin/subscribers">
            {t.t('admin.newsletters.subscribers')}
          </a>
        ) : null}
      </div>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <table class="admin-table">
        <thead>
          <tr>
            <th scope="col">{t.t('admin.newsletters.name')}</th>
            <th scope="col">{t.t('admin.stories.language')}</th>
            <th scope="col">{t.t('admin.newsletters.confirmed')}</th>
            <th scope="col">{t.t('admin.newsletters.pending')}</th>
            <th scope="col">{t.t('admin.newsletters.digestTime')}</th>
          </tr>
        </thead>
        <tbody>
          {lists.map((list) => (
            <tr>
              <td>
                {list.name}
                {list.isDefault ? <em> — {t.t('admin.newsletters.default')}</em> : null}
              </td>
              <td>{languageAutonym(list.language)}</td>
              <td>{t.number(list.confirmed)}</td>
              <td>{t.number(list.pending)}</td>
              <td>{list.digestTime}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <section class="admin-card">
        <h2>{t.t('admin.newsletters.create')}</h2>
        <form method="post" action="/admin/newsletters/lists" class="stack">
          <Csrf admin={admin} />
          <label for="list-name">{t.t('admin.newsletters.name')}</label>
          <input id="list-name" name="name" required maxlength={80} />
          <label for="list-language">{t.t('admin.stories.language')}</label>
          <select id="list-language" name="language">
            {admin.languages.map((language) => (
              <option value={language} selected={language === t.language}>
                {languageAutonym(language)}
              </option>
            ))}
          </select>
          <label for="list-digest">{t.t('admin.newsletters.digestTime')}</label>
          <input id="list-digest" name="digestTime" type="time" value="07:00" required />
          <button type="submit" class="primary">
            {t.t('admin.newsletters.createSubmit')}
          </button>
        </form>
      </section>

      <section class="admin-card">
        <h2>{t.t('admin.newsletters.recentStories')}</h2>
        {stories.length === 0 ? (
          <p>{t.t('admin.stories.empty')}</p>
        ) : (
          <ul>
            {stories.map((story) => (
              <li>
                <span lang={story.language}>{story.headline}</span> —{' '}
                <a href={`/admin/stories/${story.id}/newsletter`}>{t.t('admin.newsletters.sendLink')}</a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <h2>{t.t('admin.newsletters.sends')}</h2>
      {sends.length === 0 ? (
        <p>{t.t('admin.newsletters.noSends')}</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.newsletters.when')}</th>
              <th scope="col">{t.t('admin.newsletters.list')}</th>
              <th scope="col">{t.t('admin.newsletters.stories')}</th>
              <th scope="col">{t.t('admin.stories.status')}</th>
            </tr>
          </thead>
          <tbody>
            {sends.map(({ send, listName, headlines, counts }) => (
              <tr>
                <td>
                  <time datetime={send.createdAt.toISOString()}>{t.dateTime(send.createdAt)}</time>
                </td>
                <td>
                  {listName} ({t.t(kindKey(send.kind))})
                </td>
                <td>{headlines.join(' · ')}</td>
                <td>
                  {t.t(sendStatusKey(send.status))}
                  <br />
                  {t.t('admin.newsletters.counts', {
                    sent: counts.sent,
                    bounced: counts.bounced,
                    failed: counts.failed + counts.deferred,
                    inDoubt: counts.sending,
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

/** "Send to newsletter" for one story: which list, now or in the next digest. */
export function SendStoryPage({
  admin,
  story,
  lists,
  notice,
}: {
  admin: AdminContext;
  story: { id: string; headline: string; language: string };
  lists: ListSummary[];
  notice?: AdminNotice;
}) {
  const { t } = admin;
  const title = t.t('admin.newsletters.sendTitle', { headline: story.headline });
  return (
    <AdminLayout admin={admin} title={title}>
      <h1>{title}</h1>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      {lists.length === 0 ? (
        <p>{t.t('admin.newsletters.noList')}</p>
      ) : (
        <form method="post" action={`/admin/stories/${story.id}/newsletter`} class="stack admin-card">
          <Csrf admin={admin} />
          <label for="send-list">{t.t('admin.newsletters.list')}</label>
          <select id="send-list" name="listId">
            {lists.map((list) => (
              <option value={list.id}>
                {list.name} ({t.number(list.confirmed)})
              </option>
            ))}
          </select>
          <fieldset>
            <legend class="visually-hidden">{t.t('admin.newsletters.sendSubmit')}</legend>
            <label>
              <input type="radio" name="mode" value="now" checked /> {t.t('admin.newsletters.modeNow')}
            </label>
            <label>
              <input type="radio" name="mode" value="digest" /> {t.t('admin.newsletters.modeDigest')}
            </label>
          </fieldset>
          <button type="submit" class="primary">
            {t.t('admin.newsletters.sendSubmit')}
          </button>
        </form>
      )}
    </AdminLayout>
  );
}

/** Look up one subscriber by address and export what is kept about them. */
export function SubscriberLookupPage({
  admin,
  email,
  found,
  notice,
}: {
  admin: AdminContext;
  email: string;
  found: boolean;
  notice?: AdminNotice;
}) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.newsletters.subscribers')}>
      <h1>{t.t('admin.newsletters.subscribers')}</h1>
      <p>{t.t('admin.newsletters.exportHint')}</p>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <form method="get" action="/admin/subscribers" class="filters">
        <label>
          {t.t('admin.newsletters.lookup')}
          <input type="email" name="email" value={email} maxlength={254} required />
        </label>
        <button type="submit">{t.t('admin.stories.apply')}</button>
      </form>
      {found ? (
        <p>
          <a class="button primary" href={`/admin/subscribers/export?email=${encodeURIComponent(email)}`}>
            {t.t('admin.newsletters.export')}
          </a>
        </p>
      ) : null}
    </AdminLayout>
  );
}
