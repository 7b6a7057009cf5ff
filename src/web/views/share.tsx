import { absoluteUrl, type SiteContext } from './site-context.js';

/** Plain share links: each is an ordinary URL on the network's site, so no script of theirs loads here. */
export function shareLinks(url: string, headline: string, emailBody: string) {
  const u = encodeURIComponent(url);
  const h = encodeURIComponent(headline);
  return [
    { id: 'x', network: 'X', href: `https://x.com/intent/post?url=${u}&text=${h}` },
    { id: 'facebook', network: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { id: 'linkedin', network: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    {
      id: 'whatsapp',
      network: 'WhatsApp',
      href: `https://wa.me/?text=${encodeURIComponent(`${headline} ${url}`)}`,
    },
    { id: 'telegram', network: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${h}` },
    {
      id: 'bluesky',
      network: 'Bluesky',
      href: `https://bsky.app/intent/compose?text=${encodeURIComponent(`${headline} ${url}`)}`,
    },
    { id: 'reddit', network: 'Reddit', href: `https://www.reddit.com/submit?url=${u}&title=${h}` },
    { id: 'email', network: 'email', href: `mailto:?subject=${h}&body=${encodeURIComponent(emailBody)}` },
  ] as const;
}

export function ShareRow({ site, path, headline }: { site: SiteContext; path: string; headline: string }) {
  const { t } = site;
  const url = absoluteUrl(site, path);
  return (
    <section class="share" aria-labelledby="share-title" data-share-url={url} data-share-title={headline}>
      <h2 id="share-title" class="share__title">
        {t.t('share.heading')}
      </h2>
      <ul class="share__list">
        {shareLinks(url, headline, t.t('share.emailBody', { headline, url })).map((link) => (
          <li>
            <a
              class={`share__link share__link--${link.id}`}
              href={link.href}
              rel="noopener noreferrer"
              target={link.id === 'email' ? undefined : '_blank'}
              data-network={link.id}
            >
              {link.id === 'email' ? t.t('share.email') : link.network}
              {link.id === 'email' ? null : (
                <span class="visually-hidden"> ({t.t('share.on', { network: link.network })})</span>
              )}
            </a>
          </li>
        ))}
        <li>
          <button
            type="button"
            class="share__button share__copy"
            data-copied={t.t('share.copied')}
            data-failed={t.t('share.copyFailed')}
            hidden
          >
            {t.t('share.copy')}
          </button>
        </li>
        <li>
          <button type="button" class="share__button share__native" hidden>
            {t.t('share.native')}
          </button>
        </li>
      </ul>
      <p class="share__status" role="status" aria-live="polite" />
    </section>
  );
}
