import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Article } from '../domain/articles/article.js';
import type { Translator } from '../domain/i18n/translator.js';
import type { NewsletterList } from '../domain/newsletter/newsletter.js';
import type { ComposedEmail, EmailComposer, EmailStory } from '../domain/newsletter/newsletter-sender.js';

// Mail programs ignore style sheets and strip <style> unevenly: styles are inline, and few.
const styles = {
  body: 'margin:0;padding:0;background:#f4f1ea;',
  frame:
    'max-width:640px;margin:0 auto;padding:24px 16px;background:#ffffff;font-family:Georgia,serif;color:#1a1a1a;line-height:1.5;',
  brand: 'font-size:14px;letter-spacing:.08em;text-transform:uppercase;color:#8a1c1c;margin:0 0 16px;',
  headline: 'font-size:26px;line-height:1.2;margin:0 0 8px;',
  link: 'color:#1a1a1a;text-decoration:none;',
  standfirst: 'font-size:18px;color:#444444;margin:0 0 12px;',
  meta: 'font-size:13px;color:#666666;margin:0 0 16px;',
  image: 'display:block;width:100%;height:auto;border:0;margin:0 0 8px;',
  button:
    'display:inline-block;padding:12px 20px;background:#8a1c1c;color:#ffffff;text-decoration:none;border-radius:4px;font-family:Arial,sans-serif;',
  footer:
    'font-size:12px;color:#666666;border-top:1px solid #dddddd;margin-top:32px;padding-top:12px;font-family:Arial,sans-serif;',
};

