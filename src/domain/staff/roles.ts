/**
 * Who may do what in the newsroom. The rights follow what Ghost and WordPress users expect:
 * contributors write drafts, authors publish their own stories, editors handle everyone's,
 * admins also run staff and settings, and the owner is an admin who cannot be removed.
 */
export const roles = ['owner', 'admin', 'editor', 'author', 'contributor'] as const;
export type Role = (typeof roles)[number];

/** The role given and every role above it: the rights climb the ladder in `roles`, owner first. */
function andAbove(role: Role): readonly Role[] {
  return roles.slice(0, roles.indexOf(role) + 1);
}

/**
 * Each permission and who holds it, one row a permission: the one place a right is written (issue
 * 11); `Permission` is read off its keys, so a new permission is one new row.
 */
const holders = {
  /** Open the admin at all. */
  'admin.enter': andAbove('contributor'),
  /** Create a story (as a draft). */
  'story.create': andAbove('contributor'),
  /** Edit, publish, schedule, unpublish, delete any story, whoever wrote it. */
  'story.manageAny': andAbove('editor'),
  /** Publish, schedule, unpublish and delete one's own stories. */
  'story.publishOwn': andAbove('author'),
  /**
   * Kill a published story (decision 0057): it answers 410 Gone and leaves every channel for good.
   * A legal act of the newsroom, not an author's: editors and above, on any story.
   */
  'story.kill': andAbove('editor'),
  /** Upload and reuse images. */
  'media.upload': andAbove('contributor'),
  /**
   * Answer a story submitted for review: request changes or approve it (issue 14). The people who
   * may publish anyone's story; each of them is emailed when a story is submitted.
   */
  'story.review': andAbove('editor'),
  /** Create and rename sections and tags beyond choosing them on a story. */
  'taxonomy.manage': andAbove('editor'),
  /**
   * Curate the front page (issue 14, decision 0060): pin each language's lead and top stories, each
   * section's lead, and set the breaking-news banner — what every reader sees first.
   */
  'frontpage.manage': andAbove('editor'),
  /**
   * Edit every author's profile (photo, title and bio per language, links; decision 0062). Anyone
   * linked to an author profile may edit their own (`mayEditAuthorProfile`).
   */
  'authors.manage': andAbove('editor'),
  /** Add, change and remove staff accounts. */
  'staff.manage': andAbove('admin'),
  /** Change site settings (Admin → Settings, decision 0058). */
  'settings.manage': andAbove('admin'),
  /** Write the static pages: About, Contact, the policies (decision 0059). */
  'pages.manage': andAbove('editor'),
  /** Create newsletters and send stories to them (with the right to publish the story). */
  'newsletter.manage': andAbove('editor'),
  /**
   * Export everything kept about one subscriber (consent record, lists): personal data, so kept
   * to the people who answer readers' data requests, apart from newsletter editing.
   */
  'subscribers.export': andAbove('admin'),
  /** See readers' accounts (personal data), export them, and grant complimentary access. */
  'members.manage': andAbove('admin'),
  /**
   * Download the whole site as an export (decision 0050): every story, staff list, member and
   * consent entry at once, so kept to the people who run the site.
   */
  'site.export': andAbove('admin'),
  /** See the wire desk: sources, the queue, an item's text (decision 0036). */
  'wire.read': andAbove('contributor'),
  /** Make a draft story from a wire item, upload wire files, paste a URL for the desk to fetch. */
  'wire.use': andAbove('author'),
  /** Add, change, disable and poll the wire's feed sources. */
  'wire.manage': andAbove('editor'),
  /**
   * Add, revoke and re-key integrations (issue 13): their tokens write stories and may read
   * members, so handing one out is a staff-and-settings decision.
   */
  'integrations.manage': andAbove('admin'),
  /** Import a whole site from another system (WordPress, Ghost): it writes stories, people and redirects. */
  'site.import': andAbove('admin'),
  /**
   * Read the staff audit log (decision 0055): it records what admins themselves did (roles handed
   * out, two-factor reset, integrations), so it is read by the one role above them.
   */
  'audit.read': andAbove('owner'),
} satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof holders;

