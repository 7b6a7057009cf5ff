import { parseArgs } from 'node:util';
import { buildStaffService, randomIds } from '../app.js';
import { createAuditTrail } from '../domain/audit/audit-trail.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { normalizeEmail } from '../domain/newsletter/newsletter-service.js';
import { isRole, roles } from '../domain/staff/roles.js';
import { createAuditRepository } from '../storage/audit-repository.js';
import type { DatabaseHandle } from '../storage/database.js';
import { createStaffRepository, createTwoFactorRepository } from '../storage/staff-repository.js';
import { onDatabase } from './on-database.js';

const usage = `Usage: kiosque user add --email <address> --name <name> [--role ${roles.join('|')}] [--language <tag>]
       kiosque user reset-two-factor --email <address>

add: creates a staff account and prints a one-time link (valid 24 hours) on which that person
chooses their password. The first account must be the owner (the default role when there is none yet).
reset-two-factor: turns off a member's two-factor sign-in (a lost phone and lost recovery codes),
for the owner above all, whom no one in the admin can reset (decision 0054).`;

/**
 * Turns off the two-factor sign-in of the member with this address, recorded in the audit log as
 * done from the command line; false when no member has the address.
 */
export async function resetTwoFactorByEmail(
  database: DatabaseHandle,
  email: string,
  clock: Clock = systemClock,
): Promise<boolean> {
  const address = normalizeEmail(email);
  const user = address ? await createStaffRepository(database.db, randomIds).findByEmail(address) : null;
  if (!user) return false;
  await createTwoFactorRepository(database.db).disable(user.id);
  await createAuditTrail({ store: createAuditRepository(database.db), clock, ids: randomIds }).record({
    action: 'staff.twoFactorReset',
    actor: { id: null, name: '', kind: 'system' },
    subject: { id: user.id, name: user.name },
  });
  return true;
}

/** `kiosque user add`: the command-line way to create the owner or invite a member. */
export async function runUser(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'reset-two-factor') {
    let email: string | undefined;
    try {
      email = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true }).values.email;
    } catch (error) {
      console.error(`kiosque user reset-two-factor: ${(error as Error).message}\n\n${usage}`);
      return 1;
    }
    if (!email) {
      console.error(`kiosque user reset-two-factor: --email is required.\n\n${usage}`);
      return 1;
    }
    return onDatabase('user reset-two-factor', async (database) => {
      if (!(await resetTwoFactorByEmail(database, email))) {
        console.error(`kiosque user reset-two-factor: no staff member has the address ${email}.`);
        return 1;
      }
      console.log(`Two-factor sign-in is off for ${email}; they sign in with their password and can set it up again.`);
      return 0;
    });
  }
  if (subcommand !== 'add') {
    console.error(usage);
    return 1;
  }
  let options: { email?: string; name?: string; role?: string; language?: string };
  try {
    options = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        language: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`kiosque user add: ${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  if (!options.email || !options.name) {
    console.error(`kiosque user add: --email and --name are required.\n\n${usage}`);
    return 1;
  }
  return onDatabase('user add', async (database, config) => {
    const staff = buildStaffService(database, config);
    const role = options.role ?? ((await staff.needsSetup()) ? 'owner' : 'contributor');
    if (!isRole(role)) {
      console.error(`kiosque user add: --role must be one of ${roles.join(', ')}.`);
      return 1;
    }
    const { user, token } = await staff.invite(null, {
      email: options.email as string,
      name: options.name as string,
      role,
      language: options.language ?? config.defaultLanguage,
    });
    console.log(
      `Created ${user.role} ${user.name} <${user.email}>. One-time link to choose a password (valid 24 hours):`,
    );
    console.log(`${config.publicUrl}/admin/invitation?token=${token}`);
    return 0;
  });
}
