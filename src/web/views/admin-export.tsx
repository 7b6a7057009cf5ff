import { type AdminContext, AdminLayout } from './admin-views.js';

/** Admin → Export: what the download holds, what it leaves out, and the link. */
export function ExportPage({ admin }: { admin: AdminContext }) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('export.title')}>
      <section class="admin-card">
        <h1>{t.t('export.title')}</h1>
        <p>{t.t('export.intro')}</p>
        <p>{t.t('export.leftOut')}</p>
        <p>{t.t('export.staffPasswords')}</p>
        <p>{t.t('export.importHow')}</p>
        <p>
          <a class="button" href="/admin/export/download" download>
            {t.t('export.download')}
          </a>
        </p>
      </section>
    </AdminLayout>
  );
}
