/**
 * Who may do what in the newsroom. The rights follow what Ghost and WordPress users expect:
 * contributors write drafts, authors publish their own stories, editors handle everyone's,
 * admins also run staff and settings, and the owner is an admin who cannot be removed.
 */
export const roles = ['owner', 'admin', 'editor', 'author', 'contributor'] as const;
export type Role = (typeof roles)[number];

export type Permission =
  /** Open the admin at all. */
  | 'admin.enter'
  /** Create a story (as a draft). */
  | 'story.create'
  /** Edit, publish, schedule, unpublish, delete any story, whoever wrote it. */
  | 'story.manageAny'
  /** Publish, schedule, unpublish and delete one's own stories. */
  | 'story.publishOwn'
  /** Upload and reuse images. */
  | 'media.upload'
  /** Create and rename sections and tags beyond choosing them on a story. */
  | 'taxonomy.manage'
  /** Add, change and remove staff accounts. */
  | 'staff.manage'
  /** Change site settings. */
  | 'settings.manage'
  /** Create newsletters and send stories to them (with the right to publish the story). */
  | 'newsletter.manage'
  /**
   * Export everything kept about one subscriber (consent record, lists): personal data, so kept
   * to the people who answer readers' data requests, apart from newsletter editing.
   */
  | 'subscribers.export'
  /** See readers' accounts (personal data), export them, and grant complimentary access. */
  | 'members.manage';

const grants: Record<Role, readonly Permission[]> = {
  contributor: ['admin.enter', 'story.create', 'media.upload'],
  author: ['admin.enter', 'story.create', 'media.upload', 'story.publishOwn'],
  editor: [
    'admin.enter',
    'story.create',
    'media.upload',
    'story.publishOwn',
    'story.manageAny',
    'taxonomy.manage',
    'newsletter.manage',
  ],
  admin: [
    'admin.enter',
    'story.create',
    'media.upload',
    'story.publishOwn',
    'story.manageAny',
    'taxonomy.manage',
    'staff.manage',
    'settings.manage',
    'newsletter.manage',
    'subscribers.export',
    'members.manage',
  ],
  owner: [
    'admin.enter',
    'story.create',
    'media.upload',
    'story.publishOwn',
    'story.manageAny',
    'taxonomy.manage',
    'staff.manage',
    'settings.manage',
    'newsletter.manage',
    'subscribers.export',
    'members.manage',
  ],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** What a staff member may do to one story, given whether they are one of its authors. */
export interface StoryRights {
  edit: boolean;
  publish: boolean;
}

/**
 * Contributors edit their own stories until they are published; authors edit and publish their
 * own; editors and above everyone's.
 */
export function storyRights(role: Role, story: { isOwn: boolean; everPublished: boolean }): StoryRights {
  if (hasPermission(role, 'story.manageAny')) return { edit: true, publish: true };
  if (!story.isOwn) return { edit: false, publish: false };
  if (hasPermission(role, 'story.publishOwn')) return { edit: true, publish: true };
  return { edit: !story.everPublished, publish: false };
}

/** Roles a staff member may hand out: admins manage everyone below owner; only the owner names admins. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'owner') return ['admin', 'editor', 'author', 'contributor'];
  if (role === 'admin') return ['editor', 'author', 'contributor'];
  return [];
}
