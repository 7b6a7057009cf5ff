import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/domain/articles/article-input.js';
import { type Role, roles } from '../../src/domain/staff/roles.js';
import { createReviewRepository } from '../../src/storage/review-repository.js';
import { describeEachDatabase } from '../support/databases.js';
import { addMember, editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/**
 * Issue 11, "per-story rights, once": every story action, for every role, on the person's own
 * story and on a colleague's, generated as a table and walked over HTTP. A refused action answers
 * 403 and changes nothing; an allowed one goes through. "Translate into…" skipped this check.
 */

type Action =
  | 'open'
  | 'edit'
  | 'editLive'
  | 'preview'
  | 'revisions'
  | 'diff'
  | 'revert'
  | 'translate'
  | 'link'
  | 'unlink'
  | 'publish'
  | 'schedule'
  | 'unpublish'
  | 'updateLive'
  | 'discardPending'
  | 'delete'
  | 'restore'
  | 'newsletter'
  | 'submitForReview'
  | 'requestChanges'
  | 'approve'
  | 'correct';

/** The state the story must be in for the action to make sense. */
type Setup = 'draft' | 'published' | 'pending' | 'deleted' | 'translated' | 'submitted';

const setups: Record<Action, Setup> = {
  open: 'draft',
  edit: 'draft',
  editLive: 'published',
  preview: 'draft',
  revisions: 'draft',
  diff: 'draft',
  revert: 'draft',
  translate: 'draft',
  link: 'draft',
  unlink: 'translated',
  publish: 'draft',
  schedule: 'draft',
  unpublish: 'published',
  updateLive: 'pending',
  discardPending: 'pending',
  delete: 'draft',
  restore: 'deleted',
  newsletter: 'published',
  // Issue 14: the review loop. A draft is submitted; a submitted story is answered.
  submitForReview: 'draft',
  requestChanges: 'submitted',
  approve: 'submitted',
  correct: 'published',
};

/**
 * The newsroom's rule, stated here independently of roles.ts: editors and above act on every
 * story; authors on their own; contributors read and write their own drafts and never publish.
 */
const publishing = new Set<Action>([
  'editLive',
  'link',
  'unlink',
  'publish',
  'schedule',
  'unpublish',
  'updateLive',
  'discardPending',
  'delete',
  'restore',
  'correct',
]);
function allowed(role: Role, own: boolean, action: Action): boolean {
  // Issue 14: one submits one's own words for review, whatever one's role; editors and above
  // answer anyone's, authors and contributors no one's (not even their own).
  if (action === 'submitForReview') return own;
  if (action === 'requestChanges' || action === 'approve')
    return role === 'owner' || role === 'admin' || role === 'editor';
  if (role === 'owner' || role === 'admin' || role === 'editor') return true;
  // Sending to a newsletter is for those who run newsletters (and may publish the story).
  if (action === 'newsletter') return false;
  if (!own) return false;
  if (role === 'author') return true;
  return !publishing.has(action) && setups[action] === 'draft';
}

describeEachDatabase('per-story rights on $kind (issue 11)', ({ kind }) => {
  let site: TestSite;
  const agents = new Map<Role, StaffAgent>();
  const authorIds = new Map<string, string>();
  let colleagueAuthor: string;
  const { api, form, get } = staffClient(() => site);

  beforeAll(async () => {
    site = await startTestSite(kind);
    agents.set('owner', await setupOwner(site));
    for (const role of roles.filter((r) => r !== 'owner')) {
      agents.set(role, await addMember(site, role, `${role}@example.org`, undefined, `Rights ${role}`));
    }
    await addMember(site, 'author', 'colleague@example.org', undefined, 'Rights colleague');
    const rows = await site.app.database.db.selectFrom('staff_users').select(['email', 'author_id']).execute();
    for (const row of rows) if (row.author_id) authorIds.set(row.email, row.author_id);
    colleagueAuthor = authorIds.get('colleague@example.org')!;
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  let counter = 0;
  async function storyFor(byline: string, setup: Setup) {
    counter++;
    const base: ArticleInput = {
      language: 'fr',
      headline: `Droits ${counter} ${kind}`,
      bodyMarkdown: 'Le conseil municipal a voté le budget hier soir.',
      authorIds: [byline],
    };
    const articles = site.app.articles;
    if (setup === 'translated') {
      const english = await articles.create({
        ...base,
        language: 'en',
        headline: `Rights ${counter} ${kind}`,
        status: 'draft',
      });
      return articles.create({ ...base, translationGroup: english.translationGroup });
    }
    const draft = await articles.create({
      ...base,
      status: setup === 'draft' || setup === 'submitted' ? 'draft' : 'published',
    });
    if (setup === 'submitted') {
      await createReviewRepository(site.app.database.db).append({
        articleId: draft.id,
        seq: 1,
        kind: 'submit',
        state: 'ready',
        note: null,
        actorId: null,
        at: new Date(),
        revision: draft.revision,
      });
    }
    if (setup === 'pending') {
      await articles.savePending(draft.id, { ...base, standfirst: 'En attente' }, { expectedRevision: 1 });
    }
    if (setup === 'deleted') await articles.remove(draft.id, { expectedRevision: 1 });
    return articles.get(draft.id);
  }

  async function linkTarget() {
    counter++;
    return site.app.articles.create({
      language: 'en',
      headline: `Link target ${counter} ${kind}`,
      bodyMarkdown: 'The council voted the budget last night.',
      authorIds: [colleagueAuthor],
      status: 'published',
    });
  }

  async function attempt(agent: StaffAgent, action: Action, id: string, revision: number) {
    const expectedRevision = String(revision);
    switch (action) {
      case 'open':
      case 'preview':
        // The editor page carries the preview link: it is made only for those who may open the story.
        return get(`/admin/stories/${id}`, agent);
      case 'edit':
      case 'editLive':
        return api(agent, 'PUT', `/admin/api/stories/${id}`, {
          expectedRevision: revision,
          fields: await editorFormOf(site, await site.app.articles.get(id), { standfirst: 'Modifié' }),
        });
      case 'revisions':
        return get(`/admin/stories/${id}/revisions`, agent);
      case 'diff':
        return get(`/admin/stories/${id}/revisions?from=1&to=${revision}`, agent);
      case 'revert':
        return form(agent, `/admin/stories/${id}/revisions/1/revert`, { expectedRevision });
      case 'translate':
        return form(agent, `/admin/stories/${id}/translate`, { language: 'en' });
      case 'link':
        return form(agent, `/admin/stories/${id}/link`, { target: (await linkTarget()).id });
      case 'unlink':
        return form(agent, `/admin/stories/${id}/unlink`, {});
      case 'schedule':
        return form(agent, `/admin/stories/${id}/schedule`, {
          expectedRevision,
          scheduleAtIso: new Date(Date.now() + 86_400_000).toISOString(),
        });
      case 'updateLive':
        return form(agent, `/admin/stories/${id}/update-live`, { expectedRevision });
      case 'discardPending':
        return form(agent, `/admin/stories/${id}/discard-pending`, { expectedRevision });
      case 'submitForReview':
        return form(agent, `/admin/stories/${id}/submit-review`, { expectedRevision });
      case 'requestChanges':
        return form(agent, `/admin/stories/${id}/request-changes`, { expectedRevision, reviewNote: 'Sources ?' });
      case 'correct':
        // A correction's draft (decision 0056): for whoever may publish the story.
        return form(agent, `/admin/stories/${id}/corrections`, { kind: 'correction', text: 'Une date était fausse.' });
      case 'newsletter':
        // The "Send to newsletter" page names the story: it is behind the same check as the send.
        return get(`/admin/stories/${id}/newsletter`, agent);
      default:
        return form(agent, `/admin/stories/${id}/${action}`, { expectedRevision });
    }
  }

  const actions = Object.keys(setups) as Action[];
  it.each(actions)('%s: allowed or refused for every role, on their own story and a colleague’s', async (action) => {
    const mismatches: string[] = [];
    for (const role of roles) {
      const agent = agents.get(role)!;
      for (const own of [true, false]) {
        const record = await storyFor(own ? authorIds.get(agent.email)! : colleagueAuthor, setups[action]);
        const groupBefore = await site.app.database.db
          .selectFrom('articles')
          .select('id')
          .where('translation_group', '=', record.translationGroup)
          .execute();
        const reviewOf = async () => (await createReviewRepository(site.app.database.db).current(record.id))?.seq ?? 0;
        const reviewBefore = await reviewOf();
        const response = await attempt(agent, action, record.id, record.revision);
        const expected = allowed(role, own, action);
        const after = await site.app.articles.get(record.id);
        const groupAfter = await site.app.database.db
          .selectFrom('articles')
          .select('id')
          .where('translation_group', '=', record.translationGroup)
          .execute();
        const cell = `${role} on ${own ? 'own' : 'colleague’s'} story: ${response.statusCode}`;
        if (expected && response.statusCode >= 400)
          mismatches.push(`${cell} (expected allowed) ${response.body.slice(0, 120)}`);
        if (!expected) {
          if (response.statusCode !== 403) mismatches.push(`${cell} (expected 403)`);
          // Refused: nothing stored, and no text of the story in the answer.
          if (after.revision !== record.revision) mismatches.push(`${cell} changed the story`);
          if ((await reviewOf()) !== reviewBefore) mismatches.push(`${cell} took a review step`);
          if (groupAfter.length !== groupBefore.length) mismatches.push(`${cell} created a story`);
          if (response.body.includes(record.bodyMarkdown)) mismatches.push(`${cell} showed the story's text`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives a translation no byline its translator could not set', async () => {
    const author = agents.get('author')!;
    const own = authorIds.get(author.email)!;
    // Their own story, co-signed by a colleague: the translation is signed by the translator only.
    const source = await site.app.articles.create({
      language: 'fr',
      headline: `Cosigné ${kind}`,
      bodyMarkdown: 'Le conseil municipal a voté le budget hier soir.',
      authorIds: [own, colleagueAuthor],
      status: 'published',
    });
    const response = await form(author, `/admin/stories/${source.id}/translate`, { language: 'en' });
    expect(response.statusCode).toBe(303);
    const translationId = /\/admin\/stories\/([\w-]+)\?/.exec(String(response.headers.location))![1]!;
    expect((await site.app.articles.get(translationId)).authorIds).toEqual([own]);
    // An editor's translation keeps the source's byline.
    const byEditor = await site.app.articles.create({
      language: 'fr',
      headline: `Signé par un collègue ${kind}`,
      bodyMarkdown: 'Le conseil municipal a voté le budget hier soir.',
      authorIds: [colleagueAuthor],
      status: 'published',
    });
    const translated = await form(agents.get('editor')!, `/admin/stories/${byEditor.id}/translate`, { language: 'en' });
    const editorTranslation = /\/admin\/stories\/([\w-]+)\?/.exec(String(translated.headers.location))![1]!;
    expect((await site.app.articles.get(editorTranslation)).authorIds).toEqual([colleagueAuthor]);
  });
});
