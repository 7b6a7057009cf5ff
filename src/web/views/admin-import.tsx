import type { MessageKey } from '../../domain/i18n/translator.js';
import { importKinds } from '../../domain/imports/import-ledger.js';
import { type ImportNote, type ImportReport, noteLine } from '../../domain/imports/import-report.js';
import type { ImportRun } from '../../domain/imports/import-runs.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

/** A refused upload: the error's message, and what says more (why a file is broken, and where). */
export interface ImportNotice {
  code: string;
  values: Record<string, string | number>;
  more: MessageKey[];
}

const statusKey = (run: ImportRun) => `admin.import.status.${run.status}` as MessageKey;

/** Admin → Import: the upload form and the recent imports. */
export function ImportPage({ admin, runs, notice }: { admin: AdminContext; runs: ImportRun[]; notice?: ImportNotice }) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.import.title')}>
      <h1>{t.t('admin.import.title')}</h1>
      {notice ? (
        <Notice kind="error">
          {[
            t.t(`error.${notice.code}` as MessageKey, notice.values),
            ...notice.more.map((key) => t.t(key, notice.values)),
          ].join(' ')}
        </Notice>
      ) : null}
      <p>{t.t('admin.import.intro')}</p>
      <form method="post" action="/admin/import/wordpress" enctype="multipart/form-data" class="import-upload">
        <Csrf admin={admin} />
        <label for="import-file">{t.t('admin.import.file')}</label>
        <input id="import-file" type="file" name="file" accept=".xml,application/xml,text/xml" required />
        <button type="submit">{t.t('admin.import.submit')}</button>
      </form>
      <h2>{t.t('admin.import.recent')}</h2>
      {runs.length === 0 ? (
        <p>{t.t('admin.import.none')}</p>
      ) : (
        <table class="import-runs">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.import.fileName')}</th>
              <th scope="col">{t.t('admin.import.started')}</th>
              <th scope="col">{t.t('admin.import.statusLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr>
                <td>
                  <a href={`/admin/import/${encodeURIComponent(run.id)}`}>{run.fileName}</a>
                </td>
                <td>{t.dateTime(run.createdAt)}</td>
                <td>{t.t(statusKey(run))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

function Notes({ admin, title, notes }: { admin: AdminContext; title: string; notes: ImportNote[] }) {
  if (notes.length === 0) return null;
  const t = (key: string, values?: Record<string, string | number>) => admin.t.t(key as MessageKey, values);
  return (
    <section>
      <h2>{title}</h2>
      <ul class="import-notes">
        {notes.map((note) => (
          <li>{noteLine(note, t)}</li>
        ))}
      </ul>
    </section>
  );
}

function ReportView({ admin, report }: { admin: AdminContext; report: ImportReport }) {
  const { t } = admin;
  return (
    <>
      <table class="import-counts">
        <thead>
          <tr>
            <th scope="col">{t.t('admin.import.kind')}</th>
            {(['created', 'updated', 'unchanged', 'skipped'] as const).map((outcome) => (
              <th scope="col">{t.t(`admin.import.outcome.${outcome}` as MessageKey)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {importKinds
            .filter((kind) => Object.values(report.counts[kind]).some((n) => n > 0))
            .map((kind) => (
              <tr>
                <th scope="row">{t.t(`import.kind.${kind}` as MessageKey)}</th>
                {(['created', 'updated', 'unchanged', 'skipped'] as const).map((outcome) => (
                  <td>{t.number(report.counts[kind][outcome])}</td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
      {Object.entries(report.notImported).map(([name, count]) => (
        <p>{t.t(`import.notImported.${name}` as MessageKey, { count })}</p>
      ))}
      <Notes
        admin={admin}
        title={t.t('import.report.needsHuman', { count: report.needsHuman.length })}
        notes={report.needsHuman}
      />
      <Notes
        admin={admin}
        title={t.t('import.report.skipped', { count: report.skipped.length })}
        notes={report.skipped}
      />
    </>
  );
}

/** One import: its progress while it runs (the page reloads itself), then its report. */
export function ImportRunPage({ admin, run }: { admin: AdminContext; run: ImportRun }) {
  const { t } = admin;
  const working = run.status === 'queued' || run.status === 'running';
  return (
    <AdminLayout admin={admin} title={t.t('admin.import.runTitle', { file: run.fileName })}>
      {/* A refresh, not a script: the admin's CSP runs none inline, and this page needs none. */}
      {working ? <meta http-equiv="refresh" content="2" /> : null}
      <p>
        <a href="/admin/import">{t.t('admin.import.back')}</a>
      </p>
      <h1>{t.t('admin.import.runTitle', { file: run.fileName })}</h1>
      <p class="import-status">{t.t(statusKey(run))}</p>
      {working ? (
        <p>
          <progress max={Math.max(run.total, 1)} value={run.done}>
            {t.t('admin.import.progress', { done: run.done, total: run.total })}
          </progress>{' '}
          {t.t('admin.import.progress', { done: run.done, total: run.total })}
        </p>
      ) : null}
      {run.status === 'failed' && run.errorCode ? (
        <Notice kind="error">{t.t(`error.${run.errorCode}` as MessageKey)}</Notice>
      ) : null}
      {run.report && !working ? <ReportView admin={admin} report={run.report} /> : null}
    </AdminLayout>
  );
}
