import sharp from 'sharp';

/** Side of the publisher logo, in pixels (Google asks for at least 112 × 112). */
export const publisherLogoSize = 512;

/** The site icon (SVG) drawn as a square PNG, once at start: structured data's publisher logo. */
export function publisherLogo(svg: Buffer): Promise<Buffer> {
  return sharp(svg, { density: 600 }).resize(publisherLogoSize, publisherLogoSize).png().toBuffer();
}
