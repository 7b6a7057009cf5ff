import { languageAutonym } from '../../domain/i18n/translator.js';
import {
  type Member,
  type MemberStatus,
  memberStatuses,
  statusOf,
  tierOf,
  tiers,
} from '../../domain/members/member.js';
import type { AuditEntry, MemberListItem } from '../../domain/members/member-service.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

export interface MemberFilters {
  status?: MemberStatus;
  tier?: 'free' | 'paid';
  newsletter?: 'yes' | 'no';
  language?: string;
  q?: string;
}

/** The filters as a query string, for the CSV link and paging. */
export function filterQuery(filters: MemberFilters, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const statusKey = (status: MemberStatus) => `member.status.${status}` as const;

export function MembersPage({
  admin,
  rows,
  total,
  page,
  pageCount,
  filters,
  now,
}: {
  admin: AdminContext;
  rows: MemberListItem[];
  total: number;
  page: number;
  pageCount: number;
  filters: MemberFilters;
  now: Date;
}) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.members.title')}>
      <h1>{t.t('admin.members.title')}</h1>
      <form method="get" action="/admin/members" class="filters">
        <label>
          {t.t('admin.members.search')} <input type="search" name="q" value={filters.q ?? ''} maxlength={200} />
        </label>{' '}
        <label>
          {t.t('admin.members.status')}{' '}
          <select name="status">
            <option value="">{t.t('admin.members.any')}</option>
            {memberStatuses.map((status) => (
              <option value={status} selected={filters.status === status}>
                {t.t(statusKey(status))}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t.t('admin.members.tier')}{' '}
          <select name="tier">
            <option value="">{t.t('admin.members.any')}</option>
            {tiers.map((tier) => (
              <option value={tier} selected={filters.tier === tier}>
                {t.t(`admin.members.tier.${tier}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t.t('admin.members.newsletter')}{' '}
          <select name="newsletter">
            <option value="">{t.t('admin.members.any')}</option>
            <option value="yes" selected={filters.newsletter === 'yes'}>
              {t.t('admin.members.yes')}
            </option>
            <option value="no" selected={filters.newsletter === 'no'}>
              {t.t('admin.members.no')}
            </option>
          </select>
        </label>{' '}
        <label>
          {t.t('admin.members.language')}{' '}
          <select name="language">
            <option value="">{t.t('admin.members.any')}</option>
            {admin.languages.map((language) => (
              <option value={language} selected={filters.language === language}>
                {languageAutonym(language)}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">{t.t('admin.members.filter')}</button>
      </form>
      <p>
        {t.t('admin.members.count', { count: total })} ·{' '}
        <a href={`/admin/members.csv${filterQuery(filters)}`}>{t.t('admin.members.export')}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t.t('admin.members.empty')}</p>
      ) : (
        <table class="members">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.members.email')}</th>
              <th scope="col">{t.t('admin.members.status')}</th>
              <th scope="col">{t.t('admin.members.language')}</th>
              <th scope="col">{t.t('admin.members.newsletter')}</th>
              <th scope="col">{t.t('admin.members.joined')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((member) => (
              <tr>
                <td>
                  <a href={`/admin/members/${encodeURIComponent(member.id)}`}>{member.email}</a>
                </td>
                <td>{t.t(statusKey(statusOf(member, now)))}</td>
                <td>{languageAutonym(member.language)}</td>
                <td>{member.newsletters.join(', ')}</td>
                <td>
                  <time datetime={member.createdAt.toISOString()}>{t.date(member.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageCount > 1 ? (
        <nav class="pagination" aria-label={t.t('pagination.label')}>
          {page > 1 ? <a href={`/admin/members${filterQuery(filters, page - 1)}`}>{t.t('pagination.newer')}</a> : null}
          <span>{t.t('pagination.page', { page, count: pageCount })}</span>
          {page < pageCount ? (
            <a href={`/admin/members${filterQuery(filters, page + 1)}`}>{t.t('pagination.older')}</a>
          ) : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

export function MemberPage({
  admin,
  member,
  history,
  now,
  notice,
}: {
  admin: AdminContext;
  member: Member;
  history: AuditEntry[];
  now: Date;
  notice?: { kind: 'error' | 'success'; text: string };
}) {
  const { t } = admin;
  const id = encodeURIComponent(member.id);
  return (
    <AdminLayout admin={admin} title={member.email}>
      <p>
        <a href="/admin/members">{t.t('admin.members.back')}</a>
      </p>
      <h1>{member.email}</h1>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <dl>
        <dt>{t.t('admin.members.status')}</dt>
        <dd>{t.t(statusKey(statusOf(member, now)))}</dd>
        <dt>{t.t('admin.members.tier')}</dt>
        <dd>{t.t(`admin.members.tier.${tierOf(member, now)}`)}</dd>
        <dt>{t.t('admin.members.language')}</dt>
        <dd>{languageAutonym(member.language)}</dd>
        <dt>{t.t('admin.members.joined')}</dt>
        <dd>{t.dateTime(member.createdAt)}</dd>
        {member.subscription ? (
          <>
            <dt>{t.t('admin.members.subscription')}</dt>
            <dd>
              {t.t(`member.plan.${member.subscription.plan}`)} · <code>{member.subscription.status}</code>
              {member.subscription.currentPeriodEnd ? ` · ${t.date(member.subscription.currentPeriodEnd)}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <h2>{t.t('admin.members.complimentary')}</h2>
      <form method="post" action={`/admin/members/${id}/complimentary`}>
        <Csrf admin={admin} />
        <label>
          {t.t('admin.members.until')} <input type="date" name="until" />
        </label>{' '}
        <span class="hint">{t.t('admin.members.untilHint')}</span>{' '}
        <button type="submit">{t.t('admin.members.grant')}</button>
      </form>
      {member.complimentary ? (
        <form method="post" action={`/admin/members/${id}/complimentary/revoke`}>
          <Csrf admin={admin} />
          <button type="submit">{t.t('admin.members.revoke')}</button>
        </form>
      ) : null}
      <h2>{t.t('admin.members.history')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.t('admin.members.when')}</th>
            <th scope="col">{t.t('admin.members.who')}</th>
            <th scope="col">{t.t('admin.members.what')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((entry) => (
            <tr>
              <td>{t.dateTime(entry.at)}</td>
              <td>
                <code>{entry.actor}</code>
              </td>
              <td>
                <code>{entry.action}</code> {Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}
