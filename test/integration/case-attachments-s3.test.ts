/**
 * Attachments through the API with the S3-compatible store configured (ATTACHMENTS_STORE=s3://…),
 * against s3rver in this process: the upload lands in the bucket under its SHA-256, nothing in the
 * local directory, and the download returns the same bytes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert } from 'chai';
import { after, before, describe, it } from 'mocha';
import S3rver from 's3rver';
import { login } from '../support/api.ts';
import { startOffice, stopFeed, type TestOffice } from '../support/harness.ts';
import { COUNTY, decide, submit, taskAt, WATER } from '../support/licensing.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('attachments in an S3-compatible bucket', () => {
  let t: TestOffice;
  let server: S3rver;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-s3-api-'));
  const local = path.join(dir, 'local');

  before(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(dir, 's3'), configureBuckets: [{ name: 'case-files' }] });
    const addr = await server.run();
    t = await startOffice({ env: { ATTACHMENTS_DIR: local, ATTACHMENTS_STORE: 's3://case-files/attachments', S3_ENDPOINT: `http://127.0.0.1:${addr.port}`, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' } });
  });
  after(async () => {
    await t?.close();
    await stopFeed();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores the upload in the bucket and serves it back', async () => {
    const window = await login(t.url, 'jn-01-01.asc.window');
    const reviewer = await login(t.url, 'jn-01-01.wr.reviewer');
    const c = await submit(window, WATER.item, COUNTY);
    await decide(window, c.id, WATER.window, 'accept', '受理');
    await taskAt(reviewer, c.id, WATER.county);
    const res = await fetch(`${t.url}/api/cases/${c.id}/attachments?name=${encodeURIComponent('核查记录.pdf')}`, { method: 'POST', headers: { authorization: `Bearer ${reviewer.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(PDF) });
    assert.strictEqual(res.status, 201, await res.clone().text());
    const { id } = (await res.json()) as { id: number };
    const sha = createHash('sha256').update(PDF).digest('hex');
    assert.ok(fs.readdirSync(path.join(dir, 's3', 'case-files', 'attachments')).some((f) => f.startsWith(sha)), 'in the bucket under its hash');
    assert.isFalse(fs.existsSync(local), 'nothing in the local directory');
    const got = await fetch(`${t.url}/api/attachments/${id}`, { headers: { authorization: `Bearer ${reviewer.token}` } });
    assert.strictEqual(got.status, 200);
    assert.deepStrictEqual(Buffer.from(await got.arrayBuffer()), PDF);
  });
});
