import { isEmbargoed } from '../../domain/articles/article.js';
import { isAllowedUrl } from '../../domain/articles/markdown.js';
import type { ErrorCode } from '../../domain/errors.js';
import type { MessageKey } from '../../domain/i18n/translator.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import { hasPermission } from '../../domain/staff/roles.js';
import type { WireChanges, WireItem, WireItemSummary } from '../../domain/wire/wire-desk.js';
import type { Block } from '../../domain/wire/wire-item.js';
import type { WireSource } from '../../domain/wire/wire-source.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

/** A notice at the top of a wire page: a catalog message, or an error code with its values. */
export type WireNotice =
  | { kind: 'success'; key: MessageKey; values?: Record<string, string | number> }
  | {
      kind: 'error';
      code: ErrorCode | string;
      values?: Record<string, string | number>;
      /** Messages that say more (why a wire document was refused, and where). */
      more?: MessageKey[];
    };

export interface WireFilters {
  source?: string;
  language?: string;
  topic?: string;
  time?: 'received' | 'published';
  from?: string;
  to?: string;
}

/** The filters as a query string, for paging. */
export function wireFilterQuery(filters: WireFilters, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A source's name as the desk shows it: built-in sources are named in the staff member's language. */
export function sourceName(admin: AdminContext, source: Pick<WireSource, 'name' | 'kind'> | null): string {
  if (!source) return '—';
  return source.name || admin.t.t(`admin.wire.kind.${source.kind}` as MessageKey);
}

/** An http(s) link, or the text alone when the address is anything else. */
function SafeLink({ href, children }: { href: string | null; children: string }) {
  return href && /^https?:\/\//i.test(href) && isAllowedUrl(href, ['http', 'https']) ? (
    <a href={href} rel="noopener noreferrer">
      {children}
    </a>
  ) : (
    children
  );
}

function WireNoticeBox({ admin, notice }: { admin: AdminContext; notice?: WireNotice }) {
  if (!notice) return null;
  const text =
    notice.kind === 'success'
      ? admin.t.t(notice.key, notice.values)
      : [
          admin.t.t(`error.${notice.code}` as MessageKey, notice.values),
          ...(notice.more ?? []).map((key) => admin.t.t(key, notice.values)),
        ].join(' ');
  return <Notice kind={notice.kind}>{text}</Notice>;
}

function WireTabs({ admin, current }: { admin: AdminContext; current: 'queue' | 'sources' }) {
  const { t } = admin;
  return (
    <nav class="wire-tabs" aria-label={t.t('admin.wire.title')}>
      <ul>
        <li>
          <a href="/admin/wire" aria-current={current === 'queue' ? 'page' : undefined}>
            {t.t('admin.wire.queue')}
          </a>
        </li>
        <li>
          <a href="/admin/wire/sources" aria-current={current === 'sources' ? 'page' : undefined}>
            {t.t('admin.wire.sources')}
          </a>
        </li>
      </ul>
    </nav>
  );
}

