import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdminToken } from '../../src/domain/integrations/integration.js';
import { describeEachDatabase } from '../support/databases.js';
import { textOf } from '../support/html.js';
import { databaseEnv, finished, runKiosque } from '../support/kiosque-process.js';
import { addMember, type StaffAgent, setupOwner, staffClient } from '../support/staff.js';
import { startTestSite, type TestSite } from '../support/test-app.js';

const printed = (stdout: string, label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(stdout)?.[1] ?? '';

/**
 * Integrations (issue 13): the programs that use the Content and Admin APIs get a key and a token
 * from `kiosque integration add` or Admin → Integrations; the token is shown once, kept only as a
 * digest, and stops working when revoked or replaced. On both databases.
 */
describeEachDatabase('integrations on $kind', ({ kind }) => {
  let site: TestSite;
  let owner: StaffAgent;
  const client = staffClient(() => site);

  beforeAll(async () => {
    site = await startTestSite(kind, { demo: false });
    owner = await setupOwner(site);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('kiosque integration add prints a Content API key and an Admin API token that the site accepts', async () => {
    const result = await finished(
      runKiosque(['integration', 'add', '--name', 'Static site'], {
        ...databaseEnv(site.database),
        KIOSQUE_PUBLIC_URL: 'https://news.example',
      }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const contentKey = printed(result.stdout, 'Content API key');
    const adminToken = printed(result.stdout, 'Admin API token');
    expect(contentKey).toMatch(/^[0-9a-f]{26}$/);
    expect(result.stdout).toContain('https://news.example/ghost/api/content/');
    const byKey = await site.app.integrations.byContentKey(contentKey);
    expect(byKey?.name).toBe('Static site');
    const byToken = await site.app.integrations.byAdminToken(adminToken);
    expect(byToken?.id).toBe(byKey?.id);
    // Without --scope: drafts and images, never publishing nor members' personal data.
    expect(byToken?.scopes).toEqual(['stories:read', 'stories:write', 'media:write']);
    // The secret is not in the database: only its digest is.
    const row = await site.app.database.db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', byKey?.id ?? '')
      .executeTakeFirstOrThrow();
    const secret = parseAdminToken(adminToken)?.secret ?? '';
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('refuses an unknown scope with a clear message and stores nothing', async () => {
    const before = (await site.app.integrations.list()).length;
    const result = await finished(
      runKiosque(['integration', 'add', '--name', 'Partner', '--scope', 'stories:publish,everything'], {
        ...databaseEnv(site.database),
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('everything');
    expect(result.stderr).toContain('stories:publish');
    expect(await site.app.integrations.list()).toHaveLength(before);
  });

  it('a wrong secret, a malformed token or an unknown key proves nothing', async () => {
    const keys = await site.app.integrations.add({ name: 'Probe', createdBy: null });
    const wrong = keys.adminToken.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
    expect(await site.app.integrations.byAdminToken(wrong)).toBeNull();
    expect(await site.app.integrations.byAdminToken(keys.adminToken.slice(0, -1))).toBeNull();
    expect(await site.app.integrations.byAdminToken('')).toBeNull();
    expect(await site.app.integrations.byAdminToken(`kqa_${keys.integration.id}.`)).toBeNull();
    expect(await site.app.integrations.byContentKey('0'.repeat(26))).toBeNull();
    expect(await site.app.integrations.byContentKey(`${keys.contentKey}' or 1=1 --`)).toBeNull();
  });

  it('an owner adds one in the admin, sees the token once, replaces the keys and revokes it', async () => {
    const added = await client.form(owner, '/admin/integrations', {
      name: 'Newsroom bridge',
      scopes: ['stories:read', 'stories:write', 'stories:publish'],
    });
    expect(added.statusCode, added.body.slice(0, 300)).toBe(201);
    expect(added.headers['cache-control']).toContain('no-store');
    const token = /data-admin-token[^>]*>([^<]+)</.exec(added.body)?.[1] ?? '';
    const contentKey = /data-content-key[^>]*>([^<]+)</.exec(added.body)?.[1] ?? '';
    const integration = await site.app.integrations.byAdminToken(token);
    expect(integration?.scopes).toEqual(['stories:read', 'stories:write', 'stories:publish']);

    // Its page afterwards names the key but never shows the token again.
    const page = await client.get(`/admin/integrations/${integration?.id}`, owner);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(contentKey);
    expect(page.body).not.toContain(token);
    const list = await client.get('/admin/integrations', owner);
    expect(textOf(list.body)).toContain('Newsroom bridge');

    const replaced = await client.form(owner, `/admin/integrations/${integration?.id}/keys`, {});
    expect(replaced.statusCode).toBe(200);
    const newToken = /data-admin-token[^>]*>([^<]+)</.exec(replaced.body)?.[1] ?? '';
    expect(newToken).not.toBe(token);
    expect(await site.app.integrations.byAdminToken(token)).toBeNull();
    expect(await site.app.integrations.byContentKey(contentKey)).toBeNull();
    expect((await site.app.integrations.byAdminToken(newToken))?.id).toBe(integration?.id);

    const revoked = await client.form(owner, `/admin/integrations/${integration?.id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect(await site.app.integrations.byAdminToken(newToken)).toBeNull();
    const after = await client.get(`/admin/integrations/${integration?.id}`, owner);
    expect(textOf(after.body)).toMatch(/Revoked on|Révoquée le/);
  });

  it('refuses a nameless integration in the staff member’s language, storing nothing', async () => {
    const before = (await site.app.integrations.list()).length;
    const refused = await client.form(owner, '/admin/integrations', { name: '   ', scopes: 'stories:read' });
    expect(refused.statusCode).toBe(400);
    // The owner's admin speaks French (the site's first language).
    expect(textOf(refused.body)).toContain('Une intégration demande un nom de 1 à 100 caractères');
    expect(await site.app.integrations.list()).toHaveLength(before);
  });

  it('editors and below cannot see or add integrations', async () => {
    const editor = await addMember(site, 'editor', 'editor@example.org', 'editor password 123', 'Eddie', 'en');
    expect((await client.get('/admin/integrations', editor)).statusCode).toBe(403);
    const before = (await site.app.integrations.list()).length;
    const refused = await client.form(editor, '/admin/integrations', { name: 'Sneaky' });
    expect(refused.statusCode).toBe(403);
    expect(await site.app.integrations.list()).toHaveLength(before);
    const nav = await client.get('/admin/stories', editor);
    expect(nav.body).not.toContain('href="/admin/integrations"');
  });
});

describe('Admin API tokens', () => {
  it('are read back into the integration id and its secret', () => {
    expect(parseAdminToken('kqa_int_abc123.0f9e')).toEqual({ integrationId: 'int_abc123', secret: '0f9e' });
    expect(parseAdminToken('int_abc123.0f9e')).toBeNull();
    expect(parseAdminToken('kqa_.0f9e')).toBeNull();
    expect(parseAdminToken('kqa_int.XYZ')).toBeNull();
  });
});
