import type { Clock, IdGenerator } from '../clock.js';
import type { MessageKey, Translator } from '../i18n/translator.js';
import { isRole } from '../staff/roles.js';

/**
 * The staff audit log (issue 14, decision 0055): who did what, to what, when. Entries are stored
 * structured — an action code, the names as they were at the time, a few parameters — and written
 * in words only when read, in the reader's language, so a log written in one language reads in any.
 */
export const auditActions = [
  'staff.signedIn',
  'staff.twoFactorFailed',
  'staff.passwordChanged',
  'staff.passwordReset',
  'staff.twoFactorOn',
  'staff.twoFactorOff',
  'staff.twoFactorReset',
  'staff.invited',
  'staff.invitationResent',
  'staff.invitationAccepted',
  'staff.roleChanged',
  'staff.removed',
  'integration.created',
  'integration.revoked',
  'story.published',
  'story.unpublished',
  'story.scheduled',
  'story.deleted',
  'story.restored',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Who acted: a staff member, a program through its Admin API token, or the operator at the command line. */
export interface AuditActor {
  id: string | null;
  /** The name at the time (a later rename does not rewrite history). */
  name: string;
  kind: 'staff' | 'integration' | 'system';
}

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor;
  /** What it was done to, by name at the time: a colleague, a story's headline, an integration. */
  subject?: { id: string; name: string };
  /** The action's parameters in words the catalog renders (a role is a role code, shown translated). */
  details?: Record<string, string>;
}

export interface StoredAuditEntry extends Required<Pick<AuditEntry, 'action' | 'actor'>> {
  id: string;
  at: Date;
  subject: { id: string | null; name: string };
  details: Record<string, string>;
}

/**
 * The port every feature that must leave a trace calls (sign-in, staff, integrations, the story
 * editor). One method, so adding a trace to a feature is one dependency and one call.
 */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

/** Where entries are kept, and read back newest first. */
export interface AuditLogStore {
  insert(entry: StoredAuditEntry): Promise<void>;
  page(query: {
    actorId?: string;
    limit: number;
    offset: number;
  }): Promise<{ entries: StoredAuditEntry[]; total: number }>;
  /** Everyone who appears as an actor, with their latest name: the filter's choices. */
  actors(): Promise<{ id: string; name: string }[]>;
}

export const auditPageSize = 50;

/** An audit trail writing to `store`, with the time and id of each entry from the clock and the id generator. */
export function createAuditTrail(deps: { store: AuditLogStore; clock: Clock; ids: IdGenerator }): AuditTrail {
  return {
    async record(entry) {
      await deps.store.insert({
        id: deps.ids('aud'),
        at: deps.clock.now(),
        action: entry.action,
        actor: { ...entry.actor, name: entry.actor.name.slice(0, 300) },
        subject: entry.subject
          ? { id: entry.subject.id, name: entry.subject.name.slice(0, 500) }
          : { id: null, name: '' },
        details: entry.details ?? {},
      });
    },
  };
}

/** An audit trail that writes nothing: for code paths without a log (tests of one service, the CLI). */
export const noAuditTrail: AuditTrail = { record: async () => {} };

const isAuditAction = (value: string): value is AuditAction => (auditActions as readonly string[]).includes(value);

/** Who did it, in words: a program's name says it is one. */
export function describeAuditActor(t: Translator, actor: AuditActor): string {
  if (actor.kind === 'integration') return t.t('audit.actor.integration', { name: actor.name });
  if (actor.kind === 'system') return t.t('audit.actor.system');
  return actor.name;
}

/** What was done, as a sentence in the reader's language, from the stored entry (never its ids). */
export function describeAuditEntry(t: Translator, entry: StoredAuditEntry): string {
  if (!isAuditAction(entry.action)) return t.t('audit.action.unknown', { action: entry.action });
  const role = entry.details.role;
  const values: Record<string, string> = {
    ...entry.details,
    subject: entry.subject.name,
    role: role && isRole(role) ? t.t(`admin.role.${role}` as MessageKey) : (role ?? ''),
    at: entry.details.at ? t.dateTime(new Date(entry.details.at)) : '',
    method: entry.details.method === 'recovery' ? t.t('audit.method.recovery') : t.t('audit.method.code'),
  };
  return t.t(`audit.action.${entry.action}` as MessageKey, values);
}
