import { parseArgs } from 'node:util';
import { buildStaffService } from '../app.js';
import { isRole, roles } from '../domain/staff/roles.js';
import { onDatabase } from './on-database.js';

const usage = `Usage: kiosque user add --email <address> --name <name> [--role ${roles.join('|')}] [--language <tag>]

Creates a staff account and prints a one-time link (valid 24 hours) on which that person chooses
their password. The first account must be the owner (the default role when there is none yet).`;

/** `kiosque user add`: the command-line way to create the owner or invite a member. */
export async function runUser(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
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
