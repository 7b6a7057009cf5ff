import { describe, expect, it } from 'vitest';
import { assignableRoles, hasPermission, type Permission, roles, storyRights } from './roles.js';

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

  it('lets only the owner name admins, and nobody name an owner', () => {
    expect(assignableRoles('owner')).toEqual(['admin', 'editor', 'author', 'contributor']);
    expect(assignableRoles('admin')).toEqual(['editor', 'author', 'contributor']);
    expect(assignableRoles('editor')).toEqual([]);
  });
});
