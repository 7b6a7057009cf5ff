/**
 * The kind of work a story is (issue 13, decision 0051): what readers are told before they read
 * it, and what schema.org, the feeds and ninjs say of it. "Machine-translated" is not one: it is
 * the machine-translation status (decision 0039), shown beside the genre from where it is stored.
 */
export const storyGenres = ['news', 'analysis', 'opinion', 'review', 'sponsored', 'factcheck'] as const;
export type StoryGenre = (typeof storyGenres)[number];

/** What a story is when nobody said otherwise: every story stored before genres existed. */
export const defaultGenre: StoryGenre = 'news';

export function isStoryGenre(value: unknown): value is StoryGenre {
  return typeof value === 'string' && (storyGenres as readonly string[]).includes(value);
}

/** The catalog key of a genre's name ("Opinion", "Tribune", "رأي"). */
export function genreKey(genre: StoryGenre) {
  return `genre.${genre}` as const;
}

/**
 * Whether lists label the story: plain news is most of every list, and a label on each card
 * would make the ones that matter (opinion, sponsored…) harder to see.
 */
export function labelledInLists(genre: StoryGenre): boolean {
  return genre !== defaultGenre;
}

/**
 * The schema.org type of the story's page. A fact check stays a `NewsArticle`: `ClaimReview`
 * needs the claim and a verdict, which Kiosque does not store (decision 0051). Sponsored copy is
 * `AdvertiserContentArticle`, an `Article` that is not journalism.
 */
export const schemaOrgTypes: Record<StoryGenre, string> = {
  news: 'NewsArticle',
  analysis: 'AnalysisNewsArticle',
  opinion: 'OpinionNewsArticle',
  review: 'ReviewNewsArticle',
  sponsored: 'AdvertiserContentArticle',
  factcheck: 'NewsArticle',
};

/**
 * IPTC Genre NewsCodes (http://cv.iptc.org/newscodes/genre/) for ninjs `genres`: news is
 * "Current" (events at the time of the report), sponsored copy "Advertiser Supplied" (paid
 * placement). Fact check has none here: no code for it could be confirmed from IPTC's published
 * list at hand, and a guessed URI would mislead the systems that read it (decision 0051).
 */
export const iptcGenres: Record<StoryGenre, string | null> = {
  news: 'http://cv.iptc.org/newscodes/genre/Current',
  analysis: 'http://cv.iptc.org/newscodes/genre/Analysis',
  opinion: 'http://cv.iptc.org/newscodes/genre/Opinion',
  review: 'http://cv.iptc.org/newscodes/genre/Review',
  sponsored: 'http://cv.iptc.org/newscodes/genre/Advertiser_Supplied',
  factcheck: null,
};

/**
 * The genre a wire item's own vocabulary names (a ninjs genre's URI, literal or name, or a
 * NewsML-G2 `genre` qcode such as `genre:Opinion`); news when none of them is one Kiosque has.
 */
export function genreFromWire(codes: readonly string[]): StoryGenre {
  const wanted = new Map<string, StoryGenre>([
    ['analysis', 'analysis'],
    ['opinion', 'opinion'],
    ['comment', 'opinion'],
    ['review', 'review'],
    ['advertiser_supplied', 'sponsored'],
    ['sponsored', 'sponsored'],
    ['factcheck', 'factcheck'],
    ['fact_check', 'factcheck'],
    ['fact check', 'factcheck'],
  ]);
  for (const code of codes) {
    // "http://cv.iptc.org/newscodes/genre/Opinion", "genre:Opinion", "Opinion" all end the same.
    const last = code.trim().split(/[/:]/).pop()?.toLowerCase().replace(/-/g, '_') ?? '';
    const genre = wanted.get(last) ?? wanted.get(last.replace(/_/g, ' '));
    if (genre) return genre;
  }
  return defaultGenre;
}
