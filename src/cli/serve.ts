import { type App, createApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { describeStartupError } from './startup-errors.js';

/** `kiosque serve`: start the site and stop cleanly on SIGINT/SIGTERM. */
export async function runServe(_args: string[]): Promise<number> {
  let app: App;
  let address: string;
  let setupLink: string | null = null;
  const started = performance.now();
  try {
    const config = loadConfig(process.env);
    app = await createApp({ config });
    await app.server.listen({ port: config.port, host: config.host });
    app.scheduler.start();
    // Newsletter sends resume where a stopped process left them (docs/decisions/0007-newsletter-sends-at-most-once.md).
    app.jobs.start();
    app.wireFolder?.start();
    address = config.publicUrl;
    // No staff account yet: the one way in is a one-time link, printed here (there is no default password).
    if (await app.staff.needsSetup()) {
      setupLink = `${address}/admin/setup?token=${encodeURIComponent(await app.staff.createOwnerSetupLink())}`;
    }
  } catch (error) {
    console.error(describeStartupError(error));
    return 1;
  }
  console.log(
    `Kiosque is serving ${address}/ (ready in ${Math.round(performance.now() - started)} ms; Ctrl+C to stop)`,
  );
  if (setupLink) {
    console.log(
      `No staff account yet. Create the owner's account here (one use, valid 24 hours; a restart prints a new one):\n  ${setupLink}`,
    );
  }

  return new Promise((resolve) => {
    const stop = async (signal: string) => {
      app.server.log.info({ signal }, 'shutting down');
      await app.close().catch(() => {});
      resolve(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
