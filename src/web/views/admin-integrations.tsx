import type { ComponentChildren } from 'preact';
import type { ErrorCode } from '../../domain/errors.js';
import type { MessageKey } from '../../domain/i18n/translator.js';
import type { Integration, IntegrationKeys } from '../../domain/integrations/integration.js';
import { scopes } from '../../domain/integrations/integration.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

/** A refusal shown at the top of an integrations page: an error code and its values. */
export interface IntegrationNotice {
  code: ErrorCode;
  values?: Record<string, string | number>;
}

const scopeKey = (scope: string) => `admin.integrations.scope.${scope}` as MessageKey;

function State({ admin, integration }: { admin: AdminContext; integration: Integration }) {
  const { t } = admin;
  return integration.revokedAt
    ? t.t('admin.integrations.revokedOn', { date: t.dateTime(integration.revokedAt) })
    : t.t('admin.integrations.active');
}

function NoticeOf({ admin, notice }: { admin: AdminContext; notice?: IntegrationNotice }) {
  if (!notice) return null;
  return <Notice kind="error">{admin.t.t(`error.${notice.code}` as MessageKey, notice.values)}</Notice>;
}

/** Admin → Integrations: the programs that use the APIs, and the form to add one. */
export function IntegrationsPage({
  admin,
  integrations,
  notice,
}: {
  admin: AdminContext;
  integrations: Integration[];
  notice?: IntegrationNotice;
}) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.integrations.title')}>
      <h1>{t.t('admin.integrations.title')}</h1>
      <p>{t.t('admin.integrations.intro')}</p>
      <NoticeOf admin={admin} notice={notice} />
      {integrations.length === 0 ? (
        <p>{t.t('admin.integrations.none')}</p>
      ) : (
        <table class="integrations">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.integrations.name')}</th>
              <th scope="col">{t.t('admin.integrations.scopes')}</th>
              <th scope="col">{t.t('admin.integrations.state')}</th>
              <th scope="col">{t.t('admin.integrations.lastUsed')}</th>
            </tr>
          </thead>
          <tbody>
            {integrations.map((integration) => (
              <tr data-integration={integration.id}>
                <td>
                  <a href={`/admin/integrations/${encodeURIComponent(integration.id)}`}>{integration.name}</a>
                </td>
                <td>{integration.scopes.map((scope) => t.t(scopeKey(scope))).join(', ') || '—'}</td>
                <td>
                  <State admin={admin} integration={integration} />
                </td>
                <td>{integration.lastUsedAt ? t.dateTime(integration.lastUsedAt) : t.t('admin.integrations.never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action="/admin/integrations" class="integration-form">
        <h2>{t.t('admin.integrations.add')}</h2>
        <Csrf admin={admin} />
        <p>
          <label for="integration-name">{t.t('admin.integrations.name')}</label>{' '}
          <input id="integration-name" name="name" required maxlength={100} />
        </p>
        <fieldset>
          <legend>{t.t('admin.integrations.scopes')}</legend>
          {scopes.map((scope) => (
            <p>
              <label>
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  checked={scope === 'stories:read' || scope === 'stories:write' || scope === 'media:write'}
                />{' '}
                {t.t(scopeKey(scope))} <code>{scope}</code>
              </label>
            </p>
          ))}
        </fieldset>
        <button type="submit">{t.t('admin.integrations.addButton')}</button>
      </form>
    </AdminLayout>
  );
}

/** One integration: its keys (the Admin API token only right after it was made), revoke, replace. */
export function IntegrationPage({
  admin,
  integration,
  keys,
  children,
  contentApiUrl,
}: {
  admin: AdminContext;
  integration: Integration;
  /** Present only on the answer that made them: the token is never shown again. */
  keys?: IntegrationKeys;
  /** What other features show on an integration's page (its webhooks). */
  children?: ComponentChildren;
  /** The site's Content API address, which clients are configured with. */
  contentApiUrl: string;
}) {
  const { t } = admin;
  const action = `/admin/integrations/${encodeURIComponent(integration.id)}`;
  const live = integration.revokedAt === null;
  return (
    <AdminLayout admin={admin} title={integration.name}>
      <p>
        <a href="/admin/integrations">{t.t('admin.integrations.title')}</a>
      </p>
      <h1>{integration.name}</h1>
      <p>
        <State admin={admin} integration={integration} />
      </p>
      {keys ? (
        <Notice kind="warning">
          <span>{t.t('admin.integrations.copyNow')}</span>
        </Notice>
      ) : null}
      <dl class="integration-keys">
        <dt>{t.t('admin.integrations.contentKey')}</dt>
        <dd>
          <code data-content-key>{live ? integration.contentKey : '—'}</code>
        </dd>
        <dt>{t.t('admin.integrations.adminToken')}</dt>
        <dd>
          {keys ? (
            <code data-admin-token>{keys.adminToken}</code>
          ) : (
            <span>{t.t('admin.integrations.tokenHidden')}</span>
          )}
        </dd>
        <dt>{t.t('admin.integrations.scopes')}</dt>
        <dd>{integration.scopes.map((scope) => t.t(scopeKey(scope))).join(', ') || '—'}</dd>
        <dt>{t.t('admin.integrations.apiUrl')}</dt>
        <dd>
          <code>{contentApiUrl}</code>
        </dd>
      </dl>
      {live ? (
        <div class="integration-actions">
          <form method="post" action={`${action}/keys`} class="inline">
            <Csrf admin={admin} />
            <button type="submit">{t.t('admin.integrations.replaceKeys')}</button>
          </form>{' '}
          <form method="post" action={`${action}/revoke`} class="inline">
            <Csrf admin={admin} />
            <button type="submit" class="danger">
              {t.t('admin.integrations.revoke')}
            </button>
          </form>
        </div>
      ) : null}
      {children}
    </AdminLayout>
  );
}
