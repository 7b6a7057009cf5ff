import sharp from 'sharp';

/** A small deterministic PRNG (mulberry32) so a seed always draws the same picture. */
function random(seedText: string): () => number {
  let seed = 0;
  for (const char of seedText) seed = (Math.imul(seed, 31) + char.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws the picture a demo image spec names: the same seed and hue always give the same bytes. */
export type DemoImageDrawer = (seed: string, hue: number) => Promise<Buffer>;

/**
 * Draws an abstract illustration (gradient sky, layered hills, a sun, a few shapes) as JPEG.
 * No text: captions say what the image stands for, and that it is generated.
 */
export async function generateDemoImage(seed: string, hue: number, width = 1600, height = 900): Promise<Buffer> {
  const rand = random(seed);
  const h = (offset: number) => (((hue + offset) % 360) + 360) % 360;
  const hills = Array.from({ length: 4 }, (_, layer) => {
    const base = height * (0.45 + layer * 0.13);
    const points: string[] = [`0,${height}`];
    for (let x = 0; x <= width; x += width / 8)
      points.push(`${x.toFixed(0)},${(base - rand() * height * 0.18).toFixed(0)}`);
    points.push(`${width},${height}`);
    return `<polygon points="${points.join(' ')}" fill="hsl(${h(layer * 18 + 160)}, ${40 + layer * 8}%, ${52 - layer * 9}%)" opacity="0.92"/>`;
  }).join('');
  const shapes = Array.from({ length: 7 }, () => {
    const size = 20 + rand() * 90;
    return `<circle cx="${(rand() * width).toFixed(0)}" cy="${(rand() * height * 0.5).toFixed(0)}" r="${size.toFixed(0)}" fill="hsl(${h(rand() * 60)}, 70%, 85%)" opacity="${(0.15 + rand() * 0.25).toFixed(2)}"/>`;
  }).join('');
  const sun = `<circle cx="${(width * (0.2 + rand() * 0.6)).toFixed(0)}" cy="${(height * (0.18 + rand() * 0.15)).toFixed(0)}" r="${(height * 0.1).toFixed(0)}" fill="hsl(${h(40)}, 90%, 75%)"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${h(0)}, 65%, 38%)"/><stop offset="1" stop-color="hsl(${h(30)}, 70%, 78%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#sky)"/>${shapes}${sun}${hills}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 86, mozjpeg: true }).toBuffer();
}
