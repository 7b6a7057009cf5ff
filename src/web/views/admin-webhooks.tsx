import type { MessageKey } from '../../domain/i18n/translator.js';
import type { Integration } from '../../domain/integrations/integration.js';
import { type Delivery, type Webhook, webhookEvents } from '../../domain/webhooks/webhook.js';
import type { IntegrationNotice } from './admin-integrations.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

const eventKey = (event: string) => `admin.hooks.event.${event}` as MessageKey;
const integrationPath = (integration: Integration) => `/admin/integrations/${encodeURIComponent(integration.id)}`;

/** An integration's webhooks on its page: the list, the form to add one, the new one's secret once. */
export function Webhooks({
  admin,
  integration,
  webhooks,
  created,
  notice,
  form,
}: {
  admin: AdminContext;
  integration: Integration;
  webhooks: Webhook[];
  /** Present only on the answer that made it: the secret is never shown again. */
  created?: { webhook: Webhook; secret: string };
  notice?: IntegrationNotice;
  /** A refused form, shown again as it was typed. */
  form?: { event: string; targetUrl: string };
}) {
  const { t } = admin;
  const base = integrationPath(integration);
  return (
    <section class="webhooks" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t.t('admin.hooks.title')}</h2>
      <p>{t.t('admin.hooks.intro')}</p>
      {created ? (
        <Notice kind="warning">
          <span>{t.t('admin.hooks.copySecret')}</span>{' '}
          <span>
            {t.t('admin.hooks.secret')}: <code data-webhook-secret>{created.secret}</code>
          </span>
        </Notice>
      ) : null}
      {webhooks.length === 0 ? (
        <p>{t.t('admin.hooks.none')}</p>
      ) : (
        <table class="webhook-list">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.hooks.event')}</th>
              <th scope="col">{t.t('admin.hooks.target')}</th>
              <th scope="col">{t.t('admin.hooks.created')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr data-webhook={webhook.id}>
                <td>
                  {t.t(eventKey(webhook.event))} <code>{webhook.event}</code>
                </td>
                <td>
                  <code>{webhook.targetUrl}</code>
                </td>
                <td>{t.dateTime(webhook.createdAt)}</td>
                <td>
                  <form
                    method="post"
                    action={`${base}/webhooks/${encodeURIComponent(webhook.id)}/delete`}
                    class="inline"
                  >
                    <Csrf admin={admin} />
                    <button type="submit" class="danger">
                      {t.t('admin.hooks.delete')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`${base}/deliveries`}>{t.t('admin.hooks.logLink')}</a>
      </p>
      {integration.revokedAt === null ? (
        <form method="post" action={`${base}/webhooks`} class="webhook-form">
          <h3>{t.t('admin.hooks.add')}</h3>
          {notice ? <Notice kind="error">{t.t(`error.${notice.code}` as MessageKey, notice.values)}</Notice> : null}
          <Csrf admin={admin} />
          <p>
            <label for="webhook-event">{t.t('admin.hooks.event')}</label>{' '}
            <select id="webhook-event" name="event" required>
              {webhookEvents.map((event) => (
                <option value={event} selected={form?.event === event}>
                  {t.t(eventKey(event))} ({event})
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="webhook-target">{t.t('admin.hooks.target')}</label>{' '}
            <input
              id="webhook-target"
              name="targetUrl"
              type="url"
              required
              maxlength={2000}
              dir="ltr"
              value={form?.targetUrl ?? ''}
            />
          </p>
          <p>{t.t('admin.hooks.membersNote')}</p>
          <button type="submit">{t.t('admin.hooks.addButton')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** An integration's delivery log: each delivery's state, attempts, last answer, and "Send again". */
export function DeliveryLogPage({
  admin,
  integration,
  webhooks,
  deliveries,
}: {
  admin: AdminContext;
  integration: Integration;
  webhooks: Webhook[];
  deliveries: Delivery[];
}) {
  const { t } = admin;
  const base = integrationPath(integration);
  const targets = new Map(webhooks.map((webhook) => [webhook.id, webhook.targetUrl]));
  const title = t.t('admin.hooks.logTitle', { name: integration.name });
  return (
    <AdminLayout admin={admin} title={title}>
      <p>
        <a href={base}>{integration.name}</a>
      </p>
      <h1>{title}</h1>
      <p>{t.t('admin.hooks.logIntro')}</p>
      {deliveries.length === 0 ? (
        <p>{t.t('admin.hooks.logEmpty')}</p>
      ) : (
        <table class="delivery-log">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.hooks.delivery')}</th>
              <th scope="col">{t.t('admin.hooks.status')}</th>
              <th scope="col">{t.t('admin.hooks.attempts')}</th>
              <th scope="col">{t.t('admin.hooks.httpStatus')}</th>
              <th scope="col">{t.t('admin.hooks.answer')}</th>
              <th scope="col">{t.t('admin.hooks.times')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr data-delivery={delivery.id} data-status={delivery.status}>
                <td>
                  {t.t(eventKey(delivery.event))} <code>{delivery.event}</code>
                  <br />
                  <code dir="ltr">{targets.get(delivery.webhookId) ?? ''}</code>
                  <br />
                  <small>
                    <code>{delivery.id}</code>
                  </small>
                </td>
                <td>
                  {t.t(`admin.hooks.status.${delivery.status}` as MessageKey)}
                  {delivery.lastError ? (
                    <p class="delivery-error">
                      {t.t(`error.${delivery.lastError.code}` as MessageKey, delivery.lastError.values)}
                    </p>
                  ) : null}
                </td>
                <td>{delivery.attempts}</td>
                <td>{delivery.lastStatus ?? '—'}</td>
                <td>{delivery.answer ? <pre dir="ltr">{delivery.answer}</pre> : '—'}</td>
                <td>
                  {t.t('admin.hooks.createdAt', { date: t.dateTime(delivery.createdAt) })}
                  {delivery.lastAttemptAt ? (
                    <>
                      <br />
                      {t.t('admin.hooks.lastAttemptAt', { date: t.dateTime(delivery.lastAttemptAt) })}
                    </>
                  ) : null}
                  {delivery.status === 'pending' && delivery.nextAttemptAt ? (
                    <>
                      <br />
                      {t.t('admin.hooks.nextAttemptAt', { date: t.dateTime(delivery.nextAttemptAt) })}
                    </>
                  ) : null}
                  {delivery.finishedAt ? (
                    <>
                      <br />
                      {t.t('admin.hooks.finishedAt', { date: t.dateTime(delivery.finishedAt) })}
                    </>
                  ) : null}
                </td>
                <td>
                  {delivery.status === 'pending' ? null : (
                    <form
                      method="post"
                      action={`${base}/deliveries/${encodeURIComponent(delivery.id)}/resend`}
                      class="inline"
                    >
                      <Csrf admin={admin} />
                      <button type="submit">{t.t('admin.hooks.sendAgain')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}
