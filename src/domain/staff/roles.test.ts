import { describe, expect, it } from 'vitest';
import {
  assignableRoles,
  hasPermission,
  mayEditAuthorProfile,
  type Permission,
  roles,
  storyActions,
  storyRights,
} from './roles.js';

describe('role permissions', () => {
  // The expected rights, row by row, as a newsroom would state them.
  const matrix: Record<Permission, string[]> = {
    'admin.enter': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'story.create': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'media.upload': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'story.publishOwn': ['owner', 'admin', 'editor', 'author'],
    'story.manageAny': ['owner', 'admin', 'editor'],
    'story.review': ['owner', 'admin', 'editor'],
    'story.kill': ['owner', 'admin', 'editor'],
    'taxonomy.manage': ['owner', 'admin', 'editor'],
    'frontpage.manage': ['owner', 'admin', 'editor'],
    'authors.manage': ['owner', 'admin', 'editor'],
    'staff.manage': ['owner', 'admin'],
    'settings.manage': ['owner', 'admin'],
    'pages.manage': ['owner', 'admin', 'editor'],
    'newsletter.manage': ['owner', 'admin', 'editor'],
    'subscribers.export': ['owner', 'admin'],
    'members.manage': ['owner', 'admin'],
    'site.export': ['owner', 'admin'],
    'wire.read': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'wire.use': ['owner', 'admin', 'editor', 'author'],
    'wire.manage': ['owner', 'admin', 'editor'],
    'integrations.manage': ['owner', 'admin'],
    'site.import': ['owner', 'admin'],
    'audit.read': ['owner'],
  };

  it.each(Object.entries(matrix))('grants %s to exactly %j', (permission, allowed) => {
    expect(roles.filter((role) => hasPermission(role, permission as Permission))).toEqual(allowed);
  });

  it('lets editors and up edit any author profile, and anyone else only the one linked to them (issue 14)', () => {
    expect(roles.filter((role) => mayEditAuthorProfile({ role, authorId: null }, 'aut_1'))).toEqual([
      'owner',
      'admin',
      'editor',
    ]);
    expect(mayEditAuthorProfile({ role: 'contributor', authorId: 'aut_1' }, 'aut_1')).toBe(true);
    expect(mayEditAuthorProfile({ role: 'author', authorId: 'aut_1' }, 'aut_2')).toBe(false);
  });

  it('lets a contributor edit their own draft but never publish, nor edit it once published', () => {
    expect(storyRights('contributor', { isOwn: true, everPublished: false })).toMatchObject({
      edit: true,
      publish: false,
    });
    expect(storyRights('contributor', { isOwn: true, everPublished: true })).toMatchObject({
      edit: false,
      publish: false,
    });
    expect(storyRights('contributor', { isOwn: false, everPublished: false })).toMatchObject({
      edit: false,
      publish: false,
    });
  });

  it('lets an author publish only their own stories, and an editor anyone’s', () => {
    expect(storyRights('author', { isOwn: true, everPublished: true })).toMatchObject({ edit: true, publish: true });
    expect(storyRights('author', { isOwn: false, everPublished: false })).toMatchObject({
      edit: false,
      publish: false,
    });
    expect(storyRights('editor', { isOwn: false, everPublished: true })).toMatchObject({ edit: true, publish: true });
  });

  // Issue 11: every story action, for every role and story, written out cell by cell as a newsroom
  // would state it, and compared with the one function every path asks. Columns, per role: own
  // draft, own story once published, a colleague's draft, a colleague's story once published.
  // Y = allowed, . = refused.
  const columns = [
    { isOwn: true, everPublished: false },
    { isOwn: true, everPublished: true },
    { isOwn: false, everPublished: false },
    { isOwn: false, everPublished: true },
  ];
  // biome-ignore format: the table is read by column
  const storyTable: Record<string, string> = {
    //              owner admin edit. auth. cont.
    open:           'YYYY YYYY YYYY YY.. Y...',
    edit:           'YYYY YYYY YYYY YY.. Y...',
    preview:        'YYYY YYYY YYYY YY.. Y...',
    revisions:      'YYYY YYYY YYYY YY.. Y...',
    revert:         'YYYY YYYY YYYY YY.. Y...',
    translate:      'YYYY YYYY YYYY YY.. Y...',
    link:           'YYYY YYYY YYYY YY.. ....',
    unlink:         'YYYY YYYY YYYY YY.. ....',
    publish:        'YYYY YYYY YYYY YY.. ....',
    schedule:       'YYYY YYYY YYYY YY.. ....',
    unpublish:      'YYYY YYYY YYYY YY.. ....',
    updateLive:     'YYYY YYYY YYYY YY.. ....',
    discardPending: 'YYYY YYYY YYYY YY.. ....',
    delete:         'YYYY YYYY YYYY YY.. ....',
    restore:        'YYYY YYYY YYYY YY.. ....',
    newsletter:     'YYYY YYYY YYYY .... ....',
    review:         'YYYY YYYY YYYY YY.. ....',
    // Issue 14: the author submits their own story; editors and up answer anyone's.
    submitForReview:'YY.. YY.. YY.. YY.. Y...',
    requestChanges: 'YYYY YYYY YYYY .... ....',
    approve:        'YYYY YYYY YYYY .... ....',
    correct:        'YYYY YYYY YYYY YY.. ....',
    // Decision 0057: a kill is the newsroom's legal act; an author may not kill even their own.
    kill:           'YYYY YYYY YYYY .... ....',
  };
  const cells = roles.flatMap((role, r) => columns.map((story, c) => ({ role, ...story, column: r * 5 + c })));
  it.each(cells)('answers every story action for $role (own: $isOwn, ever published: $everPublished)', (cell) => {
    const wanted = Object.fromEntries(
      Object.entries(storyTable).map(([action, row]) => [action, row[cell.column] === 'Y']),
    );
    expect(storyRights(cell.role, cell)).toEqual(wanted);
  });

  it('lists every story action once, in the table and in storyActions', () => {
    expect([...storyActions].sort()).toEqual(Object.keys(storyTable).sort());
    expect(new Set(storyActions).size).toBe(storyActions.length);
  });

  it('lets only the owner name admins, and nobody name an owner', () => {
    expect(assignableRoles('owner')).toEqual(['admin', 'editor', 'author', 'contributor']);
    expect(assignableRoles('admin')).toEqual(['editor', 'author', 'contributor']);
    expect(assignableRoles('editor')).toEqual([]);
  });
});