/** Admin → Wire: paste a URL, upload files, and the queue with its filters. */
export function WireQueuePage({
  admin,
  items,
  total,
  page,
  pageCount,
  filters,
  sources,
  notice,
  now,
}: {
  admin: AdminContext;
  items: WireItemSummary[];
  total: number;
  page: number;
  pageCount: number;
  filters: WireFilters;
  sources: WireSource[];
  notice?: WireNotice;
  now: Date;
}) {
  const { t, user } = admin;
  const byId = new Map(sources.map((source) => [source.id, source]));
  const mayUse = user ? hasPermission(user.role, 'wire.use') : false;
  return (
    <AdminLayout admin={admin} title={t.t('admin.wire.queue')}>
      <h1>{t.t('admin.wire.queue')}</h1>
      <WireTabs admin={admin} current="queue" />
      <WireNoticeBox admin={admin} notice={notice} />
      {mayUse ? (
        <div class="wire-intake">
          <form method="post" action="/admin/wire/url" class="wire-paste">
            <Csrf admin={admin} />
            <label for="wire-url">{t.t('admin.wire.paste')}</label>{' '}
            <input id="wire-url" type="url" name="url" required maxlength={2000} inputmode="url" />{' '}
            <button type="submit">{t.t('admin.wire.pasteButton')}</button>
          </form>
          <form method="post" action="/admin/wire/upload" enctype="multipart/form-data" class="wire-upload">
            <Csrf admin={admin} />
            <label for="wire-files">{t.t('admin.wire.upload')}</label>{' '}
            <input
              id="wire-files"
              type="file"
              name="files"
              multiple
              required
              accept=".json,.xml,.rss,.atom,.nitf,application/json,application/xml,text/xml"
            />{' '}
            <button type="submit">{t.t('admin.wire.uploadButton')}</button>
          </form>
        </div>
      ) : null}
      <form method="get" action="/admin/wire" class="filters">
        <label>
          {t.t('admin.wire.filter.source')}{' '}
          <select name="source">
            <option value="">{t.t('admin.wire.filter.any')}</option>
            {sources.map((source) => (
              <option value={source.id} selected={filters.source === source.id}>
                {sourceName(admin, source)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t.t('admin.wire.filter.language')}{' '}
          <input type="text" name="language" value={filters.language ?? ''} maxlength={20} size={6} />
        </label>{' '}
        <label>
          {t.t('admin.wire.filter.topic')}{' '}
          <input type="text" name="topic" value={filters.topic ?? ''} maxlength={200} />
        </label>{' '}
        <label>
          {t.t('admin.wire.filter.time')}{' '}
          <select name="time">
            <option value="received" selected={filters.time !== 'published'}>
              {t.t('admin.wire.filter.received')}
            </option>
            <option value="published" selected={filters.time === 'published'}>
              {t.t('admin.wire.filter.published')}
            </option>
          </select>
        </label>{' '}
        <label>
          {t.t('admin.wire.filter.from')} <input type="date" name="from" value={filters.from ?? ''} />
        </label>{' '}
        <label>
          {t.t('admin.wire.filter.to')} <input type="date" name="to" value={filters.to ?? ''} />
        </label>{' '}
        <button type="submit">{t.t('admin.wire.filter.apply')}</button>
      </form>
      <p class="wire-total">{t.t('admin.wire.total', { count: total })}</p>
      {items.length === 0 ? (
        <p>{t.t('admin.wire.empty')}</p>
      ) : (
        <table class="wire-queue">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.wire.col.headline')}</th>
              <th scope="col">{t.t('admin.wire.col.source')}</th>
              <th scope="col">{t.t('admin.wire.col.language')}</th>
              <th scope="col">{t.t('admin.wire.col.received')}</th>
              <th scope="col">{t.t('admin.wire.col.published')}</th>
              <th scope="col">{t.t('admin.wire.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr data-wire-item={item.id}>
                <td lang={item.language ?? undefined} dir="auto">
                  <a href={`/admin/wire/items/${encodeURIComponent(item.id)}`}>
                    {item.headline || t.t('admin.wire.noHeadline')}
                  </a>
                  {item.version > 1 ? (
                    <span class="wire-version"> · {t.t('admin.wire.version', { version: item.version })}</span>
                  ) : null}
                </td>
                <td>{sourceName(admin, byId.get(item.sourceId) ?? null)}</td>
                <td>{item.language ?? '—'}</td>
                <td>{t.dateTime(item.receivedAt)}</td>
                <td>{item.publishedAt ? t.dateTime(item.publishedAt) : '—'}</td>
                <td>
                  {item.articleId ? <span class="wire-used">{t.t('admin.wire.used')}</span> : null}
                  {item.embargoUntil && isEmbargoed(item.embargoUntil, now) ? (
                    <span class="wire-embargo">
                      {t.t('admin.wire.embargoed', { time: t.dateTime(item.embargoUntil) })}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageCount > 1 ? (
        <nav class="pagination" aria-label={t.t('admin.wire.page', { page, count: pageCount })}>
          {page > 1 ? (
            <a href={`/admin/wire${wireFilterQuery(filters, page - 1)}`}>{t.t('admin.wire.previous')}</a>
          ) : null}{' '}
          <span>{t.t('admin.wire.page', { page, count: pageCount })}</span>{' '}
          {page < pageCount ? (
            <a href={`/admin/wire${wireFilterQuery(filters, page + 1)}`}>{t.t('admin.wire.next')}</a>
          ) : null}
        </nav>
      ) : null}
    </AdminLayout>
  );
}

function SourceStatus({ admin, source }: { admin: AdminContext; source: WireSource }) {
  const { t } = admin;
  if (!source.enabled) return <>{t.t('admin.wire.status.disabled')}</>;
  if (source.consecutiveErrors > 0) return <>{t.t('admin.wire.status.failing', { count: source.consecutiveErrors })}</>;
  return <>{t.t('admin.wire.status.ok')}</>;
}

/** What says more about an error than its message (why a document was refused, and where). */
export type ErrorDetails = (code: string, values: Record<string, string | number>) => MessageKey[];

function LastError({ admin, source, more }: { admin: AdminContext; source: WireSource; more?: ErrorDetails }) {
  if (!source.lastError) return <>—</>;
  const { t } = admin;
  const { code, values, at } = source.lastError;
  const text = [
    t.t(`error.${code}` as MessageKey, values),
    ...(more?.(code, values) ?? []).map((key) => t.t(key, values)),
  ];
  return (
    <span class="wire-error" data-code={code}>
      {t.dateTime(at)} — {text.join(' ')}
    </span>
  );
}

/** The fields of a feed source, empty for a new one. */
function FeedFields({ admin, source }: { admin: AdminContext; source: WireSource | null }) {
  const { t } = admin;
  const id = (name: string) => `wire-${source ? 'edit' : 'new'}-${name}`;
  return (
    <>
      <p>
        <label for={id('name')}>{t.t('admin.wire.field.name')}</label>
        <input id={id('name')} name="name" required maxlength={200} value={source?.name ?? ''} />
      </p>
      <p>
        <label for={id('url')}>{t.t('admin.wire.field.feedUrl')}</label>
        <input id={id('url')} name="feedUrl" type="url" required maxlength={2000} value={source?.feedUrl ?? ''} />
      </p>
      <p>
        <label for={id('language')}>{t.t('admin.wire.field.language')}</label>
        <input id={id('language')} name="language" maxlength={20} size={6} value={source?.language ?? ''} />
      </p>
      <p>
        <label for={id('credit')}>{t.t('admin.wire.field.creditName')}</label>
        <input id={id('credit')} name="creditName" required maxlength={300} value={source?.creditName ?? ''} />
      </p>
      <p>
        <label for={id('licence')}>{t.t('admin.wire.field.licenceNote')}</label>
        <textarea id={id('licence')} name="licenceNote" rows={2} maxlength={2000}>
          {source?.licenceNote ?? ''}
        </textarea>
      </p>
      <p>
        <label for={id('minutes')}>{t.t('admin.wire.field.pollMinutes')}</label>
        <input
          id={id('minutes')}
          name="pollMinutes"
          type="number"
          min={1}
          max={1440}
          required
          value={String(source?.pollMinutes ?? 15)}
        />
      </p>
      <p>
        <label>
          <input type="checkbox" name="enabled" value="1" checked={source ? source.enabled : true} />{' '}
          {t.t('admin.wire.field.enabled')}
        </label>
      </p>
    </>
  );
}

/** Admin → Wire → Sources: every source with its status, last error and next poll; add a feed. */
export function WireSourcesPage({
  admin,
  sources,
  notice,
  more,
}: {
  admin: AdminContext;
  sources: WireSource[];
  notice?: WireNotice;
  more?: ErrorDetails;
}) {
  const { t, user } = admin;
  const mayManage = user ? hasPermission(user.role, 'wire.manage') : false;
  return (
    <AdminLayout admin={admin} title={t.t('admin.wire.sources')}>
      <h1>{t.t('admin.wire.sources')}</h1>
      <WireTabs admin={admin} current="sources" />
      <WireNoticeBox admin={admin} notice={notice} />
      {sources.length === 0 ? (
        <p>{t.t('admin.wire.noSources')}</p>
      ) : (
        <table class="wire-sources">
          <thead>
            <tr>
              <th scope="col">{t.t('admin.wire.field.name')}</th>
              <th scope="col">{t.t('admin.wire.col.kind')}</th>
              <th scope="col">{t.t('admin.wire.col.status')}</th>
              <th scope="col">{t.t('admin.wire.col.lastSuccess')}</th>
              <th scope="col">{t.t('admin.wire.col.lastError')}</th>
              <th scope="col">{t.t('admin.wire.col.nextPoll')}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr data-wire-source={source.id}>
                <td>
                  <a href={`/admin/wire/sources/${encodeURIComponent(source.id)}`}>{sourceName(admin, source)}</a>
                </td>
                <td>{t.t(`admin.wire.kind.${source.kind}` as MessageKey)}</td>
                <td>{source.kind === 'feed' ? <SourceStatus admin={admin} source={source} /> : '—'}</td>
                <td>{source.lastSuccessAt ? t.dateTime(source.lastSuccessAt) : t.t('admin.wire.never')}</td>
                <td>
                  <LastError admin={admin} source={source} more={more} />
                </td>
                <td>
                  {source.kind === 'feed' && source.enabled && source.nextPollAt ? t.dateTime(source.nextPollAt) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mayManage ? (
        <form method="post" action="/admin/wire/sources" class="wire-source-form">
          <h2>{t.t('admin.wire.addFeed')}</h2>
          <Csrf admin={admin} />
          <FeedFields admin={admin} source={null} />
          <button type="submit">{t.t('admin.wire.save')}</button>
        </form>
      ) : null}
    </AdminLayout>
  );
}

/** One source: its state, and for a feed the form to change or disable it and "Poll now". */
export function WireSourcePage({
  admin,
  source,
  notice,
  more,
}: {
  admin: AdminContext;
  source: WireSource;
  notice?: WireNotice;
  more?: ErrorDetails;
}) {
  const { t, user } = admin;
  const mayManage = user ? hasPermission(user.role, 'wire.manage') : false;
  const action = `/admin/wire/sources/${encodeURIComponent(source.id)}`;
  return (
    <AdminLayout admin={admin} title={sourceName(admin, source)}>
      <h1>{sourceName(admin, source)}</h1>
      <WireTabs admin={admin} current="sources" />
      <WireNoticeBox admin={admin} notice={notice} />
      <dl class="wire-meta">
        <dt>{t.t('admin.wire.col.kind')}</dt>
        <dd>{t.t(`admin.wire.kind.${source.kind}` as MessageKey)}</dd>
        {source.kind === 'feed' ? (
          <>
            <dt>{t.t('admin.wire.col.status')}</dt>
            <dd>
              <SourceStatus admin={admin} source={source} />
            </dd>
            <dt>{t.t('admin.wire.col.lastSuccess')}</dt>
            <dd>{source.lastSuccessAt ? t.dateTime(source.lastSuccessAt) : t.t('admin.wire.never')}</dd>
            <dt>{t.t('admin.wire.col.lastError')}</dt>
            <dd>
              <LastError admin={admin} source={source} more={more} />
            </dd>
            <dt>{t.t('admin.wire.col.nextPoll')}</dt>
            <dd>{source.enabled && source.nextPollAt ? t.dateTime(source.nextPollAt) : '—'}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <a href={`/admin/wire${wireFilterQuery({ source: source.id })}`}>{t.t('admin.wire.queue')}</a>
      </p>
      {mayManage && source.kind === 'feed' ? (
        <>
          <form method="post" action={action} class="wire-source-form">
            <h2>{t.t('admin.wire.editSource')}</h2>
            <Csrf admin={admin} />
            <FeedFields admin={admin} source={source} />
            <button type="submit">{t.t('admin.wire.save')}</button>
          </form>
          {source.enabled ? (
            <form method="post" action={`${action}/poll`} class="inline">
              <Csrf admin={admin} />
              <button type="submit">{t.t('admin.wire.pollNow')}</button>
            </form>
          ) : null}
        </>
      ) : null}
    </AdminLayout>
  );
}

/** One block of wire copy, as text (never HTML): figures with their caption and credit. */
function BlockView({ admin, block }: { admin: AdminContext; block: Block }) {
  switch (block.kind) {
    case 'paragraph':
      return <p>{block.text}</p>;
    case 'heading':
      return block.level === 2 ? <h3>{block.text}</h3> : <h4>{block.text}</h4>;
    case 'quote':
      return (
        <blockquote>
          <p>{block.text}</p>
          {block.cite ? <p>— {block.cite}</p> : null}
        </blockquote>
      );
    case 'list':
      return block.ordered ? (
        <ol>
          {block.items.map((item) => (
            <li>{item}</li>
          ))}
        </ol>
      ) : (
        <ul>
          {block.items.map((item) => (
            <li>{item}</li>
          ))}
        </ul>
      );
    case 'figure':
      return (
        <figure class="wire-figure">
          <p>
            <SafeLink href={block.src}>{block.alt || block.src}</SafeLink>
          </p>
          <figcaption>
            {block.caption}
            {block.credit ? <span class="credit"> {admin.t.t('media.credit', { credit: block.credit })}</span> : null}
          </figcaption>
        </figure>
      );
  }
}

/** One item: its text, its details, what changed since the previous version, and what to do with it. */
export function WireItemPage({
  admin,
  item,
  source,
  changes,
  newerId,
  notice,
  now,
}: {
  admin: AdminContext;
  item: WireItem;
  source: WireSource | null;
  changes: WireChanges | null;
  /** A newer version's id, when one is on the desk. */
  newerId: string | null;
  notice?: WireNotice;
  now: Date;
}) {
  const { t, user } = admin;
  const mayUse = user ? hasPermission(user.role, 'wire.use') : false;
  const action = `/admin/wire/items/${encodeURIComponent(item.id)}/draft`;
  const itemLanguage = item.language?.split('-')[0] ?? null;
  const others = admin.languages.filter((language) => language !== itemLanguage);
  const none = t.t('admin.wire.none');
  return (
    <AdminLayout admin={admin} title={item.headline || t.t('admin.wire.noHeadline')}>
      <p>
        <a href="/admin/wire">{t.t('admin.wire.queue')}</a>
      </p>
      <WireNoticeBox admin={admin} notice={notice} />
      {newerId ? (
        <Notice kind="error">
          <a href={`/admin/wire/items/${encodeURIComponent(newerId)}`}>{t.t('admin.wire.newerVersion')}</a>
        </Notice>
      ) : null}
      <article class="wire-item" lang={item.language ?? undefined} dir="auto">
        <h1>{item.headline || t.t('admin.wire.noHeadline')}</h1>
        {item.standfirst ? <p class="wire-standfirst">{item.standfirst}</p> : null}
        {item.dateline ? <p class="wire-dateline">{item.dateline}</p> : null}
        {item.leadImage ? <BlockView admin={admin} block={{ kind: 'figure', ...item.leadImage }} /> : null}
        <div class="wire-body">
          {item.body.map((block) => (
            <BlockView admin={admin} block={block} />
          ))}
        </div>
      </article>
      {item.articleId ? (
        <p class="wire-used">
          {t.t('admin.wire.usedBy')}{' '}
          <a href={`/admin/stories/${encodeURIComponent(item.articleId)}`}>{t.t('admin.wire.openStory')}</a>
        </p>
      ) : null}
      {mayUse ? (
        <div class="wire-actions">
          {itemLanguage && admin.languages.includes(itemLanguage) ? (
            <form method="post" action={action} class="inline">
              <Csrf admin={admin} />
              <button type="submit" class="primary">
                {t.t('admin.wire.useAsDraft')}
              </button>
            </form>
          ) : null}
          {others.map((language) => (
            <form method="post" action={action} class="inline">
              <Csrf admin={admin} />
              <input type="hidden" name="language" value={language} />
              <button type="submit" class="translate-into">
                {t.t('admin.wire.translateInto', { language: languageAutonym(language) })}
              </button>
            </form>
          ))}
        </div>
      ) : null}
      <h2>{t.t('admin.wire.details')}</h2>
      <dl class="wire-meta">
        <dt>{t.t('admin.wire.col.source')}</dt>
        <dd>{sourceName(admin, source)}</dd>
        <dt>{t.t('admin.wire.meta.format')}</dt>
        <dd>{item.format}</dd>
        <dt>{t.t('admin.wire.meta.wireId')}</dt>
        <dd>{item.wireId ?? none}</dd>
        <dt>{t.t('admin.wire.meta.version')}</dt>
        <dd>{item.version}</dd>
        <dt>{t.t('admin.wire.meta.bylines')}</dt>
        <dd>{item.bylines.join(', ') || none}</dd>
        <dt>{t.t('admin.wire.meta.dateline')}</dt>
        <dd>{item.dateline || none}</dd>
        <dt>{t.t('admin.wire.meta.embargo')}</dt>
        <dd class={isEmbargoed(item.embargoUntil, now) ? 'wire-embargo' : undefined}>
          {item.embargoUntil ? t.dateTime(item.embargoUntil) : none}
        </dd>
        <dt>{t.t('admin.wire.meta.rights')}</dt>
        <dd>{[item.rights, source?.licenceNote ?? ''].filter(Boolean).join(' — ') || none}</dd>
        <dt>{t.t('admin.wire.meta.topics')}</dt>
        <dd>{item.topics.join(', ') || none}</dd>
        <dt>{t.t('admin.wire.meta.originalUrl')}</dt>
        <dd>
          <SafeLink href={item.originalUrl}>{item.originalUrl ?? none}</SafeLink>
        </dd>
        <dt>{t.t('admin.wire.meta.published')}</dt>
        <dd>{item.publishedAt ? t.dateTime(item.publishedAt) : none}</dd>
        <dt>{t.t('admin.wire.meta.received')}</dt>
        <dd>{t.dateTime(item.receivedAt)}</dd>
        <dt>{t.t('admin.wire.filter.language')}</dt>
        <dd>{item.language ?? none}</dd>
      </dl>
      {changes ? (
        <section class="wire-changes">
          <h2>
            <a href={`/admin/wire/items/${encodeURIComponent(changes.previous.id)}`}>
              {t.t('admin.wire.changes', { version: changes.previous.version })}
            </a>
          </h2>
          {changes.headline ? <p>{t.t('admin.wire.changes.headline', changes.headline)}</p> : null}
          {changes.standfirst ? <p>{t.t('admin.wire.changes.standfirst')}</p> : null}
          {changes.blocks.some((block) => block.op !== 'same') ? (
            <ol class="wire-diff" lang={item.language ?? undefined} dir="auto">
              {changes.blocks
                .filter((block) => block.op !== 'same')
                .map((block) => (
                  <li class={`wire-diff__${block.op}`}>
                    {block.op === 'added' ? (
                      <ins>
                        <span class="visually-hidden">{t.t('admin.wire.changes.added')}: </span>
                        {block.text}
                      </ins>
                    ) : (
                      <del>
                        <span class="visually-hidden">{t.t('admin.wire.changes.removed')}: </span>
                        {block.text}
                      </del>
                    )}
                  </li>
                ))}
            </ol>
          ) : (
            <p>{t.t('admin.wire.changes.none')}</p>
          )}
        </section>
      ) : null}
    </AdminLayout>
  );
}
