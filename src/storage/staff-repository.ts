import type { Kysely, Selectable } from 'kysely';
import { KiosqueError } from '../domain/errors.js';
import type { ResetTokenStore } from '../domain/staff/password-reset.js';
import { isRole } from '../domain/staff/roles.js';
import type {
  LoginFailureStore,
  SessionDirectory,
  SessionStore,
  SetupTokenStore,
  SigninStepStore,
  StaffDirectory,
  StaffStore,
  StaffUser,
} from '../domain/staff/staff-service.js';
import type { SecondFactorUses, TwoFactorStore } from '../domain/staff/two-factor.js';
import { isUniqueViolation } from './article-repository.js';
import type { Database, StaffUsersTable } from './schema.js';
import { toDate } from './schema.js';

function toUser(row: Selectable<StaffUsersTable>): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: isRole(row.role) ? row.role : 'contributor',
    language: row.language,
    authorId: row.author_id,
    createdAt: toDate(row.created_at),
    hasPassword: row.password_hash !== '',
    twoFactor: row.totp_enabled_at !== null && row.totp_secret !== '',
  };
}

/** Staff accounts on SQL; removed members stay (their bylines do) but can no longer be found or sign in. */
export function createStaffRepository(
  db: Kysely<Database>,
  ids: (prefix: string) => string,
): StaffStore & StaffDirectory {
  const active = () => db.selectFrom('staff_users').where('removed_at', 'is', null);
  return {
    async findByEmail(email) {
      const row = await active().selectAll().where('email', '=', email).executeTakeFirst();
      return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
    },

    async findById(id) {
      const row = await active().selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async insert(user, passwordHash, author) {
      try {
        return await db.transaction().execute(async (trx) => {
          // A byline of the same name may already exist (demo content, imports): sign with it.
          let authorRow = await trx
            .selectFrom('authors')
            .select('id')
            .where('slug', '=', author.slug)
            .executeTakeFirst();
          if (!authorRow) {
            authorRow = { id: ids('aut') };
            await trx
              .insertInto('authors')
              .values({
                id: authorRow.id,
                slug: author.slug,
                name: author.name,
                bio: '',
                created_at: user.createdAt.toISOString(),
              })
              .execute();
          }
          await trx
            .insertInto('staff_users')
            .values({
              id: user.id,
              email: user.email,
              name: user.name,
              password_hash: passwordHash,
              role: user.role,
              language: user.language,
              author_id: authorRow.id,
              created_at: user.createdAt.toISOString(),
              removed_at: null,
            })
            .execute();
          return { ...user, authorId: authorRow.id };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new KiosqueError('STAFF_EMAIL_TAKEN');
        throw error;
      }
    },

    async update(id, changes) {
      await db
        .updateTable('staff_users')
        .set({
          ...(changes.role ? { role: changes.role } : {}),
          ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
          ...(changes.removedAt ? { removed_at: changes.removedAt.toISOString() } : {}),
          ...(changes.language ? { language: changes.language } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async list() {
      const rows = await active().selectAll().orderBy('created_at').execute();
      return rows.map(toUser);
    },

    async countActive() {
      const row = await active()
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** How a session is named in the sessions list: the start of its hash, never its cookie value. */
const handleLength = 16;

export function createSessionRepository(db: Kysely<Database>): SessionStore & SessionDirectory {
  return {
    async create(idHash, session) {
      await db
        .insertInto('staff_sessions')
        .values({
          id_hash: idHash,
          user_id: session.userId,
          csrf_token: session.csrfToken,
          created_at: session.createdAt.toISOString(),
          expires_at: session.expiresAt.toISOString(),
          ip: session.ip,
          user_agent: session.userAgent,
        })
        .execute();
    },
    async find(idHash) {
      const row = await db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return row
        ? {
            userId: row.user_id,
            csrfToken: row.csrf_token,
            expiresAt: toDate(row.expires_at),
            lastUsedAt: row.last_used_at ? toDate(row.last_used_at) : null,
          }
        : null;
    },
    async remove(idHash) {
      await db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
    },
    async removeAllOf(userId) {
      const result = await db.deleteFrom('staff_sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async listOf(userId, now) {
      const rows = await db
        .selectFrom('staff_sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('expires_at', '>', now.toISOString())
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((row) => ({
        idHash: row.id_hash,
        handle: row.id_hash.slice(0, handleLength),
        createdAt: toDate(row.created_at),
        lastUsedAt: row.last_used_at ? toDate(row.last_used_at) : null,
        ip: row.ip,
        userAgent: row.user_agent,
      }));
    },
    async removeByHandle(userId, handle) {
      if (!/^[0-9a-f]+$/.test(handle) || handle.length !== handleLength) return false;
      const result = await db
        .deleteFrom('staff_sessions')
        .where('user_id', '=', userId)
        .where('id_hash', 'like', `${handle}%`)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async removeAllOfExcept(userId, keepIdHash) {
      const result = await db
        .deleteFrom('staff_sessions')
        .where('user_id', '=', userId)
        .where('id_hash', '<>', keepIdHash)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async touch(idHash, at) {
      await db
        .updateTable('staff_sessions')
        .set({ last_used_at: at.toISOString() })
        .where('id_hash', '=', idHash)
        .execute();
    },
  };
}

/** The half-signed-in steps of two-factor sign-in (hashes of their tokens). */
export function createSigninStepRepository(db: Kysely<Database>): SigninStepStore {
  return {
    async create(tokenHash, userId, createdAt, expiresAt) {
      await db.transaction().execute(async (trx) => {
        // Expired steps are never read again: forgotten as new ones are made.
        await trx.deleteFrom('staff_signin_steps').where('expires_at', '<', createdAt.toISOString()).execute();
        await trx
          .insertInto('staff_signin_steps')
          .values({
            token_hash: tokenHash,
            user_id: userId,
            created_at: createdAt.toISOString(),
            expires_at: expiresAt.toISOString(),
          })
          .execute();
      });
    },
    async find(tokenHash, now) {
      const row = await db
        .selectFrom('staff_signin_steps')
        .select('user_id')
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      return row ? { userId: row.user_id } : null;
    },
    async remove(tokenHash) {
      const result = await db.deleteFrom('staff_signin_steps').where('token_hash', '=', tokenHash).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

/** Each member's second factor: the sealed secret, the last step used, the recovery codes (hashes). */
export function createTwoFactorRepository(db: Kysely<Database>): TwoFactorStore & SecondFactorUses {
  const clear = {
    totp_secret: '',
    totp_pending_secret: '',
    totp_enabled_at: null,
    totp_last_step: null,
  };
  return {
    async state(userId) {
      const row = await db
        .selectFrom('staff_users')
        .select(['totp_secret', 'totp_pending_secret', 'totp_enabled_at'])
        .where('id', '=', userId)
        .executeTakeFirst();
      const codes = await db
        .selectFrom('staff_recovery_codes')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return {
        secret: row?.totp_secret ?? '',
        pendingSecret: row?.totp_pending_secret ?? '',
        enabledAt: row?.totp_enabled_at ? toDate(row.totp_enabled_at) : null,
        recoveryCodesLeft: Number(codes.n),
      };
    },
    async setPending(userId, sealedSecret) {
      await db.updateTable('staff_users').set({ totp_pending_secret: sealedSecret }).where('id', '=', userId).execute();
    },
    async enable(userId, sealedSecret, step, at, recoveryHashes) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff_users')
          .set({
            totp_secret: sealedSecret,
            totp_pending_secret: '',
            totp_enabled_at: at.toISOString(),
            totp_last_step: step,
          })
          .where('id', '=', userId)
          .execute();
        await trx.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute();
        await trx
          .insertInto('staff_recovery_codes')
          .values(recoveryHashes.map((hash) => ({ user_id: userId, code_hash: hash, used_at: null })))
          .execute();
      });
    },
    async disable(userId) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('staff_users').set(clear).where('id', '=', userId).execute();
        await trx.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute();
      });
    },
    async acceptStep(userId, step) {
      // The conditional update is the lock: of two requests with one code, one updates a row.
      const result = await db
        .updateTable('staff_users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async useRecoveryCode(userId, codeHash, at) {
      const result = await db
        .updateTable('staff_recovery_codes')
        .set({ used_at: at.toISOString() })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

/** The tables of one-time links kept as hashes: setup and invitation links, password reset links. */
type OneTimeTokenTable = 'staff_setup_tokens' | 'staff_reset_tokens';

/**
 * A store of one-time links in `table`: each stored as the hash of its secret, usable once, before
 * it expires. `UserId` is whom a link is for (a setup link made before any staff exists is for
 * no one yet).
 */
function oneTimeTokenStore<UserId extends string | null>(db: Kysely<Database>, table: OneTimeTokenTable) {
  const usable = (tokenHash: string, now: Date) =>
    db
      .selectFrom(table)
      .select('user_id')
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString());
  return {
    /** Stores a link through `executor` (the database, or the transaction it belongs to). */
    async insert(
      executor: Kysely<Database>,
      tokenHash: string,
      userId: UserId,
      createdAt: Date,
      expiresAt: Date,
    ): Promise<void> {
      await executor
        .insertInto(table)
        .values({
          token_hash: tokenHash,
          user_id: userId as string,
          created_at: createdAt.toISOString(),
          expires_at: expiresAt.toISOString(),
          used_at: null,
        })
        .execute();
    },
    async peek(tokenHash: string, now: Date): Promise<{ userId: UserId } | null> {
      const row = await usable(tokenHash, now).executeTakeFirst();
      return row ? { userId: row.user_id as UserId } : null;
    },
    async consume(tokenHash: string, now: Date): Promise<{ userId: UserId } | null> {
      // The conditional update is the lock: of two concurrent uses, one updates a row, one none.
      const row = await usable(tokenHash, now).executeTakeFirst();
      if (!row) return null;
      const result = await db
        .updateTable(table)
        .set({ used_at: now.toISOString() })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? { userId: row.user_id as UserId } : null;
    },
  };
}

export function createSetupTokenRepository(db: Kysely<Database>): SetupTokenStore {
  const tokens = oneTimeTokenStore<string | null>(db, 'staff_setup_tokens');
  return {
    async create(tokenHash, userId, createdAt, expiresAt) {
      await db.transaction().execute(async (trx) => {
        // A resent invitation voids the earlier link: only the latest email works.
        if (userId !== null) {
          await trx
            .updateTable('staff_setup_tokens')
            .set({ used_at: createdAt.toISOString() })
            .where('user_id', '=', userId)
            .where('used_at', 'is', null)
            .execute();
        }
        await tokens.insert(trx, tokenHash, userId, createdAt, expiresAt);
      });
    },
    peek: tokens.peek,
    consume: tokens.consume,
  };
}

export function createLoginFailureRepository(db: Kysely<Database>): LoginFailureStore {
  return {
    async record(keys, at, forgetBefore) {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('login_failures')
          .where('key', 'in', keys)
          .where('failed_at', '<', forgetBefore.toISOString())
          .execute();
        await trx
          .insertInto('login_failures')
          .values(keys.map((key) => ({ key, failed_at: at.toISOString() })))
          .execute();
      });
    },
    async recent(key, since, limit) {
      const rows = await db
        .selectFrom('login_failures')
        .select('failed_at')
        .where('key', '=', key)
        .where('failed_at', '>', since.toISOString())
        .orderBy('failed_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => toDate(row.failed_at));
    },
    async clear(key) {
      await db.deleteFrom('login_failures').where('key', '=', key).execute();
    },
  };
}

/** Staff password reset links (hashes), apart from setup and invitation links. */
export function createResetTokenRepository(db: Kysely<Database>): ResetTokenStore {
  const tokens = oneTimeTokenStore<string>(db, 'staff_reset_tokens');
  const voidAll = async (executor: Kysely<Database>, userId: string, at: Date) => {
    await executor
      .updateTable('staff_reset_tokens')
      .set({ used_at: at.toISOString() })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  };
  return {
    async create(tokenHash, userId, createdAt, expiresAt) {
      await db.transaction().execute(async (trx) => {
        // A newer link voids the earlier ones: only the latest email works.
        await voidAll(trx, userId, createdAt);
        await tokens.insert(trx, tokenHash, userId, createdAt, expiresAt);
      });
    },
    peek: tokens.peek,
    consume: tokens.consume,
    voidAll: (userId, now) => voidAll(db, userId, now),
  };
}
