import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where image bytes live; local disk now, object storage when Kiosque runs on several machines. */
export interface MediaStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** How many bytes are stored under `key` (feeds' enclosures say it), or null when nothing is. */
  size(key: string): Promise<number | null>;
}

const keyPattern = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i;

/** Files under `root`; writes go to a temporary file first so a crash never leaves half an image. */
export function createDiskMediaStore(root: string): MediaStore {
  function fileFor(key: string): string {
    if (!keyPattern.test(key) || key.includes('..')) throw new Error(`Invalid media key: ${key}`);
    return path.join(root, ...key.split('/'));
  }
  return {
    async put(key, bytes) {
      const file = fileFor(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    },
    async get(key) {
      try {
        return await readFile(fileFor(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async size(key) {
      try {
        return (await stat(fileFor(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
