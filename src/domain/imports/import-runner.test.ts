import { describe, expect, it } from 'vitest';
import { KiosqueError } from '../errors.js';
import { type ImportLedger, importHash, type LedgerEntry } from './import-ledger.js';
import { progressBar, progressCount } from './import-progress.js';
import { createReportBuilder, reportLines } from './import-report.js';
import { createImportRunner, ImportInterrupted, type ImportStep } from './import-runner.js';
import { redirectKey } from './redirects.js';

/** The ledger port kept in a Map: the SQL one is exercised by test/integration/import-framework.test.ts. */
function mapLedger(): ImportLedger & { entries: Map<string, LedgerEntry> } {
  const entries = new Map<string, LedgerEntry>();
  const key = (k: { system: string; kind: string; sourceId: string }) => `${k.system}/${k.kind}/${k.sourceId}`;
  return {
    entries,
    find: async (k) => entries.get(key(k)) ?? null,
    record: async (entry) => void entries.set(key(entry), entry),
    list: async (system, kind) => [...entries.values()].filter((e) => e.system === system && e.kind === kind),
  };
}

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };

function runnerWith(ledger: ImportLedger, signal?: AbortSignal) {
  const report = createReportBuilder('test');
  const seen: string[] = [];
  const runner = createImportRunner({
    system: 'test',
    importId: 'imp_1',
    ledger,
    report,
    progress: { update: (done, total) => seen.push(progressCount(done, total)), end() {} },
    clock,
    signal,
  });
  return { runner, report, seen };
}

function step(sourceId: string, content: string, writes: string[], fail?: Error): ImportStep {
  return {
    kind: 'article',
    sourceId,
    label: `Story ${sourceId}`,
    hash: importHash({ content }),
    async write(previous) {
      if (fail) throw fail;
      writes.push(`${previous ? 'update' : 'create'} ${sourceId}`);
      return { kiosqueId: previous?.kiosqueId ?? `art_${sourceId}` };
    },
  };
}

describe('the import runner', () => {
  it('creates, then leaves unchanged things alone and updates changed ones on a re-run', async () => {
    const ledger = mapLedger();
    const writes: string[] = [];
    const first = runnerWith(ledger);
    first.runner.expect(2);
    await first.runner.run([step('1', 'a', writes), step('2', 'b', writes)]);
    expect(first.report.report().counts.article).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: 0 });
    expect(first.seen).toEqual(['0/2', '1/2', '2/2']);

    const second = runnerWith(ledger);
    await second.runner.run([step('1', 'a', writes), step('2', 'b changed', writes)]);
    expect(second.report.report().counts.article).toEqual({ created: 0, updated: 1, unchanged: 1, skipped: 0 });
    expect(writes).toEqual(['create 1', 'create 2', 'update 2']);
    expect(ledger.entries.size).toBe(2);
    expect(await second.runner.idOf('article', '2')).toBe('art_2');
  });

  it('reports a step refused with a KiosqueError as skipped, with its code, and goes on', async () => {
    const ledger = mapLedger();
    const writes: string[] = [];
    const { runner, report } = runnerWith(ledger);
    await runner.run([step('1', 'a', writes, new KiosqueError('ARTICLE_INVALID')), step('2', 'b', writes)]);
    const done = report.report();
    expect(done.counts.article).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 1 });
    expect(done.skipped).toEqual([
      { kind: 'article', sourceId: '1', label: 'Story 1', reason: 'refused', values: { code: 'ARTICLE_INVALID' } },
    ]);
    expect(ledger.entries.size).toBe(1);
  });

  it('stops at a fault that is not a refusal, recording nothing for it', async () => {
    const ledger = mapLedger();
    const { runner } = runnerWith(ledger);
    await expect(runner.run([step('1', 'a', [], new Error('disk full'))])).rejects.toThrow('disk full');
    expect(ledger.entries.size).toBe(0);
  });

  it('stops between steps when asked to', async () => {
    const controller = new AbortController();
    const writes: string[] = [];
    const { runner } = runnerWith(mapLedger(), controller.signal);
    const stopping: ImportStep = {
      ...step('1', 'a', writes),
      write: async () => {
        controller.abort();
        return { kiosqueId: 'x' };
      },
    };
    await expect(runner.run([stopping, step('2', 'b', writes)])).rejects.toBeInstanceOf(ImportInterrupted);
    expect(writes).toEqual([]);
  });
});

describe('the report and the progress line', () => {
  it('prints counts per kind, what was skipped and what needs a human', () => {
    const report = createReportBuilder('wordpress');
    report.count('article', 'created');
    report.skip({
      kind: 'article',
      sourceId: 'post 9',
      label: 'Hallo',
      reason: 'language-not-published',
      values: { language: 'de' },
    });
    report.flag({ kind: 'image', sourceId: 'post 3', label: 'a.jpg', reason: 'media-not-found' });
    report.notImported('comments', 4);
    const t = (key: string, values?: Record<string, string | number>) =>
      `${key}${values ? JSON.stringify(values) : ''}`;
    const lines = reportLines(report.report(), t);
    expect(lines).toContain(
      '  import.kind.article: import.report.counts{"created":1,"updated":0,"unchanged":0,"skipped":1}',
    );
    expect(lines).toContain('  import.notImported.comments{"count":4}');
    expect(lines.join('\n')).toContain('post 9 «Hallo»: import.reason.language-not-published{"language":"de"}');
    expect(lines.join('\n')).toContain('post 3 «a.jpg»: import.reason.media-not-found');
  });

  it('draws a bar that fills with the count', () => {
    expect(progressBar(5, 10, 'Story', 10)).toBe('[#####-----] 5/10 Story');
    expect(progressBar(0, 0, '', 4)).toBe('[####] 0/0 ');
  });
});

describe('redirectKey', () => {
  it.each([
    ['/2024/05/12/hello-world/', '/2024/05/12/hello-world'],
    ['/Hello-World/?utm_source=x', '/hello-world'],
    ['/?p=123', '/?p=123'],
    ['/?page_id=7&utm_medium=mail', '/?page_id=7'],
    ['/category/news/', '/category/news'],
    ['/caf%C3%A9/', '/café'],
    ['/', '/'],
  ])('keys %s as %s', (path, key) => {
    expect(redirectKey(path)).toBe(key);
  });

  it('refuses what is not a path of this site', () => {
    expect(redirectKey('//evil.example/x')).toBeNull();
    expect(redirectKey('http://evil.example/x')).toBeNull();
    expect(redirectKey('/%E0%A4%A')).toBeNull();
  });
});
