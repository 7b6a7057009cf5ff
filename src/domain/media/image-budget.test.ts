import { describe, expect, it } from 'vitest';
import { budgetProblem, cropSize, imageBudget, variantSize } from './image-budget.js';

// Issue 11: crops blew a 2000×2 strip up to 675,000×675 pixels. These fix the sizes from dimensions alone.
describe('the image pixel budget', () => {
  it('admits photos, panoramas and tall infographics, and refuses strips and bombs', () => {
    expect(budgetProblem({ width: 6000, height: 4000 })).toBeNull();
    expect(budgetProblem({ width: 1200 * imageBudget.maxAspectRatio, height: 1200 })).toBeNull();
    expect(budgetProblem({ width: 800, height: 800 * imageBudget.maxAspectRatio })).toBeNull();
    expect(budgetProblem({ width: 2000, height: 2 })).toBe('shape');
    expect(budgetProblem({ width: 2, height: 60_000 })).toBe('shape');
    expect(budgetProblem({ width: 0, height: 10 })).toBe('shape');
    expect(budgetProblem({ width: 30_000, height: 30_000 })).toBe('pixels');
    expect(budgetProblem({ width: 2000, height: 2000, frames: 30 })).toBe('pixels');
  });

  it('never sizes a variant or a crop larger than its original', () => {
    expect(variantSize({ width: 1000, height: 750 }, 640)).toEqual({ width: 640, height: 480 });
    expect(variantSize({ width: 300, height: 200 }, 320)).toEqual({ width: 300, height: 200 });
    expect(cropSize({ width: 4000, height: 3000 }, [16, 9], 1200)).toEqual({ width: 1200, height: 675 });
    expect(cropSize({ width: 1600, height: 900 }, [1, 1], 1200)).toEqual({ width: 900, height: 900 });
    expect(cropSize({ width: 1200, height: 100 }, [16, 9], 1200)).toEqual({ width: 177, height: 99 });
    for (const width of [1, 7, 333, 1000, 5000]) {
      for (const height of [1, 9, 250, 4000]) {
        for (const ratio of [
          [16, 9],
          [4, 3],
          [1, 1],
        ] as const) {
          const size = cropSize({ width, height }, ratio, 1200);
          if (size) {
            expect(size.width).toBeLessThanOrEqual(width);
            expect(size.height).toBeLessThanOrEqual(height);
          }
        }
      }
    }
  });

  it('makes nothing from an original outside the budget', () => {
    expect(variantSize({ width: 2000, height: 2 }, 320)).toBeNull();
    expect(cropSize({ width: 60_000, height: 2 }, [16, 9], 1200)).toBeNull();
    expect(cropSize({ width: 30_000, height: 30_000 }, [1, 1], 1200)).toBeNull();
  });
});
