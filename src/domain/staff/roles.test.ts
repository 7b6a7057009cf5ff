import { describe, expect, it } from 'vitest';
import { assignableRoles, hasPermission, type Permission, roles, storyActions, storyRights } from './roles.js';

describe('role permissions', () => {
  // The expected rights, row by row, as a newsroom would state them.
  const matrix: Record<Permission, string[]> = {
    'admin.enter': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'story.create': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'media.upload': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'story.publishOwn': ['owner', 'admin', 'editor', 'author'],
    'story.manageAny': ['owner', 'admin', 'editor'],
    'taxonomy.manage': ['owner', 'admin', 'editor'],
    'staff.manage': ['owner', 'admin'],
    'settings.manage': ['owner', 'admin'],
    'newsletter.manage': ['owner', 'admin', 'editor'],
    'subscribers.export': ['owner', 'admin'],
    'members.manage': ['owner', 'admin'],
    'wire.read': ['owner', 'admin', 'editor', 'author', 'contributor'],
    'wire.use': ['owner', 'admin', 'editor', 'author'],
    'wire.manage': ['owner', 'admin', 'editor'],
  };

  it.each(Object.entries(matrix))('grants %s to exactly %j', (permission, allowed) => {
    expect(roles.filter((role) => hasPermission(role, permission as Permission))).toEqual(allowed);
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

  // Issue 11: every story action, for every role and story, stated here row by row as a newsroom
  // would, and compared with the one function every path asks.
  const reading = ['open', 'edit', 'preview', 'revisions', 'revert', 'translate'];
  const expected = (role: string, isOwn: boolean, everPublished: boolean, action: string): boolean => {
    const manager = ['owner', 'admin', 'editor'].includes(role);
    if (action === 'newsletter') return manager;
    if (manager) return true;
    if (!isOwn) return false;
    if (role === 'author') return true;
    return reading.includes(action) && !everPublished;
  };
  const cells = roles.flatMap((role) =>
    [true, false].flatMap((isOwn) => [true, false].map((everPublished) => ({ role, isOwn, everPublished }))),
  );
  it.each(cells)('answers every story action for $role (own: $isOwn, ever published: $everPublished)', (cell) => {
    const rights = storyRights(cell.role, cell);
    for (const action of storyActions) {
      expect([action, rights[action]]).toEqual([action, expected(cell.role, cell.isOwn, cell.everPublished, action)]);
    }
    expect(Object.keys(rights).sort()).toEqual([...storyActions].sort());
  });

  it('lets only the owner name admins, and nobody name an owner', () => {
    expect(assignableRoles('owner')).toEqual(['admin', 'editor', 'author', 'contributor']);
    expect(assignableRoles('admin')).toEqual(['editor', 'author', 'contributor']);
    expect(assignableRoles('editor')).toEqual([]);
  });
});
