import { type ImportKind, importKinds } from './import-ledger.js';

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/** A thing left out, or brought in but needing someone to look: what, and why (a catalog key). */
export interface ImportNote {
  kind: ImportKind;
  /** The source system's id of the thing ("post 123"), for finding it in the source. */
  sourceId: string;
  /** What a person recognises it by: a headline, a file name. */
  label: string;
  /** Why, as an `import.reason.*` catalog key suffix (`language-not-published`, `media-not-found`…). */
  reason: string;
  /** Words the reason's message may show (`{language}`, `{url}`). */
  values?: Record<string, string | number>;
}

/** What an import did: counts per kind and outcome, what was skipped and why, what needs a human. */
export interface ImportReport {
  system: string;
  counts: Record<ImportKind, Record<ImportOutcome, number>>;
  skipped: ImportNote[];
  needsHuman: ImportNote[];
  /** Things counted but never imported (WordPress comments), by name: `{ comments: 12 }`. */
  notImported: Record<string, number>;
}

const emptyCounts = (): Record<ImportOutcome, number> => ({ created: 0, updated: 0, unchanged: 0, skipped: 0 });

export function emptyReport(system: string): ImportReport {
  return {
    system,
    counts: Object.fromEntries(importKinds.map((kind) => [kind, emptyCounts()])) as ImportReport['counts'],
    skipped: [],
    needsHuman: [],
    notImported: {},
  };
}

/** Adds up a report as the import goes; `report()` gives a copy to store or print. */
export function createReportBuilder(system: string) {
  const report = emptyReport(system);
  return {
    count(kind: ImportKind, outcome: ImportOutcome): void {
      report.counts[kind][outcome] += 1;
    },
    skip(note: ImportNote): void {
      report.counts[note.kind].skipped += 1;
      report.skipped.push(note);
    },
    /** Imported, but a person must look (media not found, an unknown embed, a post kept as a draft). */
    flag(note: ImportNote): void {
      const same = (n: ImportNote) =>
        n.sourceId === note.sourceId && n.reason === note.reason && n.label === note.label;
      if (!report.needsHuman.some(same)) report.needsHuman.push(note);
    },
    notImported(name: string, count: number): void {
      report.notImported[name] = (report.notImported[name] ?? 0) + count;
    },
    report: (): ImportReport => structuredClone(report),
  };
}

export type ReportBuilder = ReturnType<typeof createReportBuilder>;

/** Reads a stored report back (JSON from the database); null when it is not one. */
export function parseReport(json: string | null): ImportReport | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as ImportReport;
    if (typeof value !== 'object' || value === null || typeof value.counts !== 'object') return null;
    const base = emptyReport(String(value.system ?? ''));
    for (const kind of importKinds) base.counts[kind] = { ...base.counts[kind], ...(value.counts[kind] ?? {}) };
    return {
      ...base,
      skipped: Array.isArray(value.skipped) ? value.skipped : [],
      needsHuman: Array.isArray(value.needsHuman) ? value.needsHuman : [],
      notImported: value.notImported ?? {},
    };
  } catch {
    return null;
  }
}

/** The report's lines, in the reader's language: `t` is a translator's `t`. */
export function reportLines(
  report: ImportReport,
  t: (key: string, values?: Record<string, string | number>) => string,
) {
  const lines: string[] = [t('import.report.title', { system: report.system })];
  for (const kind of importKinds) {
    const c = report.counts[kind];
    if (c.created + c.updated + c.unchanged + c.skipped === 0) continue;
    lines.push(`  ${t(`import.kind.${kind}`)}: ${t('import.report.counts', { ...c })}`);
  }
  for (const [name, count] of Object.entries(report.notImported)) {
    lines.push(`  ${t(`import.notImported.${name}`, { count })}`);
  }
  if (report.skipped.length > 0) {
    lines.push(t('import.report.skipped', { count: report.skipped.length }));
    for (const note of report.skipped) lines.push(`  - ${noteLine(note, t)}`);
  }
  if (report.needsHuman.length > 0) {
    lines.push(t('import.report.needsHuman', { count: report.needsHuman.length }));
    for (const note of report.needsHuman) lines.push(`  - ${noteLine(note, t)}`);
  }
  return lines;
}

export function noteLine(
  note: ImportNote,
  t: (key: string, values?: Record<string, string | number>) => string,
): string {
  return `${t(`import.kind.${note.kind}`)} ${note.sourceId} «${note.label}»: ${t(`import.reason.${note.reason}`, note.values ?? {})}`;
}
