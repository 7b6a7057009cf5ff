import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import type { WireDesk, WireSourceStore } from '../domain/wire/wire-desk.js';
import { freshPollState, wireSourceKinds } from '../domain/wire/wire-source.js';

/** Where the demo's wire files live (see demo/README.md). */
export const demoWireFolder = new URL('../../demo/wire/', import.meta.url);

const sourceSpec = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(wireSourceKinds),
  feedUrl: z.string().url().nullable().default(null),
  language: z.string().nullable().default(null),
  creditName: z.string().default(''),
  licenceNote: z.string().default(''),
  files: z.array(z.string().regex(/^[\w.-]+$/)).min(1),
});

/**
 * Fills the wire desk with the demo's sources and files (no network: the demo feed is disabled,
 * its items come from a file). Called when the demo content is loaded, so a new user sees a full
 * desk: English and French items, one embargoed, one in two versions.
 */
export async function loadDemoWire(
  deps: { desk: Pick<WireDesk, 'readFile'>; sources: WireSourceStore; clock: Clock },
  folder: URL = demoWireFolder,
): Promise<number> {
  const specs = z.array(sourceSpec).parse(JSON.parse(await readFile(new URL('sources.json', folder), 'utf8')));
  let stored = 0;
  for (const { files, ...spec } of specs) {
    const source = {
      ...spec,
      pollMinutes: 60,
      // The demo never fetches anything: its feed is shown, disabled, with the items of its file.
      enabled: spec.kind !== 'feed',
      ...freshPollState(deps.clock.now()),
    };
    await deps.sources.save(source);
    for (const file of files) {
      const bytes = await readFile(new URL(file, folder));
      stored += (await deps.desk.readFile(source, { bytes, filename: file })).stored.length;
    }
  }
  return stored;
}
