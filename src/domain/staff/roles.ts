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
  | 'members.manage'
  /** See the wire desk: sources, the queue, an item's text (decision 0036). */
  | 'wire.read'
  /** Make a draft story from a wire item, upload wire files, paste a URL for the desk to fetch. */
  | 'wire.use'
  /** Add, change, disable and poll the wire's feed sources. */
  | 'wire.manage';

const grants: Record<Role, readonly Permission[]> = {
  contributor: ['admin.enter', 'story.create', 'media.upload', 'wire.read'],
  author: ['admin.enter', 'story.create', 'media.upload', 'story.publishOwn', 'wire.read', 'wire.use'],
  editor: [
    'admin.enter',
    'story.create',
    'media.upload',
    'story.publishOwn',
    'story.manageAny',
    'taxonomy.manage',
    'newsletter.manage',
    'wire.read',
    'wire.use',
    'wire.manage',
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
    'wire.read',
    'wire.use',
    'wire.manage',
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
    'wire.read',
    'wire.use',
    'wire.manage',
  ],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/**
 * Everything a staff member can do to one story. Each door (editor page, JSON API, revisions,
 * preview, translations, newsletter) names its action and asks `storyRights()`: the rule is
 * written once, here, and `story-editor.ts` calls it on every path (issue 11, decision 0015).
 */
export const storyActions = [
  /** See the story's whole text in the editor. */
  'open',
  /** Save typed text (plain form or autosave); on a live story this is a pending version. */
  'edit',
  /** Get the private preview link. */
  'preview',
  /** List the revisions and diff any two. */
  'revisions',
  /** Bring back an earlier revision's content. */
  'revert',
  /** Start a translation from it: reading its whole text and carrying its byline over. */
  'translate',
  /** Move it into or out of a translation group. */
  'link',
  'unlink',
  'publish',
  'schedule',
  'unpublish',
  /** Put the pending version live ("Update the live story"). */
  'updateLive',
  /** Throw the pending version away. */
  'discardPending',
  'delete',
  'restore',
  /** Send it to a newsletter (also needs `newsletter.manage`). */
  'newsletter',
  /** "Mark as reviewed": answer for machine-translated text, which then may be published. */
  'review',
] as const;
export type StoryAction = (typeof storyActions)[number];

/** What a staff member may do to one story. `edit`/`publish` summarise the two kinds of action. */
export type StoryRights = Record<StoryAction, boolean>;

/** The actions that touch what readers see (or will see): for whoever may publish the story. */
const publishingActions: ReadonlySet<StoryAction> = new Set<StoryAction>([
  'link',
  'unlink',
  'publish',
  'schedule',
  'unpublish',
  'updateLive',
  'discardPending',
  'delete',
  'restore',
  'newsletter',
  // Reviewing machine text is what lets it reach readers: the people who may publish the story.
  'review',
]);

/**
 * Contributors open and edit their own stories until they leave the drafts; authors edit and
 * publish their own; editors and above everyone's. "Own" means the staff member is on the byline.
 * Reading the whole text (open, preview, revisions, translate) goes with the right to edit: a
 * colleague's draft is not readable through another door.
 */
export function storyRights(role: Role, story: { isOwn: boolean; everPublished: boolean }): StoryRights {
  let edit: boolean;
  let publish: boolean;
  if (hasPermission(role, 'story.manageAny')) [edit, publish] = [true, true];
  else if (!story.isOwn) [edit, publish] = [false, false];
  else if (hasPermission(role, 'story.publishOwn')) [edit, publish] = [true, true];
  else [edit, publish] = [!story.everPublished, false];
  const rights = {} as StoryRights;
  for (const action of storyActions) {
    rights[action] = publishingActions.has(action) ? publish : edit;
  }
  // A translation is a new story made from this one's whole text: it needs the right to read it
  // and to create stories.
  rights.translate = edit && hasPermission(role, 'story.create');
  rights.newsletter = publish && hasPermission(role, 'newsletter.manage');
  return rights;
}

/** Roles a staff member may hand out: admins manage everyone below owner; only the owner names admins. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'owner') return ['admin', 'editor', 'author', 'contributor'];
  if (role === 'admin') return ['editor', 'author', 'contributor'];
  return [];
}
