import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/articles/article-input.js';
import { createReviewRepository } from '../../src/storage/review-repository.js';
import { describeEachDatabase } from '../support/databases.js';
import { linksOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { addMember, authorIdOf, editorFormOf, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

// Issue 14, the review loop: a contributor submits their draft, every editor, admin and owner is
// emailed in their own admin language, an editor requests changes with a note (emailed to the
// author), the author resubmits, an editor approves and publishes. Rights are refused with a 403
// that takes no step; a step that does not fit is a 409; the lists and the navigation show it.

describeEachDatabase('the review loop on $kind (issue 14)', ({ kind }) => {
  let smtp: SmtpSink;
  let site: TestSite;
  let owner: StaffAgent;
  let editor: StaffAgent;
  let admin: StaffAgent;
  let author: StaffAgent;
  let contributor: StaffAgent;
  let contributorAuthor: string;
  const { get, form } = staffClient(() => site);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // Arabic is a site language here, so one reviewer reads the admin right to left.
    site = await startTestSite(kind, { demo: false, env: { SMTP_URL: smtp.url, KIOSQUE_LANGUAGES: 'fr,en,ar' } });
    owner = await setupOwner(site);
    editor = await addMember(site, 'editor', 'editor@example.org', undefined, 'Edith Editor', 'en');
    admin = await addMember(site, 'admin', 'admin@example.org', undefined, 'Amal Admin', 'ar');
    author = await addMember(site, 'author', 'author@example.org', undefined, 'Aurore Author', 'fr');
    contributor = await addMember(site, 'contributor', 'contrib@example.org', undefined, 'Colin Contributor', 'en');
    contributorAuthor = await authorIdOf(site, contributor);
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await smtp?.close();
  });

  const reviews = () => createReviewRepository(site.app.database.db);
  const stateOf = async (id: string) => (await reviews().current(id))?.state ?? 'none';
  let counter = 0;
  async function contributorDraft(): Promise<ArticleRecord> {
    counter++;
    return site.app.articles.create({
      language: 'fr',
      headline: `Le marché couvert rouvre ${counter}`,
      standfirst: 'Après deux ans de travaux, les halles accueillent de nouveau les maraîchers.',
      bodyMarkdown: 'Les halles du centre ont rouvert samedi matin après deux ans de travaux.',
      authorIds: [contributorAuthor],
      status: 'draft',
    });
  }
  /** The mails that arrived since `before`, by recipient. */
  const mailsSince = (before: number) =>
    new Map(smtp.received.slice(before).map((mail) => [mail.to[0] ?? '', mail] as const));

  it('emails every editor, admin and owner in their own language when a contributor submits, and counts it', async () => {
    const story = await contributorDraft();
    const before = smtp.received.length;
    // The button belongs to the editor form: what was typed is saved first.
    const response = await form(contributor, `/admin/stories/${story.id}/submit-review`, {
      ...(await editorFormOf(site, story, { standfirst: 'Les maraîchers sont de retour aux halles.' })),
      expectedRevision: String(story.revision),
    });
    expect([response.statusCode, response.headers.location]).toEqual([
      303,
      `/admin/stories/${story.id}?done=submitted`,
    ]);
    expect(await stateOf(story.id)).toBe('ready');
    expect((await site.app.articles.get(story.id)).standfirst).toBe('Les maraîchers sont de retour aux halles.');

    await smtp.waitFor(before + 3);
    const mails = mailsSince(before);
    expect([...mails.keys()].sort()).toEqual(['admin@example.org', 'editor@example.org', 'owner@example.org']);
    expect(mails.get('editor@example.org')?.parsed.subject).toBe(`Ready for review: ${story.headline}`);
    expect(mails.get('editor@example.org')?.parsed.text).toContain('Colin Contributor submitted');
    expect(mails.get('owner@example.org')?.parsed.subject).toBe(`À valider : ${story.headline}`);
    expect(mails.get('admin@example.org')?.parsed.subject).toBe(`بانتظار التدقيق: ${story.headline}`);
    const link = linksOf(mails.get('editor@example.org')!)[0];
    expect(link).toEqual({ href: `${site.config.publicUrl}/admin/stories/${story.id}`, text: 'Open the story' });

    // The editor's navigation counts it; the list's "To review" view shows it with its badge.
    const list = await get('/admin/stories?view=review', editor);
    expect(list.body).toMatch(/id="nav-to-review"[^>]*>To review <span class="count" data-count="1">1<\/span>/);
    expect(list.body).toContain(story.headline);
    expect(list.body).toContain('data-review="ready">Ready for review</span>');
    expect((await get('/admin/stories?view=changes', editor)).body).not.toContain(story.headline);
    // A contributor answers no review: no count in their navigation.
    expect((await get('/admin/stories', contributor)).body).not.toContain('nav-to-review');
    // The editor sees the buttons that fit; the contributor sees that the editors have it.
    const page = await get(`/admin/stories/${story.id}`, editor);
    expect(page.body).toContain('id="request-changes-button"');
    expect(page.body).toContain('id="approve-button"');
    const own = await get(`/admin/stories/${story.id}`, contributor);
    expect(own.body).toContain('data-review="ready">Ready for review</span>');
    expect(own.body).not.toContain('id="submit-review-button"');
    expect(own.body).not.toContain('id="approve-button"');
  });

  it('refuses every step to those without the right, and steps that do not fit, storing nothing', async () => {
    const story = await contributorDraft();
    const before = smtp.received.length;
    // Not their story: an author may not submit a colleague's draft.
    expect((await form(author, `/admin/stories/${story.id}/submit-review`, {})).statusCode).toBe(403);
    // Answering is for editors and up: contributors and authors are refused, even on their own.
    await form(contributor, `/admin/stories/${story.id}/submit-review`, {});
    const ownByAuthor = await site.app.articles.create({
      language: 'fr',
      headline: `Article d’auteur ${kind}`,
      bodyMarkdown: 'Un texte.',
      authorIds: [await authorIdOf(site, author)],
    });
    await form(author, `/admin/stories/${ownByAuthor.id}/submit-review`, {});
    const seq = async (id: string) => (await reviews().current(id))?.seq ?? 0;
    const [storySeq, authorSeq] = [await seq(story.id), await seq(ownByAuthor.id)];
    for (const [agent, id] of [
      [contributor, story.id],
      [author, story.id],
      [author, ownByAuthor.id],
    ] as const) {
      expect((await form(agent, `/admin/stories/${id}/approve`, {})).statusCode).toBe(403);
      expect((await form(agent, `/admin/stories/${id}/request-changes`, { reviewNote: 'Non' })).statusCode).toBe(403);
    }
    expect([await seq(story.id), await seq(ownByAuthor.id)]).toEqual([storySeq, authorSeq]);

    // Changes need a note: refused in the editor's language, the typed text given back, nothing saved.
    const current = await site.app.articles.get(story.id);
    const noNote = await form(editor, `/admin/stories/${story.id}/request-changes`, {
      ...(await editorFormOf(site, current, { headline: 'Un titre que personne n’enregistre' })),
      expectedRevision: String(current.revision),
      reviewNote: '   ',
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Check: Note to the author.');
    expect(noNote.body).toContain('Un titre que personne n’enregistre');
    expect((await site.app.articles.get(story.id)).revision).toBe(current.revision);
    expect(await seq(story.id)).toBe(storySeq);

    // A story never submitted cannot be approved; a submitted one cannot be submitted again.
    const fresh = await contributorDraft();
    const notSubmitted = await form(editor, `/admin/stories/${fresh.id}/approve`, {});
    expect(notSubmitted.statusCode).toBe(409);
    expect(notSubmitted.body).toContain('This review step does not fit where the story stands');
    expect(await stateOf(fresh.id)).toBe('none');
    const twice = await form(contributor, `/admin/stories/${story.id}/submit-review`, {});
    expect(twice.statusCode).toBe(409);
    // Only the two accepted submissions mailed anyone (three reviewers each, the author's own two).
    await smtp.waitFor(before + 6);
    expect(smtp.received.length - before).toBe(6);
  });

  it('runs the loop: changes requested with a note, resubmitted, approved, sent back by an edit, published', async () => {
    const story = await contributorDraft();
    await form(contributor, `/admin/stories/${story.id}/submit-review`, {});
    let before = smtp.received.length;
    const note = 'Il manque le nom du maire.\nAjoutez une citation des maraîchers.';
    const asked = await form(editor, `/admin/stories/${story.id}/request-changes`, { reviewNote: note });
    expect(asked.headers.location).toBe(`/admin/stories/${story.id}?done=changes-requested`);
    expect(await stateOf(story.id)).toBe('changes');
    // The author (a staff member with the byline) is emailed the note in their language.
    await smtp.waitFor(before + 1);
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(['contrib@example.org']);
    expect(mail.parsed.subject).toBe(`Changes requested: ${story.headline}`);
    expect(mail.parsed.text).toContain('Edith Editor asks for changes');
    expect(mail.parsed.text).toContain('Ajoutez une citation des maraîchers.');

    // The contributor's editor shows the note and "Resubmit"; "Changes requested" lists the story.
    const page = await get(`/admin/stories/${story.id}`, contributor);
    expect(page.body).toContain('Note from Edith Editor:');
    expect(page.body).toContain('Il manque le nom du maire.<br/>Ajoutez une citation des maraîchers.');
    expect(page.body).toContain('Resubmit for review');
    expect((await get('/admin/stories?view=changes', editor)).body).toContain(story.headline);
    expect((await get('/admin/stories?view=review', editor)).body).not.toContain(story.headline);

    const edited = await site.app.articles.get(story.id);
    await form(contributor, `/admin/stories/${story.id}/submit-review`, {
      ...(await editorFormOf(site, edited, {
        bodyMarkdown: `${edited.bodyMarkdown}\n\n« Enfin ! », dit le maire, Jean Dupont.`,
      })),
      expectedRevision: String(edited.revision),
    });
    expect(await stateOf(story.id)).toBe('ready');

    before = smtp.received.length;
    const approved = await form(editor, `/admin/stories/${story.id}/approve`, { reviewNote: 'Parfait.' });
    expect(approved.headers.location).toBe(`/admin/stories/${story.id}?done=approved`);
    expect(await stateOf(story.id)).toBe('approved');
    await smtp.waitFor(before + 1);
    expect(smtp.received.at(-1)?.parsed.subject).toBe(`Approved: ${story.headline}`);

    // The contributor changes the approved words: back to the editors, recorded in the history.
    const approvedRecord = await site.app.articles.get(story.id);
    await form(contributor, `/admin/stories/${story.id}`, {
      ...(await editorFormOf(site, approvedRecord, { headline: `${story.headline} (mis à jour)` })),
      expectedRevision: String(approvedRecord.revision),
    });
    expect(await stateOf(story.id)).toBe('ready');
    // An editor's own edit keeps the approval: they answer for the words.
    await form(editor, `/admin/stories/${story.id}/approve`, {});
    const byEditor = await site.app.articles.get(story.id);
    await form(editor, `/admin/stories/${story.id}`, {
      ...(await editorFormOf(site, byEditor, { standfirst: 'Les halles rouvrent, le maire se réjouit.' })),
      expectedRevision: String(byEditor.revision),
    });
    expect(await stateOf(story.id)).toBe('approved');

    // Publishing closes the review; the story is on the site.
    const toPublish = await site.app.articles.get(story.id);
    const published = await form(editor, `/admin/stories/${story.id}/publish`, {
      expectedRevision: String(toPublish.revision),
    });
    expect(published.headers.location).toBe(`/admin/stories/${story.id}?done=published`);
    expect(await stateOf(story.id)).toBe('none');
    const live = await site.app.articles.get(story.id);
    expect((await get(`/fr/${live.slug}`)).statusCode).toBe(200);

    const history = await reviews().history(story.id);
    expect(history.map((step) => [step.kind, step.state])).toEqual([
      ['closed', 'none'],
      ['approve', 'approved'],
      ['sentBack', 'ready'],
      ['approve', 'approved'],
      ['submit', 'ready'],
      ['requestChanges', 'changes'],
      ['submit', 'ready'],
    ]);
    // The history shows who and when on the editor.
    const shown = await get(`/admin/stories/${story.id}`, editor);
    expect(shown.body).toContain('Review history (7 steps)');
    expect(shown.body).toContain('Back for review: its words changed after approval</strong> — Colin Contributor');
  });

  it('lets an editor publish a submitted story without approving it first, which closes the review', async () => {
    const story = await contributorDraft();
    await form(contributor, `/admin/stories/${story.id}/submit-review`, {});
    const response = await form(editor, `/admin/stories/${story.id}/publish`, { expectedRevision: '1' });
    expect(response.statusCode).toBe(303);
    expect(await stateOf(story.id)).toBe('none');
    // A published story is not a draft to submit.
    const again = await form(editor, `/admin/stories/${story.id}/approve`, {});
    expect(again.statusCode).toBe(409);
  });

  it('shows the list views: my stories, scheduled, out of date, in the staff member’s language', async () => {
    const mine = await get('/admin/stories?view=mine', contributor);
    const rows = [...mine.body.matchAll(/<tr>\s*<td><a href="\/admin\/stories\/([\w-]+)"/g)].map((m) => m[1]);
    const contributorStories = await site.app.database.db
      .selectFrom('article_authors')
      .select('article_id')
      .where('author_id', '=', contributorAuthor)
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((id) => contributorStories.some((row) => row.article_id === id))).toBe(true);
    expect(mine.body).toContain('aria-current="page" data-view="mine">My stories</a>');

    const scheduled = await site.app.articles.create({
      language: 'fr',
      headline: `Programmé ${kind}`,
      bodyMarkdown: 'Un texte.',
      authorIds: [contributorAuthor],
      status: 'scheduled',
      scheduledAt: new Date(Date.now() + 86_400_000),
    });
    const scheduledList = await get('/admin/stories?view=scheduled', owner);
    expect(scheduledList.body).toContain(scheduled.headline);
    expect(scheduledList.body).not.toContain('Le marché couvert rouvre');
    expect(scheduledList.body).toContain('data-view="scheduled">Programmés</a>');
    // "Out of date" is the translation filter's view: the same stories.
    const outdated = await get('/admin/stories?view=outdated', admin);
    expect(outdated.statusCode).toBe(200);
    expect(outdated.body).toContain('dir="rtl"');
    expect(outdated.body).toContain('ترجمات قديمة');
  });
});
