import { parseArgs } from 'node:util';
import { buildIntegrationService } from '../app.js';
import { defaultScopes, scopes } from '../domain/integrations/integration.js';
import type { IntegrationService } from '../domain/integrations/integration-service.js';
import { onDatabase } from './on-database.js';

const usage = `Usage:
  kiosque integration add --name <name> [--scope <scope>]…
  kiosque integration list
  kiosque integration revoke <id>

add prints the new integration's Content API key and Admin API token (shown only once).
Scopes: ${scopes.join(', ')}; without --scope: ${defaultScopes.join(', ')}.`;

/** `add`'s options, or null (said on stderr) when they are wrong: checked before the database is opened. */
function addOptions(args: string[]): { name: string; scopes: string[] | undefined } | null {
  let values: { name?: string; scope?: string[] };
  try {
    values = parseArgs({
      args,
      options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`kiosque integration add: ${(error as Error).message}\n\n${usage}`);
    return null;
  }
  if (!values.name) {
    console.error(`kiosque integration add: --name is required.\n\n${usage}`);
    return null;
  }
  // `--scope a,b` and `--scope a --scope b` both work.
  const scopes = values.scope?.flatMap((scope) => scope.split(',').map((part) => part.trim())).filter(Boolean);
  return { name: values.name, scopes };
}

async function add(
  service: IntegrationService,
  options: { name: string; scopes: string[] | undefined },
  publicUrl: string,
): Promise<number> {
  const keys = await service.add({ name: options.name, scopes: options.scopes, createdBy: null });
  console.log(`Added integration "${keys.integration.name}" (${keys.integration.id}).`);
  console.log(`Content API URL:   ${publicUrl}`);
  console.log(`Content API key:   ${keys.contentKey}`);
  console.log(`Admin API token:   ${keys.adminToken}`);
  console.log(`Admin API scopes:  ${keys.integration.scopes.join(', ') || '(none)'}`);
  console.log('Keep the Admin API token secret: it is shown only now (replace the keys in the admin if it is lost).');
  return 0;
}

async function list(service: IntegrationService): Promise<number> {
  for (const integration of await service.list()) {
    const state = integration.revokedAt ? `revoked ${integration.revokedAt.toISOString()}` : 'active';
    console.log(`${integration.id}\t${integration.name}\t${state}\t${integration.scopes.join(',')}`);
  }
  return 0;
}

/** `kiosque integration`: add, list and revoke the programs that use the Content and Admin APIs. */
export async function runIntegration(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'add' && subcommand !== 'list' && subcommand !== 'revoke') {
    console.error(usage);
    return 1;
  }
  if (subcommand === 'revoke' && rest.length !== 1) {
    console.error(`kiosque integration revoke: name exactly one integration id.\n\n${usage}`);
    return 1;
  }
  const options = subcommand === 'add' ? addOptions(rest) : null;
  if (subcommand === 'add' && !options) return 1;
  return onDatabase(`integration ${subcommand}`, async (database, config) => {
    const service = buildIntegrationService(database);
    if (options) return add(service, options, `${config.publicUrl}/ghost/api/content/`);
    if (subcommand === 'list') return list(service);
    await service.revoke(rest[0] as string);
    console.log(`Revoked ${rest[0]}: its key and token no longer work.`);
    return 0;
  });
}
