/** Why the port exists: the CLI draws a bar or prints counts, the admin job writes them to the run's row. */
export interface ImportProgress {
  /** `done` of `total` items handled; `label` names the last one. */
  update(done: number, total: number, label: string): void;
  /** The run ended (successfully or not): a bar ends its line. */
  end(): void;
}

/** "12/40": the plain count printed when the output is not a terminal. */
export function progressCount(done: number, total: number): string {
  return `${done}/${total}`;
}

/** "[#######-------------]  12/40  Headline…": one terminal line, redrawn in place. */
export function progressBar(done: number, total: number, label: string, width = 30): string {
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  const name = label.length > 40 ? `${label.slice(0, 39)}…` : label;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progressCount(done, total)} ${name}`;
}

/** Progress nobody watches (tests, nested steps). */
export const silentProgress: ImportProgress = { update() {}, end() {} };
