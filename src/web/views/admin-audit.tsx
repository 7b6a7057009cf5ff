import { describeAuditActor, describeAuditEntry, type StoredAuditEntry } from '../../domain/audit/audit-trail.js';
import { type AdminContext, AdminLayout } from './admin-views.js';

/** Admin → Audit log: newest first, in the reader's language, filtered by person, paged. */
export function AuditLogPage({
  admin,
  entries,
  actors,
  actorId,
  page,
  pageCount,
  total,
}: {
  admin: AdminContext;
  entries: StoredAuditEntry[];
  actors: { id: string; name: string }[];
  actorId: string | undefined;
  page: number;
  pageCount: number;
  total: number;
}) {
  const { t } = admin;
  const link = (to: number) => {
    const query = new URLSearchParams();
    if (actorId) query.set('actor', actorId);
    if (to > 1) query.set('page', String(to));
    const text = query.toString();
    return text ? `/admin/audit?${text}` : '/admin/audit';
  };
  return (
    <AdminLayout admin={admin} title={t.t('admin.audit.title')}>
      <h1>{t.t('admin.audit.title')}</h1>
      <p>{t.t('admin.audit.intro')}</p>
      <form method="get" action="/admin/audit" class="inline audit-filter">
        <label for="audit-actor">{t.t('admin.audit.person')}</label>
        <select id="audit-actor" name="actor">
          <option value="">{t.t('admin.audit.everyone')}</option>
          {actors.map((actor) => (
            <option value={actor.id} selected={actor.id === actorId}>
              {actor.name}
            </option>
          ))}
        </select>
        <button type="submit">{t.t('admin.audit.filter')}</button>
      </form>
      <p>{t.t('admin.audit.count', { count: total })}</p>
      {entries.length === 0 ? (
        <p>{t.t('admin.audit.empty')}</p>
      ) : (
        <ol class="audit-log">
          {entries.map((entry) => (
            <li>
              <p class="audit-meta">
                <time dateTime={entry.at.toISOString()}>{t.dateTime(entry.at)}</time>
                {' · '}
                <strong>{describeAuditActor(t, entry.actor)}</strong>
              </p>
              <p>{describeAuditEntry(t, entry)}</p>
            </li>
          ))}
        </ol>
      )}
      {pageCount > 1 ? (
        <nav class="pagination" aria-label={t.t('pagination.label')}>
          {page > 1 ? <a href={link(page - 1)}>{t.t('admin.audit.newer')}</a> : null}
          <span>{t.t('pagination.page', { page, count: pageCount })}</span>
          {page < pageCount ? <a href={link(page + 1)}>{t.t('admin.audit.older')}</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}
