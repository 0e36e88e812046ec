/**
 * Attachment blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode): the
 * object key is the content's SHA-256 under an optional prefix, so the same bytes are stored once
 * and a write is idempotent. Checksums are sent only where an operation requires them: the SDK's
 * newer default (streamed, trailing checksums) is not understood by every S3-compatible server.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { BlobStore } from './store.ts';

export interface S3StoreOptions {
  bucket: string;
  prefix: string;
  endpoint?: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** unset: the SDK's own chain (environment, instance role, …) */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

// a HEAD answers a bare 404 (for a missing bucket too: the put that follows then fails loudly); a GET
// names the missing key, so a missing bucket or a refused request is never taken for a missing blob
const headMissing = (err: unknown) => err instanceof S3ServiceException && (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404);
const getMissing = (err: unknown) => err instanceof S3ServiceException && err.name === 'NoSuchKey';

export function s3Store(o: S3StoreOptions): BlobStore & { close(): void } {
  const client = new S3Client({
    region: o.region,
    forcePathStyle: o.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  });
  const key = (sha: string) => (o.prefix ? `${o.prefix}/${sha}` : sha);
  return {
    async put(sha, bytes) {
      const exists = await client.send(new HeadObjectCommand({ Bucket: o.bucket, Key: key(sha) })).then(() => true, (err: unknown) => {
        if (headMissing(err)) return false;
        throw err;
      });
      if (exists) return; // the same content is stored once
      await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: key(sha), Body: bytes, ContentLength: bytes.length, ContentType: 'application/octet-stream' }));
    },
    async get(sha) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key(sha) }));
        return r.Body ? Buffer.from(await r.Body.transformToByteArray()) : null;
      } catch (err) {
        if (getMissing(err)) return null;
        throw err;
      }
    },
    close() {
      client.destroy();
    },
  };
}
