/**
 * Where attachment bytes live, behind one small interface, blobs named by their SHA-256: a local
 * directory (`ab/cd/abcd…`; writes go to a temporary name first and are renamed, so a crash leaves
 * no half-written blob under a real name) or an S3-compatible bucket (s3-store.ts), chosen by
 * `ATTACHMENTS_STORE`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../../config/index.ts';
import { s3Store } from './s3-store.ts';

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

/** The store the configuration names: `s3://bucket[/prefix]`, or the directory by default. */
export function storeFor(config: Config): BlobStore {
  const s3 = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(config.ATTACHMENTS_STORE ?? '');
  if (!s3) return directoryStore(config.ATTACHMENTS_DIR);
  return s3Store({
    bucket: s3[1]!,
    prefix: (s3[2] ?? '').replace(/\/+$/, ''),
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials: config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } : undefined,
  });
}
