import type { ErrorCode } from '../../domain/errors.js';
import type { MessageKey } from '../../domain/i18n/translator.js';
import { detailLimits, type LibraryImage } from '../../domain/media/media-library.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';
import { imageUrl, variantWidths } from './components.js';

/** A notice above the library: a fixed message, or an error code with its details. */
export type MediaNotice =
  | { kind: 'success'; key: MessageKey }
  | { kind: 'error'; code: ErrorCode; values?: Record<string, string | number> };

const thumbnailWidth = variantWidths[0];

/** The smallest variant: every image has it, whatever its size. */
export function thumbnailUrl(image: Pick<LibraryImage, 'id'>): string {
  return imageUrl(image.id, thumbnailWidth, 'webp');
}

function thumbnailSize(image: Pick<LibraryImage, 'width' | 'height'>): { width: number; height: number } {
  const width = Math.min(thumbnailWidth, image.width);
  return { width, height: Math.max(1, Math.round((image.height * width) / image.width)) };
}

const uploadAccept = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

export interface MediaLibraryProps {
  admin: AdminContext;
  script: string;
  items: LibraryImage[];
  total: number;
  page: number;
  pageCount: number;
  q: string;
  notice?: MediaNotice;
  /** The image just uploaded or saved, marked in the list. */
  highlight?: string;
  limitMb: number;
  maxBytes: number;
}

/**
 * The media library: upload (file picker, drag and drop with the script, a plain form without it),
 * search, and each image's default alt text, caption and credit.
 */
export function MediaLibraryPage(props: MediaLibraryProps) {
  const { admin, items, total, page, pageCount, q, notice } = props;
  const { t } = admin;
  const link = (n: number) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (n > 1) params.set('page', String(n));
    const text = params.toString();
    return text ? `/admin/media?${text}` : '/admin/media';
  };
  // Messages the script shows, filled in by the page so they are in the member's language.
  const template = (key: MessageKey) =>
    t.t(key, { name: '{name}', percent: '{percent}', reason: '{reason}', limit: props.limitMb });

  return (
    <AdminLayout admin={admin} title={t.t('admin.media')} scripts={[props.script]}>
      <div class="admin-titlebar">
        <h1>{t.t('admin.media')}</h1>
      </div>
      {notice ? (
        <Notice kind={notice.kind}>
          {notice.kind === 'success' ? t.t(notice.key) : t.t(`error.${notice.code}`, notice.values)}
        </Notice>
      ) : null}

      <section
        class="media-upload"
        aria-labelledby="media-upload-title"
        data-media-upload=""
        data-endpoint="/admin/api/media"
        data-max-bytes={props.maxBytes}
        data-msg-too-large={t.t('error.MEDIA_TOO_LARGE', { limit: props.limitMb })}
        data-msg-sending={template('admin.media.upload.sending')}
        data-msg-checking={template('admin.media.upload.checking')}
        data-msg-done={template('admin.media.upload.done')}
        data-msg-failed={template('admin.media.upload.failed')}
        data-msg-network={t.t('admin.media.upload.network')}
      >
        <h2 id="media-upload-title">{t.t('admin.media.upload.heading')}</h2>
        <form method="post" action="/admin/media" enctype="multipart/form-data" class="media-drop" data-media-drop="">
          <Csrf admin={admin} />
          <p class="media-drop__hint">{t.t('admin.media.upload.drop')}</p>
          <label for="media-file" class="button">
            {t.t('admin.media.upload.choose')}
          </label>
          <input id="media-file" class="media-drop__input" type="file" name="file" accept={uploadAccept} multiple />
          <p class="media-drop__limits" id="media-limits">
            {t.t('admin.media.upload.limits', { limit: props.limitMb })}
          </p>
          <button type="submit" class="media-drop__submit">
            {t.t('admin.media.upload.submit')}
          </button>
        </form>
        <ul class="media-progress" aria-live="polite" />
      </section>

      <search>
        <form method="get" action="/admin/media" class="filters">
          <label>
            {t.t('admin.media.search')}
            <input type="search" name="q" value={q} maxlength={200} />
          </label>
          <button type="submit">{t.t('admin.media.searchSubmit')}</button>
        </form>
      </search>

      <div class="media-results" data-media-results="">
        <p>{t.t('admin.media.count', { count: total })}</p>
        {items.length === 0 ? (
          <p>{t.t('admin.media.empty')}</p>
        ) : (
          <ul class="media-grid">
            {items.map((image) => (
              <MediaCard admin={admin} image={image} q={q} page={page} highlight={image.id === props.highlight} />
            ))}
          </ul>
        )}
        {pageCount > 1 ? (
          <nav class="pagination" aria-label={t.t('pagination.label')}>
            {page > 1 ? <a href={link(page - 1)}>{t.t('pagination.newer')}</a> : null}
            <span>{t.t('pagination.page', { page, count: pageCount })}</span>
            {page < pageCount ? <a href={link(page + 1)}>{t.t('pagination.older')}</a> : null}
          </nav>
        ) : null}
      </div>
    </AdminLayout>
  );
}

function MediaCard({
  admin,
  image,
  q,
  page,
  highlight,
}: {
  admin: AdminContext;
  image: LibraryImage;
  q: string;
  page: number;
  highlight: boolean;
}) {
  const { t } = admin;
  const field = (name: string) => `${name}-${image.id}`;
  const size = thumbnailSize(image);
  return (
    <li
      id={`image-${image.id}`}
      class={highlight ? 'media-card media-card--new' : 'media-card'}
      data-image-id={image.id}
    >
      <figure class="media-card__figure">
        <img
          src={thumbnailUrl(image)}
          width={size.width}
          height={size.height}
          alt={image.alt}
          loading="lazy"
          decoding="async"
        />
        <figcaption>
          {image.fileName ? <span class="media-card__name">{image.fileName}</span> : null}
          <span class="media-card__facts">
            {t.t('admin.media.facts', {
              width: image.width,
              height: image.height,
              size: t.number(Math.max(1, Math.round(image.bytes / 1000))),
            })}
          </span>
          <time datetime={image.createdAt.toISOString()}>
            {t.t('admin.media.added', { date: t.date(image.createdAt) })}
          </time>
          {image.alt ? null : <strong class="media-card__warning">{t.t('admin.media.missingAlt')}</strong>}
        </figcaption>
      </figure>
      <form method="post" action={`/admin/media/${image.id}`} class="stack media-card__form">
        <Csrf admin={admin} />
        {q ? <input type="hidden" name="q" value={q} /> : null}
        {page > 1 ? <input type="hidden" name="page" value={String(page)} /> : null}
        <label for={field('alt')}>{t.t('admin.media.field.alt')}</label>
        <textarea
          id={field('alt')}
          name="alt"
          rows={2}
          maxlength={detailLimits.alt}
          aria-describedby={field('alt-hint')}
          value={image.alt}
        />
        <small id={field('alt-hint')}>{t.t('admin.media.field.altHint')}</small>
        <label for={field('caption')}>{t.t('admin.media.field.caption')}</label>
        <textarea
          id={field('caption')}
          name="caption"
          rows={2}
          maxlength={detailLimits.caption}
          value={image.caption}
        />
        <label for={field('credit')}>{t.t('admin.media.field.credit')}</label>
        <input id={field('credit')} name="credit" value={image.credit} maxlength={detailLimits.credit} />
        <button type="submit">{t.t('admin.save')}</button>
      </form>
    </li>
  );
}