export function hasPermission(role: Role, permission: Permission): boolean {
  return holders[permission].includes(role);
}

/** Whether this staff member may edit this author's profile: editors and up, or the author themself. */
export function mayEditAuthorProfile(user: { role: Role; authorId: string | null }, authorId: string): boolean {
  return hasPermission(user.role, 'authors.manage') || user.authorId === authorId;
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/**
 * Everything a staff member can do to one story, each with its kind: an `edit` action goes with
 * the right to edit the story, a `publish` one with the right to publish it. Each door (editor
 * page, JSON API, revisions, preview, translations, newsletter) names its action and asks
 * `storyRights()`: the rule is written once, here, and `story-editor.ts` calls it on every path
 * (issue 11, decision 0015). A new action is one new row.
 */
const storyActionKinds = {
  /** See the story's whole text in the editor. */
  open: 'edit',
  /** Save typed text (plain form or autosave); on a live story this is a pending version. */
  edit: 'edit',
  /** Get the private preview link. */
  preview: 'edit',
  /** List the revisions and diff any two. */
  revisions: 'edit',
  /** Bring back an earlier revision's content. */
  revert: 'edit',
  /** Start a translation from it: reading its whole text and carrying its byline over. */
  translate: 'edit',
  // From here on, the actions that touch what readers see (or will see): for whoever may publish
  // the story.
  /** Move it into or out of a translation group. */
  link: 'publish',
  unlink: 'publish',
  publish: 'publish',
  schedule: 'publish',
  unpublish: 'publish',
  /** Put the pending version live ("Update the live story"). */
  updateLive: 'publish',
  /** Throw the pending version away. */
  discardPending: 'publish',
  delete: 'publish',
  restore: 'publish',
  /** Send it to a newsletter (also needs `newsletter.manage`). */
  newsletter: 'publish',
  /** Kill it: 410 Gone at its address, off every channel, for good (also needs `story.kill`). */
  kill: 'publish',
  /**
   * "Mark as reviewed": answer for machine-translated text, which then may be published. Reviewing
   * machine text is what lets it reach readers: the people who may publish the story.
   */
  review: 'publish',
  // The review loop (issue 14, decision 0053): the author hands their draft to the editors, who
  // answer it. Their kinds are overridden in `storyRights()`.
  /** "Submit for review" (and again after changes were requested): the author's own story only. */
  submitForReview: 'edit',
  /** "Request changes", with a note for the author. */
  requestChanges: 'publish',
  /** "Approve": the words may go to readers. */
  approve: 'publish',
  /**
   * Draft, publish or throw away a correction or clarification (decision 0056): it changes what
   * readers are told about the story, so it is for the people who may publish it.
   */
  correct: 'publish',
} as const satisfies Record<string, 'edit' | 'publish'>;

export type StoryAction = keyof typeof storyActionKinds;
export const storyActions = Object.keys(storyActionKinds) as readonly StoryAction[];

/** What a staff member may do to one story. `edit`/`publish` summarise the two kinds of action. */
export type StoryRights = Record<StoryAction, boolean>;

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
    rights[action] = storyActionKinds[action] === 'publish' ? publish : edit;
  }
  // A translation is a new story made from this one's whole text: it needs the right to read it
  // and to create stories.
  rights.translate = edit && hasPermission(role, 'story.create');
  rights.newsletter = publish && hasPermission(role, 'newsletter.manage');
  // Submitting hands one's own words to the editors; answering is the editors' whatever the
  // byline (an author publishes their own stories but does not approve them).
  rights.submitForReview = edit && story.isOwn;
  rights.requestChanges = hasPermission(role, 'story.review');
  rights.approve = hasPermission(role, 'story.review');
  rights.kill = publish && hasPermission(role, 'story.kill');
  return rights;
}

/** Roles a staff member may hand out: admins manage everyone below owner; only the owner names admins. */
export function assignableRoles(role: Role): Role[] {
  if (role === 'owner') return ['admin', 'editor', 'author', 'contributor'];
  if (role === 'admin') return ['editor', 'author', 'contributor'];
  return [];
}
