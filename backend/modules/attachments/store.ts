/**
 * Where attachment bytes live: a small interface so an S3-compatible store can stand behind it in
 * production. Today's one implementation is a local directory, blobs named by their SHA-256
 * (`ab/cd/abcd…`); writes go to a temporary name first and are renamed, so a crash leaves no
 * half-written blob under a real name.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface BlobStore {
  put(sha256: string, bytes: Buffer): Promise<void>;
  get(sha256: string): Promise<Buffer | null>;
}

export function directoryStore(dir: string): BlobStore {
  const where = (sha: string) => path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    async put(sha, bytes) {
      const file = where(sha);
      if (await fs.stat(file).then(() => true, () => false)) return; // the same content is stored once
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await fs.writeFile(tmp, bytes, { flag: 'wx' });
      await fs.rename(tmp, file);
    },
    async get(sha) {
      return fs.readFile(where(sha)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
    },
  };
}
