/**
 * What comes off a page before the body is looked for: elements no reader sees as the story —
 * share rows, newsletter boxes, related-story lists, cookie banners, comments, ads — found by
 * their class, id or role, and containers made mostly of links. General rules only: nothing here
 * names a site.
 */

/** Class or id words of page furniture (matched as whole words of the attribute). */
const BOILERPLATE =
  /(?:^|[\s_-])(share|sharing|social|sharebar|share-?tools|newsletter|subscribe|subscription|signup|sign-up|related|recommended|recommendations|read-?more|more-?stories|most-?popular|popular|trending|cookie|cookies|consent|gdpr|banner|promo|advert|advertisement|ads?|sponsor(ed)?|outbrain|taboola|comments?|disqus|breadcrumbs?|tags?|paywall|modal|popup|overlay|skip-?link|print|toolbar)(?:$|[\s_-])/i;

/** Words that keep an element even when a furniture word is also there ("article-tags" no, "article-body" yes). */
const CONTENT =
  /(?:^|[\s_-])(article-?body|story-?body|post-?body|entry-?content|article-?content|main-?content)(?:$|[\s_-])/i;

const ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'dialog', 'alertdialog', 'search']);

function classAndId(element: Element): string {
  return `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`.trim();
}

function isBoilerplate(element: Element): boolean {
  if (element.tagName === 'BODY' || element.tagName === 'HTML' || element.tagName === 'ARTICLE') return false;
  const role = element.getAttribute('role');
  if (role && ROLES.has(role)) return true;
  if (element.hasAttribute('hidden')) return true;
  const names = classAndId(element);
  if (!names || CONTENT.test(names)) return false;
  return BOILERPLATE.test(names) && !holdsProse(element);
}

const PROSE_PARAGRAPHS = 2;

/** Several real paragraphs of unlinked text: a story, whatever its container is called. */
function holdsProse(element: Element): boolean {
  let prose = 0;
  for (const p of element.querySelectorAll('p')) {
    const text = (p.textContent ?? '').trim();
    const linked = [...p.querySelectorAll('a')].reduce((sum, a) => sum + (a.textContent ?? '').length, 0);
    if (text.length > 120 && linked < text.length * 0.3) prose++;
    if (prose >= PROSE_PARAGRAPHS) return true;
  }
  return false;
}

/** Puts an element's children in its place. */
function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  for (const child of [...element.childNodes]) parent.insertBefore(child, element);
  element.remove();
}

/**
 * Removes page furniture from `document`, in place. A container holding real paragraphs stays,
 * whatever its name ("has-ads", "paywall" wrap whole stories on some pages).
 */
export function removeBoilerplate(document: Document): void {
  // An embedded post (a tweet, an Instagram caption) quoted by the story is part of it, but
  // Readability drops a container whose class says "social" or that is mostly links: the
  // container goes, its quote stays.
  for (const element of [...document.body.querySelectorAll('[class*="embed" i], [class*="tweet" i]')]) {
    if (element.tagName === 'BLOCKQUOTE') {
      element.removeAttribute('class');
    } else if (element.isConnected && element.querySelector('blockquote')) {
      unwrap(element);
    }
  }
  for (const element of [...document.querySelectorAll('*')]) {
    if (element.isConnected && isBoilerplate(element)) element.remove();
  }
  // Innermost first: the card goes, the name it hangs on (a link in the sentence) stays.
  for (const element of [...document.querySelectorAll('p span, p div')].reverse()) {
    if (element.isConnected && isLinkCluster(element)) element.remove();
  }
}

/**
 * A pop-up card hidden inside a sentence (a person's name that opens "their latest stories"):
 * several links and next to no other text. The sentence reads on without it.
 */
function isLinkCluster(element: Element): boolean {
  const links = element.querySelectorAll('a');
  if (links.length < 3) return false;
  const text = (element.textContent ?? '').replace(/\s+/g, '');
  const linked = [...links].reduce((sum, link) => sum + (link.textContent ?? '').replace(/\s+/g, '').length, 0);
  return linked >= text.length * 0.9;
}
