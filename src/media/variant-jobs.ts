import type { VariantFormat, VariantScheduler } from '../domain/media/media-library.js';
import { type CropRatio, cropRatios, type ImageSource, type ImageVariants } from './image-variants.js';

/** Records which formats of an image are complete, so pages can offer them (AVIF only once it exists). */
export interface VariantRecords {
  addVariantFormats(id: string, formats: VariantFormat[]): Promise<void>;
}

interface Job {
  source: ImageSource;
  format: VariantFormat;
  widths: number[];
  /** A crop job (search engines' 16:9, 4:3 and 1:1) has no widths, only these. */
  crops?: CropRatio[];
}

const pending = (job: Job) => job.widths.length + (job.crops?.length ?? 0);

/** WebP and JPEG take tens of milliseconds per width; AVIF about two seconds at 1280 px. */
const slowFormats: ReadonlySet<VariantFormat> = new Set(['avif']);

export const backgroundFormats: readonly VariantFormat[] = ['webp', 'jpg', 'avif'];

/**
 * Makes the responsive variants of new uploads one width at a time, outside any request, through
 * the same function as the on-demand route (which keeps serving whatever is not made yet). Fast
 * formats go first and cut in between the widths of a slow AVIF job, so a second upload's WebP
 * never waits behind the first upload's AVIF. One worker: readers' requests keep the other cores.
 */
export function createVariantJobs(deps: {
  variants: ImageVariants;
  widths: readonly number[];
  records: VariantRecords;
  logger: { error(object: object, message: string): void };
}): VariantScheduler & { idle(): Promise<void>; close(): Promise<void> } {
  const fast: Job[] = [];
  const slow: Job[] = [];
  let running: Promise<void> | null = null;
  let closed = false;

  async function step(job: Job): Promise<void> {
    const ratio = job.crops?.shift();
    if (ratio !== undefined) {
      if (!(await deps.variants.crop(job.source, ratio)) && job.crops) job.crops.length = 0;
      return;
    }
    const width = job.widths.shift();
    if (width !== undefined) {
      const bytes = await deps.variants.get(job.source, width, job.format);
      // The original is gone (image deleted meanwhile): nothing more to make.
      if (!bytes) job.widths.length = 0;
      else if (job.widths.length > 0) return;
      else await deps.records.addVariantFormats(job.source.id, [job.format]);
    }
  }

  async function work(): Promise<void> {
    for (;;) {
      if (closed) return;
      const lane = fast.length > 0 ? fast : slow;
      const job = lane[0];
      if (!job) return;
      try {
        await step(job);
      } catch (error) {
        deps.logger.error({ err: error, image: job.source.id, format: job.format }, 'variant job failed');
        job.widths.length = 0;
        if (job.crops) job.crops.length = 0;
      }
      if (pending(job) === 0) lane.shift();
    }
  }

  function kick(): void {
    if (running || closed) return;
    running = work().finally(() => {
      running = null;
      if (fast.length + slow.length > 0) kick();
    });
  }

  return {
    schedule(source, formats = backgroundFormats) {
      if (closed) return;
      const widths = deps.widths.filter((width) => deps.variants.isOffered(source, width));
      for (const format of formats) {
        const job = {
          source: { id: source.id, originalKey: source.originalKey, width: source.width },
          format,
          widths: [...widths],
        };
        (slowFormats.has(format) ? slow : fast).push(job);
      }
      // The crops structured data names come with the JPEG variants (the format they are in).
      if (formats.includes('jpg')) {
        fast.push({ source: { ...source }, format: 'jpg', widths: [], crops: Object.keys(cropRatios) as CropRatio[] });
      }
      kick();
    },

    /** Resolves once every scheduled variant is made (tests, and a graceful stop). */
    async idle() {
      while (running) await running;
    },

    /** Drops what is queued and waits for the variant being made, so the database can close after. */
    async close() {
      closed = true;
      fast.length = 0;
      slow.length = 0;
      await running;
    },
  };
}
