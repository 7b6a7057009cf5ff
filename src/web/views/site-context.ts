import type { Translator } from '../../domain/i18n/translator.js';

/** What every page view needs besides its own data. */
export interface SiteContext {
  name: string;
  publicUrl: string;
  /** The site's languages, in menu order. */
  languages: readonly string[];
  /** The language `x-default` alternates point to. */
  defaultLanguage: string;
  assets: { css: string; js: string; icon: string };
  followLinks: readonly { network: string; url: string }[];
  /** Sections of this language, for the main navigation. */
  sections: readonly { slug: string; name: string }[];
  year: number;
  t: Translator;
}

export const paths = {
  home: (language: string) => `/${language}/`,
  article: (language: string, slug: string) => `/${language}/${slug}`,
  section: (language: string, slug: string) => `/${language}/section/${slug}`,
  tag: (language: string, slug: string) => `/${language}/tag/${slug}`,
  author: (language: string, slug: string) => `/${language}/author/${slug}`,
  newsletter: (language: string) => `/${language}/newsletter`,
  newsletterThanks: (language: string) => `/${language}/newsletter/thanks`,
  /** Pages the signed links of newsletter emails open (the token follows as `?token=`). */
  newsletterConfirm: (language: string) => `/${language}/newsletter/confirm`,
  newsletterUnsubscribe: (language: string) => `/${language}/newsletter/unsubscribe`,
  newsletterData: (language: string) => `/${language}/newsletter/data`,
  subscribe: (language: string) => `/${language}/subscribe`,
  rss: (language: string) => `/${language}/rss.xml`,
};

export function absoluteUrl(site: Pick<SiteContext, 'publicUrl'>, path: string): string {
  return new URL(path, `${site.publicUrl}/`).href;
}
