import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContentEvent } from '../../src/domain/events.js';
import { describeEachDatabase, postgresAdminUrl } from '../support/databases.js';
import { type MemberAgent, signInMember } from '../support/members.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { formHeaders, type StaffAgent, setupOwner } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

/** Polls until `ready()` holds (other instances hear changes over the network, not in-process). */
async function until(what: string, ready: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 750; tries++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** Resolves with the first event `site`'s listeners hear that matches; fails if none comes at all. */
function heard(site: TestSite, matches: (event: ContentEvent) => boolean): Promise<ContentEvent> {
  return new Promise((resolve, reject) => {
    const never = setTimeout(() => {
      stop();
      reject(new Error('the event never reached this instance'));
    }, 15_000);
    const stop = site.app.events.subscribe((event) => {
      if (!matches(event)) return;
      clearTimeout(never);
      stop();
      resolve(event);
    });
  });
}

const aboutArticle = (id: string) => (event: ContentEvent) =>
  event.type === 'article.changed' && event.articleId === id;

// SQLite is embedded: one process owns the file, and its events stay in that process (the in-process bus).

describeEachDatabase(
  'two instances sharing one database on $kind',
  { skip: { sqlite: 'one process per SQLite file: nothing to broadcast' } },
  ({ kind }) => {
    // An editor works on instance A; readers are served by instance B (each listens on its own port).
    let a: TestSite;
    let b: TestSite;
    let smtp: SmtpSink;
    let editor: StaffAgent;
    let monde: string;
    // English pages: a French story's changes must not touch them.
    const unrelated = ['/en/', '/en/night-trains-return-to-europe', '/en/section/world'];

    beforeAll(async () => {
      smtp = await startSmtpSink();
      a = await startTestSite(kind, { listen: true, env: { SMTP_URL: smtp.url } });
      b = await startTestSite(kind, { listen: true, env: { SMTP_URL: smtp.url }, instanceOf: a });
      editor = await setupOwner(a);
      const section = await a.app.database.db
        .selectFrom('sections')
        .select('id')
        .where('language', '=', 'fr')
        .where('slug', '=', 'monde')
        .executeTakeFirstOrThrow();
      monde = section.id;
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await smtp?.close();
    });

    /** A reader's request to instance B, over HTTP. */
    async function read(path: string, cookie = '') {
      const response = await fetch(`${b.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
      return {
        status: response.status,
        body: await response.text(),
        cacheControl: response.headers.get('cache-control'),
      };
    }

    function editorApi(method: 'POST' | 'PUT', url: string, payload: unknown) {
      return a.app.server.inject({
        method,
        url,
        headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    }

    function editorAction(id: string, action: 'publish' | 'unpublish' | 'update-live') {
      return a.app.server.inject({
        method: 'POST',
        url: `/admin/stories/${id}/${action}`,
        headers: { ...formHeaders, cookie: editor.cookie },
        payload: new URLSearchParams({ _csrf: editor.csrf }).toString(),
      });
    }

    /** Writes a story through the editor on A; returns its id, slug and revision. */
    async function write(fields: Record<string, unknown>, id?: string, expectedRevision?: number) {
      const response = id
        ? await editorApi('PUT', `/admin/api/stories/${id}`, { expectedRevision, fields })
        : await editorApi('POST', '/admin/api/stories', { fields });
      expect(response.statusCode, response.body).toBe(id ? 200 : 201);
      const saved = response.json() as { id?: string; slug: string; revision: number; pending?: boolean };
      // A published story's edit waits as its pending version until it is put live (issue 11).
      if (id && saved.pending) {
        expect((await editorAction(id, 'update-live')).statusCode).toBe(303);
        return { id, slug: (await a.app.articles.get(id)).slug, revision: (await a.app.articles.get(id)).revision };
      }
      return { id: saved.id ?? (id as string), slug: saved.slug, revision: saved.revision };
    }

    /**
     * Sends a notification as a third party and waits until `site` hears it: PostgreSQL delivers
     * notifications in commit order, so everything announced before has been heard by then.
     */
    async function caughtUp(site: TestSite) {
      if (site.database.config.kind !== 'postgres') throw new Error('PostgreSQL only');
      const sentinel = heard(site, (event) => event.type === 'sections.changed' && event.language === 'zz');
      const client = new pg.Client({ connectionString: site.database.config.url });
      await client.connect();
      await client.query('select pg_notify($1, $2)', [
        'kiosque_events',
        JSON.stringify({ from: 'test', event: { type: 'sections.changed', language: 'zz' } }),
      ]);
      await client.end();
      await sentinel;
    }

    /** Background work of both instances done (related lists) and heard everywhere. */
    async function settled() {
      await a.app.related.idle();
      await b.app.related.idle();
      await caughtUp(a);
      await caughtUp(b);
    }

    async function warm(paths: string[]) {
      for (const path of paths) expect((await read(path)).status, path).toBe(200);
    }

    it('shows a story published, edited and withdrawn on A on the next request to B, and re-renders nothing else', async () => {
      const fields = {
        language: 'fr',
        headline: 'La grève des dockers s’étend à Marseille',
        standfirst: 'Le port est à l’arrêt.',
        bodyMarkdown: 'Les quais sont vides depuis ce matin.',
        sectionId: monde,
      };
      const story = await write(fields);
      // B keeps search results too: the same search asked before and after each change on A.
      const lists = ['/fr/', '/fr/section/monde', '/fr/rss.xml', '/fr/search?q=quais'];
      await warm([...lists, ...unrelated]);
      for (const path of lists) expect((await read(path)).body).not.toContain('La grève des dockers');
      // Instance A hears its own change once: its notification coming back is not applied again.
      const heardOnA: ContentEvent[] = [];
      const stopCounting = a.app.events.subscribe((event) => {
        if (aboutArticle(story.id)(event)) heardOnA.push(event);
      });

      let onB = heard(b, aboutArticle(story.id));
      expect((await editorAction(story.id, 'publish')).statusCode).toBe(303);
      await onB;
      for (const path of lists) expect((await read(path)).body, path).toContain('La grève des dockers s’étend');
      expect((await read(`/fr/${story.slug}`)).body).toContain('Les quais sont vides depuis ce matin.');

      // Notifications come in commit order: once a later one is heard, A's own came back and was dropped.
      await caughtUp(a);
      expect(heardOnA).toHaveLength(1);
      stopCounting();

      const published = await a.app.articles.get(story.id);
      onB = heard(b, aboutArticle(story.id));
      await write(
        {
          ...fields,
          headline: 'La grève des dockers gagne Le Havre',
          slug: story.slug,
          authorIds: published.authorIds,
        },
        story.id,
        published.revision,
      );
      await onB;
      for (const path of [...lists, `/fr/${story.slug}`]) {
        const { body } = await read(path);
        expect(body, path).toContain('La grève des dockers gagne Le Havre');
        expect(body, path).not.toContain('s’étend à Marseille');
      }

      onB = heard(b, aboutArticle(story.id));
      expect((await editorAction(story.id, 'unpublish')).statusCode).toBe(303);
      await onB;
      expect((await read(`/fr/${story.slug}`)).status).toBe(404);
      for (const path of lists) expect((await read(path)).body, path).not.toContain('La grève des dockers');

      // The pages that never showed the story were kept all along: served again, none is rendered.
      for (const path of unrelated) expect(b.app.pageCache.has(path), path).toBe(true);
      const renders = b.app.pageCache.stats().renders;
      await warm(unrelated);
      expect(b.app.pageCache.stats().renders).toBe(renders);
    });

    it('never serves a member’s page to anonymous readers of B, before or after an edit on A', async () => {
      const fields = {
        language: 'fr',
        headline: 'Le rapport secret sur les digues',
        standfirst: 'Ce que les ingénieurs ont écrit.',
        bodyMarkdown:
          'Premier paragraphe public.\n\nDeuxième paragraphe public.\n\nLa digue nord cédera avant dix ans selon le rapport.',
        access: 'members',
        sectionId: monde,
      };
      const story = await write(fields);
      let onB = heard(b, aboutArticle(story.id));
      expect((await editorAction(story.id, 'publish')).statusCode).toBe(303);
      await onB;
      const page = `/fr/${story.slug}`;
      const heldBack = 'La digue nord cédera';

      const anonymous = await read(page);
      expect(anonymous.body).toContain('Cet article est réservé aux membres');
      expect(anonymous.body).not.toContain(heldBack);
      const member: MemberAgent = await signInMember(b, smtp, 'lectrice@example.org', 'fr');
      const signedIn = await read(page, member.cookie);
      expect(signedIn.cacheControl).toBe('private, no-store');
      expect(signedIn.body).toContain(heldBack);
      expect((await read(page)).body).not.toContain(heldBack);

      const published = await a.app.articles.get(story.id);
      onB = heard(b, aboutArticle(story.id));
      await write(
        {
          ...fields,
          headline: 'Le rapport sur les digues rendu public',
          slug: story.slug,
          authorIds: published.authorIds,
        },
        story.id,
        published.revision,
      );
      await onB;
      const memberAgain = await read(page, member.cookie);
      expect(memberAgain.body).toContain('Le rapport sur les digues rendu public');
      expect(memberAgain.body).toContain(heldBack);
      for (const url of [page, '/fr/', '/fr/rss.xml', '/fr/section/monde']) {
        const { body } = await read(url);
        expect(body, url).not.toContain(heldBack);
      }
      expect((await read(page)).body).toContain('Le rapport sur les digues rendu public');
    });

    it('carries an event too large for a notification through the events table', async () => {
      const seed = await a.app.database.db
        .selectFrom('articles')
        .select(['id', 'slug'])
        .where('language', '=', 'fr')
        .where('slug', '=', 'poutine-xi-serrent-les-rangs')
        .executeTakeFirstOrThrow();
      await warm([`/fr/${seed.slug}`, ...unrelated]);
      // A related list change for hundreds of stories (as after an import) is well over 8000 bytes.
      const articleIds = [
        ...Array.from({ length: 400 }, (_, i) => `art_unknown_${String(i).padStart(24, '0')}`),
        seed.id,
      ];
      const onB = heard(b, (event) => event.type === 'related.changed' && event.articleIds.includes(seed.id));
      a.app.events.publish({ type: 'related.changed', articleIds });
      expect(await onB).toEqual({ type: 'related.changed', articleIds });
      expect(b.app.pageCache.has(`/fr/${seed.slug}`)).toBe(false);
      for (const path of unrelated) expect(b.app.pageCache.has(path), path).toBe(true);
      const rows = await a.app.database.db.selectFrom('content_events').select('payload').execute();
      expect(rows.some((row) => row.payload.includes(seed.id))).toBe(true);
    });

    it('forgets every page on a notification it cannot read, rather than risk a stale one', async () => {
      if (b.database.config.kind !== 'postgres') throw new Error('PostgreSQL only');
      await settled();
      await warm(unrelated);
      const client = new pg.Client({ connectionString: b.database.config.url });
      await client.connect();
      for (const payload of ['not json', JSON.stringify({ from: 'elsewhere', event: { type: 'article.changed' } })]) {
        await client.query('select pg_notify($1, $2)', ['kiosque_events', payload]);
        await caughtUp(b);
        expect(b.app.pageCache.stats()).toMatchObject({ entries: 0, suspended: false });
        await warm(unrelated);
        expect(b.app.pageCache.stats().entries).toBe(unrelated.length);
      }
      await client.end();
    });

    it('drops its pages when it stops hearing the others, and shows what changed meanwhile once back', async () => {
      if (b.database.config.kind !== 'postgres') throw new Error('PostgreSQL only');
      const database = new URL(b.database.config.url).pathname.slice(1);
      const story = await write({
        language: 'fr',
        headline: 'Les vendanges commencent tôt',
        bodyMarkdown: 'La chaleur a tout avancé.',
        sectionId: monde,
      });
      let onB = heard(b, aboutArticle(story.id));
      expect((await editorAction(story.id, 'publish')).statusCode).toBe(303);
      await onB;
      const page = `/fr/${story.slug}`;
      await settled();
      await warm([page, '/fr/', ...unrelated]);
      expect(b.app.pageCache.has(page)).toBe(true);

      const admin = new pg.Client({ connectionString: postgresAdminUrl() });
      await admin.connect();
      try {
        // B cannot listen again until allowed: whatever A changes meanwhile, B cannot hear.
        await admin.query(`alter database "${database}" allow_connections false`);
        const killed = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [`kiosque-events:${b.app.instanceId}`],
        );
        expect(killed.rowCount).toBe(1);
        await until('B notices its lost connection', () => b.app.pageCache.stats().suspended);
        expect(b.app.pageCache.stats().entries).toBe(0);

        const published = await a.app.articles.get(story.id);
        await a.app.articles.edit(
          story.id,
          {
            language: 'fr',
            headline: 'Les vendanges commencent en juillet',
            slug: story.slug,
            bodyMarkdown: 'La chaleur a tout avancé.',
            sectionId: monde,
            authorIds: published.authorIds,
          },
          { expectedRevision: published.revision },
        );
      } finally {
        await admin.query(`alter database "${database}" allow_connections true`);
        await admin.end();
      }
      await until('B listens again', () => !b.app.pageCache.stats().suspended);
      for (const path of [page, '/fr/']) {
        const { body } = await read(path);
        expect(body, path).toContain('Les vendanges commencent en juillet');
        expect(body, path).not.toContain('commencent tôt');
      }
      // Caching again, and hearing again.
      const renders = b.app.pageCache.stats().renders;
      await read(page);
      expect(b.app.pageCache.stats().renders).toBe(renders);
      const edited = await a.app.articles.get(story.id);
      onB = heard(b, aboutArticle(story.id));
      expect((await editorAction(story.id, 'unpublish')).statusCode, String(edited.revision)).toBe(303);
      await onB;
      expect((await read(page)).status).toBe(404);
    });
  },
);
