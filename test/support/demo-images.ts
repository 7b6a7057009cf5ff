import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type DemoImageDrawer, generateDemoImage } from '../../src/demo/demo-images.js';
import { readDemoArticles } from '../../src/demo/demo-loader.js';

/**
 * Drawing the demo's pictures (SVG rendered, then mozjpeg) was most of a demo site's start, and
 * the suite starts some 170 of them: the global setup draws each picture once per run into
 * `folder`, with the very function the demo uses, and every test site reads them from there.
 */
export async function drawDemoImagesOnce(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const specs = new Map<string, { seed: string; hue: number }>();
  for (const article of await readDemoArticles())
    for (const spec of [...(article.hero ? [article.hero] : []), ...article.gallery])
      specs.set(fileName(spec.seed, spec.hue), spec);
  const queue = [...specs.entries()];
  // Two at a time: the machine has two cores.
  const draw = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, spec] = next;
      writeFileSync(path.join(folder, name), await generateDemoImage(spec.seed, spec.hue));
    }
  };
  await Promise.all([draw(), draw()]);
}

/** The demo's drawer for test sites: the picture drawn by the global setup, or drawn now when it is missing. */
export function demoImagesFrom(folder: string | undefined): DemoImageDrawer {
  return async (seed, hue) => {
    if (folder) {
      try {
        return readFileSync(path.join(folder, fileName(seed, hue)));
      } catch {
        // Not drawn beforehand (a demo folder of the test's own): draw it as the demo would.
      }
    }
    return generateDemoImage(seed, hue);
  };
}

function fileName(seed: string, hue: number): string {
  return `${createHash('sha256').update(`${seed}\u0000${hue}`).digest('hex').slice(0, 32)}.jpg`;
}