/** The body's own links and images point at the site, whatever client shows the email. */
function absolutize(html: string, publicUrl: string): string {
  return html.replace(/\b(href|src)="\/(?!\/)/g, `$1="${publicUrl}/`);
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Plain text of the (sanitized) body: paragraphs kept, links written out after their text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, text: string) => {
      const label = text.replace(/<[^>]+>/g, '');
      return label.trim() === href.trim() ? href : `${label} (${href})`;
    })
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|h[1-6]|blockquote|ul|ol|figure|pre|table|tr)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X'))
        return String.fromCodePoint(Number.parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
      return entities[code.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function Shell({ lang, title, children }: { lang: string; title: string; children: ComponentChildren }) {
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style={styles.body}>
        <div style={styles.frame}>{children}</div>
      </body>
    </html>
  );
}

const page = (node: preact.VNode) => `<!DOCTYPE html>${renderToString(node)}`;

/** Newsletter and confirmation emails, HTML and plain text, in the list's language. */
export function createEmailComposer(deps: {
  translators: ReadonlyMap<string, Translator>;
  defaultLanguage: string;
  siteName: string;
  publicUrl: string;
}): EmailComposer {
  // The site name is read at each use: staff may change it (decision 0058).
  const { publicUrl } = deps;
  const translator = (language: string) =>
    deps.translators.get(language) ?? (deps.translators.get(deps.defaultLanguage) as Translator);
  const articleUrl = (article: Article) => `${publicUrl}/${article.language}/${article.slug}`;
  const heroUrl = (article: Article) =>
    article.hero
      ? `${publicUrl}/media/${article.hero.image.id}/${article.hero.image.width >= 640 ? 640 : 320}.jpg`
      : null;

  function byline(t: Translator, article: Article): string {
    const names = article.authors.map((a) => a.name);
    if (names.length === 0) return '';
    const authors =
      names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${t.t('article.and')} ${names.at(-1)}`;
    return t.t('article.byline', { authors });
  }

  function footer(t: Translator, list: NewsletterList, email: string, unsubscribeUrl: string, dataUrl: string | null) {
    return {
      html: (
        <div style={styles.footer}>
          <p>{t.t('newsletter.email.footerReason', { list: list.name, site: deps.siteName, email })}</p>
          <p>
            <a href={unsubscribeUrl}>{t.t('newsletter.email.unsubscribe')}</a>
            {dataUrl ? (
              <>
                {' · '}
                <a href={dataUrl}>{t.t('newsletter.email.yourData')}</a>
              </>
            ) : null}
            {' · '}
            <a href={`${publicUrl}/${list.language}/`}>{deps.siteName}</a>
          </p>
        </div>
      ),
      text: [
        '--',
        t.t('newsletter.email.footerReason', { list: list.name, site: deps.siteName, email }),
        `${t.t('newsletter.email.unsubscribe')}: ${unsubscribeUrl}`,
        ...(dataUrl ? [`${t.t('newsletter.email.yourData')}: ${dataUrl}`] : []),
        `${deps.siteName}: ${publicUrl}/${list.language}/`,
      ].join('\n'),
    };
  }

  function storyHtml(t: Translator, { article, full }: EmailStory, headingLevel: 1 | 2) {
    const Heading = headingLevel === 1 ? 'h1' : 'h2';
    const hero = heroUrl(article);
    const credit = byline(t, article);
    return (
      <article lang={article.language}>
        {hero && article.hero ? (
          <a href={articleUrl(article)}>
            <img src={hero} alt={article.hero.alt} width={640} style={styles.image} />
          </a>
        ) : null}
        <Heading style={styles.headline}>
          <a href={articleUrl(article)} style={styles.link}>
            {article.headline}
          </a>
        </Heading>
        {article.standfirst ? <p style={styles.standfirst}>{article.standfirst}</p> : null}
        {credit ? <p style={styles.meta}>{credit}</p> : null}
        {full && headingLevel === 1 ? (
          // Sanitized when it was saved (tags and URL schemes allow-listed); only made absolute here.
          <div dangerouslySetInnerHTML={{ __html: absolutize(article.bodyHtml, publicUrl) }} />
        ) : null}
        {!full ? <p>{t.t('newsletter.email.gated')}</p> : null}
        <p>
          <a href={articleUrl(article)} style={styles.button}>
            {t.t('newsletter.email.readOnSite')}
          </a>
        </p>
      </article>
    );
  }

  function storyText(t: Translator, { article, full }: EmailStory, whole: boolean): string {
    const credit = byline(t, article);
    return [
      article.headline,
      '='.repeat(Math.min(60, article.headline.length)),
      article.standfirst,
      credit,
      full && whole ? htmlToText(absolutize(article.bodyHtml, publicUrl)) : '',
      full ? '' : t.t('newsletter.email.gated'),
      `${t.t('newsletter.email.readOnSite')}: ${articleUrl(article)}`,
    ]
      .filter((part) => part !== '')
      .join('\n\n');
  }

  return {
    confirmation({ list, email, confirmUrl, unsubscribeUrl }): ComposedEmail {
      const t = translator(list.language);
      const subject = t.t('newsletter.email.confirmSubject', { list: list.name });
      const intro = t.t('newsletter.email.confirmIntro', { list: list.name, site: deps.siteName, email });
      const ignore = t.t('newsletter.email.confirmIgnore');
      const foot = footer(t, list, email, unsubscribeUrl, null);
      return {
        subject,
        html: page(
          <Shell lang={list.language} title={subject}>
            <p style={styles.brand}>{deps.siteName}</p>
            <h1 style={styles.headline}>{subject}</h1>
            <p>{intro}</p>
            <p>
              <a href={confirmUrl} style={styles.button}>
                {t.t('newsletter.email.confirmAction')}
              </a>
            </p>
            <p style={styles.meta}>{ignore}</p>
            {foot.html}
          </Shell>,
        ),
        text: [subject, intro, `${t.t('newsletter.email.confirmAction')}: ${confirmUrl}`, ignore, foot.text].join(
          '\n\n',
        ),
      };
    },

    newsletter({ list, email, kind, stories, unsubscribeUrl, dataUrl }): ComposedEmail {
      const t = translator(list.language);
      const single = kind === 'story' && stories.length === 1;
      const subject = single
        ? stories[0]!.article.headline
        : t.t('newsletter.email.digestSubject', { list: list.name, count: stories.length });
      const foot = footer(t, list, email, unsubscribeUrl, dataUrl);
      return {
        subject,
        html: page(
          <Shell lang={list.language} title={subject}>
            <p style={styles.brand}>
              {deps.siteName} · {list.name}
            </p>
            {single ? null : <h1 style={styles.headline}>{subject}</h1>}
            {stories.map((story) => storyHtml(t, story, single ? 1 : 2))}
            {foot.html}
          </Shell>,
        ),
        text: [
          `${deps.siteName} · ${list.name}`,
          ...(single ? [] : [subject]),
          ...stories.map((story) => storyText(t, story, single)),
          foot.text,
        ].join('\n\n'),
      };
    },
  };
}
