import type { ArticleImage } from '../../domain/articles/article.js';
import { imageUrl, largestWidth, Picture, srcset } from './components.js';
import type { SiteContext } from './site-context.js';

/**
 * A gallery that works without JavaScript (each thumbnail links to the full image) and, with the
 * small script in assets/, opens an accessible enlarged view: a modal dialog with previous/next,
 * arrow keys, Esc to close, focus kept inside and returned to the thumbnail after.
 */
export function Gallery({ site, images }: { site: SiteContext; images: ArticleImage[] }) {
  if (images.length === 0) return null;
  const { t } = site;
  const total = images.length;
  return (
    <section class="gallery" aria-labelledby="gallery-title" data-gallery="">
      <h2 id="gallery-title">
        {t.t('gallery.heading')} <span class="gallery__count">({t.t('gallery.count', { count: total })})</span>
      </h2>
      <p class="gallery__hint">{t.t('gallery.hint')}</p>
      <ul class="gallery__grid">
        {images.map((use, index) => (
          <li>
            <figure class="gallery__item">
              <a
                class="gallery__link"
                href={imageUrl(use.image.id, largestWidth(use.image.width), 'jpg')}
                data-index={index}
                data-full-srcset={srcset(use.image, 'webp')}
                data-width={use.image.width}
                data-height={use.image.height}
                aria-label={t.t('gallery.open', { position: index + 1, total, alt: use.alt })}
              >
                <Picture use={use} sizes="(min-width: 60em) 14rem, (min-width: 30em) 30vw, 45vw" />
              </a>
              <figcaption>
                {use.caption ? <span class="gallery__caption">{use.caption}</span> : null}
                {use.credit ? <span class="credit">{t.t('media.credit', { credit: use.credit })}</span> : null}
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
      <dialog class="lightbox" aria-label={t.t('gallery.dialog')}>
        <figure class="lightbox__figure">
          <div class="lightbox__frame" />
          <figcaption class="lightbox__caption" />
        </figure>
        <p
          class="lightbox__position"
          aria-live="polite"
          data-template={t.t('gallery.position', { position: '{position}', total: '{total}' })}
        />
        <div class="lightbox__controls">
          <button type="button" class="lightbox__prev">
            <span aria-hidden="true">←</span> {t.t('gallery.previous')}
          </button>
          <button type="button" class="lightbox__next">
            {t.t('gallery.next')} <span aria-hidden="true">→</span>
          </button>
          <button type="button" class="lightbox__close">
            {t.t('gallery.close')} <span aria-hidden="true">✕</span>
          </button>
        </div>
      </dialog>
    </section>
  );
}
