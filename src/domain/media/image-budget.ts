/**
 * The pixel budget of images (decision 0025): what an upload may be, and the exact size of every
 * variant and crop made from one, decided from dimensions alone before any decoder runs. Nothing
 * made from an image is ever larger than the image (no enlargement), so the memory a resize takes
 * is bounded by the original's pixels, which are bounded here.
 */
export const imageBudget = {
  /** Pixels of an original (all frames of an animation): more is a decompression bomb. */
  maxPixels: 100_000_000,
  /**
   * The long side at most this many times the short side. Panoramas (up to about 6:1) and tall
   * infographics fit; a 2000×2 strip, which crops would have to blow up 300 times, does not.
   */
  maxAspectRatio: 12,
} as const;

export interface Dimensions {
  width: number;
  height: number;
}

/** Why an image is outside the budget, or null when it is within. */
export function budgetProblem(image: Dimensions & { frames?: number }): 'pixels' | 'shape' | null {
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return 'shape';
  if (width * height * Math.max(1, image.frames ?? 1) > imageBudget.maxPixels) return 'pixels';
  if (Math.max(width, height) > imageBudget.maxAspectRatio * Math.min(width, height)) return 'shape';
  return null;
}

/**
 * The size of the variant `width` pixels wide: that width, or the original's when it is narrower,
 * keeping the proportions. Null when the original is outside the budget (stored before the rule):
 * that variant is never made.
 */
export function variantSize(original: Dimensions, width: number): Dimensions | null {
  if (budgetProblem(original) !== null || !Number.isInteger(width) || width < 1) return null;
  const scaled = Math.min(width, original.width);
  return { width: scaled, height: Math.max(1, Math.round((original.height * scaled) / original.width)) };
}

/**
 * The size of a crop of `ratio` (width, height), at most `maxWidth` wide: the largest area of that
 * ratio the original holds, reduced to `maxWidth` when wider, never enlarged. Null when the
 * original is outside the budget or too small to give a crop of that ratio at least a pixel high.
 */
export function cropSize(original: Dimensions, ratio: readonly [number, number], maxWidth: number): Dimensions | null {
  if (budgetProblem(original) !== null) return null;
  const [across, down] = ratio;
  const fitWidth = Math.min(original.width, Math.floor((original.height * across) / down), maxWidth);
  const height = Math.floor((fitWidth * down) / across);
  if (fitWidth < 1 || height < 1) return null;
  return { width: fitWidth, height };
}
