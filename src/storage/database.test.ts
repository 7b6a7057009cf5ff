import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './database.js';

describe('SQLite statement cache', () => {
  let folder: string;
  let sqlite: SqliteDatabase.Database;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'kiosque-statements-'));
    sqlite = new SqliteDatabase(path.join(folder, 'test.sqlite'));
    sqlite.exec('create table notes (id integer primary key, text text not null)');
  });
  afterEach(() => {
    sqlite.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('prepares each SQL text once and keeps giving the right rows', () => {
    const cached = withStatementCache(sqlite);
    const insert = cached.prepare('insert into notes (text) values (?)');
    insert.run(['un']);
    expect(cached.prepare('insert into notes (text) values (?)')).toBe(insert);
    cached.prepare('insert into notes (text) values (?)').run(['deux']);
    const select = cached.prepare('select text from notes where id = ?');
    expect(select.all([1])).toEqual([{ text: 'un' }]);
    expect(cached.prepare('select text from notes where id = ?').all([2])).toEqual([{ text: 'deux' }]);
  });

  it('keeps a bounded number, dropping the least recently used', () => {
    const cached = withStatementCache(sqlite, 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3');
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
  });

  it('runs the same query again while one is still being iterated', () => {
    const cached = withStatementCache(sqlite);
    cached.prepare('insert into notes (text) values (?)').run(['un']);
    cached.prepare('insert into notes (text) values (?)').run(['deux']);
    const outer = cached.prepare('select text from notes order by id').iterate([]);
    const first = outer.next().value;
    expect(cached.prepare('select text from notes order by id').all([])).toEqual([{ text: 'un' }, { text: 'deux' }]);
    expect([first, ...outer]).toEqual([{ text: 'un' }, { text: 'deux' }]);
  });

  it('sees a table changed after the statement was prepared', () => {
    const cached = withStatementCache(sqlite);
    expect(cached.prepare('select * from notes').all([])).toEqual([]);
    sqlite.exec("alter table notes add column tag text not null default 'x'; insert into notes (text) values ('un')");
    expect(cached.prepare('select * from notes').all([])).toEqual([{ id: 1, text: 'un', tag: 'x' }]);
  });
});
