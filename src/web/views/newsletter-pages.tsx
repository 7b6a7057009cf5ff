import { Layout } from './layout.js';
import type { SiteContext } from './site-context.js';

/**
 * The page an emailed link opens: it says what the button will do and does nothing by itself,
 * because mail scanners and link previews open links without anyone clicking.
 */
export function NewsletterActionPage({
  site,
  title,
  message,
  action,
  submit,
}: {
  site: SiteContext;
  title: string;
  message: string;
  /** Where the button posts: the link itself (its token is in the query string). */
  action: string;
  submit: string;
}) {
  return (
    <Layout site={site} title={`${title} — ${site.name}`} head={<meta name="robots" content="noindex" />}>
      <section class="message">
        <h1>{title}</h1>
        <p>{message}</p>
        <form method="post" action={action}>
          <button type="submit" class="button">
            {submit}
          </button>
        </form>
      </section>
    </Layout>
  );
}
