import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ErrorCode, errorCatalog } from '../../src/domain/errors.js';
import { errorStatus } from '../../src/web/error-status.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

interface Row {
  code: string;
  status: string;
  meaning: string;
  whatToDo: string;
}

/** The rows of the catalog table: `| \`CODE\` | status | meaning | what to do |`. */
function tableRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => /^\|\s*`[A-Z0-9_]+`\s*\|/.test(line))
    .map((line) => {
      const cells = line
        .replace(/^\|/, '')
        .replace(/\|\s*$/, '')
        .split('|')
        .map((cell) => cell.trim());
      expect(cells, line).toHaveLength(4);
      const [code, status, meaning, whatToDo] = cells as [string, string, string, string];
      return { code: code.replace(/`/g, ''), status, meaning, whatToDo };
    });
}

describe('docs/errors.md', () => {
  const rows = tableRows(doc);

  it('lists every error code of the catalog exactly once, and no other', () => {
    const codes = rows.map((row) => row.code);
    expect(new Set(codes).size, 'a code is listed twice').toBe(codes.length);
    expect([...codes].sort()).toEqual(Object.keys(errorCatalog).sort());
  });

  it('gives each code the HTTP status the web layer answers with', () => {
    for (const row of rows) {
      expect(row.status, row.code).toBe(String(errorStatus[row.code as ErrorCode]));
    }
  });

  it('says what happened and what to do, as the catalog does', () => {
    for (const row of rows) {
      expect(row.meaning, row.code).not.toBe('');
      expect(row.whatToDo, row.code).not.toBe('');
      expect(`${row.meaning} ${row.whatToDo}`, row.code).toBe(errorCatalog[row.code as ErrorCode]);
    }
  });
});
