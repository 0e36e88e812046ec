/**
 * The S3-compatible attachment store against an S3-compatible server in this process (s3rver, a
 * real HTTP server speaking the S3 protocol with signed requests): bytes round-trip under their
 * SHA-256, the same content is written once, a missing blob is null, and the configuration picks
 * the store.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import S3rver from 's3rver';
import { s3Store } from '../../backend/modules/attachments/s3-store.ts';
import { storeFor } from '../../backend/modules/attachments/store.ts';
import { loadConfig } from '../../config/index.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attachment store on an S3-compatible bucket', () => {
  let server: S3rver;
  let endpoint: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-s3-'));
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

  before(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'licence-desk' }] });
    const addr = await server.run();
    endpoint = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores bytes under their SHA-256 once and reads them back; a missing blob is null', async () => {
    const store = s3Store({ bucket: 'licence-desk', prefix: 'attachments', endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    try {
      const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 7)]);
      const key = sha(bytes);
      assert.isNull(await store.get(key), 'nothing before the put');
      await store.put(key, bytes);
      await store.put(key, bytes); // the same content again: stored once, no error
      const back = await store.get(key);
      assert.ok(back && back.equals(bytes), 'the same bytes back');
      const objects = fs.readdirSync(path.join(dir, 'licence-desk', 'attachments')).filter((f) => !f.startsWith('.'));
      assert.deepStrictEqual(objects.filter((f) => f.startsWith(key)).length > 0, true, 'under the prefix, named by the hash');
      assert.isNull(await store.get(sha(Buffer.from('never stored'))));
    } finally {
      store.close();
    }
  });

  it('takes a missing bucket for an error, never for a missing blob', async () => {
    const store = s3Store({ bucket: 'no-such-bucket', prefix: '', endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    try {
      const bytes = Buffer.from('x');
      assert.instanceOf(await store.get(sha(bytes)).then(() => null, (e: unknown) => e), Error, 'get');
      assert.instanceOf(await store.put(sha(bytes), bytes).then(() => null, (e: unknown) => e), Error, 'put');
    } finally {
      store.close();
    }
  });

  it('is chosen by ATTACHMENTS_STORE; unset, the directory store', async () => {
    const base = { AUTH_TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123', APPLICANT_DATA_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, AUDIT_KEYS: `a1:${Buffer.alloc(32, 2).toString('base64')}`, OPERATON_TOKEN: 'test-token-0123456789' };
    const viaS3 = storeFor(loadConfig({ ...base, ATTACHMENTS_STORE: 's3://licence-desk/cfg', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' }));
    const bytes = Buffer.from('PK\u0003\u0004 configured');
    await viaS3.put(sha(bytes), bytes);
    assert.ok(fs.readdirSync(path.join(dir, 'licence-desk', 'cfg')).some((f) => f.startsWith(sha(bytes))), 'written to the bucket the variable names');
    const local = path.join(dir, 'local');
    const viaDir = storeFor(loadConfig({ ...base, ATTACHMENTS_DIR: local }));
    await viaDir.put(sha(bytes), bytes);
    assert.ok(fs.existsSync(path.join(local, sha(bytes).slice(0, 2), sha(bytes).slice(2, 4), sha(bytes))));
    assert.throws(() => loadConfig({ ...base, ATTACHMENTS_STORE: 'ftp://x' }), /ATTACHMENTS_STORE/);
  });
});
