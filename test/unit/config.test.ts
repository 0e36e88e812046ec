import { assert } from 'chai';
import { describe, it } from 'mocha';
import { throws } from '../support/assertions.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/index.ts';

const secrets = { AUTH_TOKEN_SECRET: 'x'.repeat(32), OPERATON_TOKEN: 'e'.repeat(24), APPLICANT_DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`, AUDIT_KEYS: `a1:${Buffer.alloc(32, 9).toString('base64')}` };

describe('configuration', () => {
  it('runs on documented defaults given only its secrets', () => {
    const c = loadConfig({ ...secrets });
    assert.strictEqual(c.PORT, 3000);
    assert.strictEqual(c.DATABASE_URL, undefined);
    assert.match(c.SQLITE_FILE, /\.data\/licence-desk\.sqlite$/);
    assert.strictEqual(c.OPERATON_URL, 'http://127.0.0.1:8090/engine-rest');
    assert.strictEqual(c.FEED_LEASE_SECONDS, 10);
    assert.strictEqual(c.ENGINE_MIRROR_ASSIGNMENT, true, 'claims are told to the engine unless switched off');
    assert.strictEqual(loadConfig({ ...secrets, ENGINE_MIRROR_ASSIGNMENT: 'false' }).ENGINE_MIRROR_ASSIGNMENT, false);
  });

  it('names the variable when a value is wrong', () => {
    throws(() => loadConfig({ ...secrets, PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /"eighty"/.test(e.message));
    assert.throws(() => loadConfig({ ...secrets, DATABASE_URL: 'postgres://x' }), /DATABASE_URL: must be a mysql:\/\/ URL/);
    assert.throws(() => loadConfig({ ...secrets, DEPLOY_ON_START: 'maybe' }), /DEPLOY_ON_START/);
  });

  it('names missing or malformed secrets', () => {
    assert.throws(() => loadConfig({}), /AUTH_TOKEN_SECRET/);
    assert.throws(() => loadConfig({ ...secrets, APPLICANT_DATA_KEYS: 'k1:short' }), /APPLICANT_DATA_KEYS/);
  });

  it('requires the engine token, with no built-in default', () => {
    const rest: Record<string, string> = { ...secrets };
    delete rest.OPERATON_TOKEN;
    assert.throws(() => loadConfig(rest), /OPERATON_TOKEN/);
    assert.throws(() => loadConfig({ ...secrets, OPERATON_TOKEN: 'short' }), /OPERATON_TOKEN: must be at least 16/);
  });

  it('takes the audit keys from a file, never echoing a secret in an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-config-'));
    try {
      const file = path.join(dir, 'audit.key');
      fs.writeFileSync(file, `${secrets.AUDIT_KEYS}\n`, { mode: 0o600 });
      const rest: Record<string, string> = { ...secrets };
      delete rest.AUDIT_KEYS;
      assert.strictEqual(loadConfig({ ...rest, AUDIT_KEY_FILE: file }).AUDIT_KEYS, secrets.AUDIT_KEYS);
      assert.throws(() => loadConfig(rest), /AUDIT_KEYS: required/);
      assert.throws(() => loadConfig({ ...secrets, AUDIT_KEY_FILE: file }), /both set/);
      assert.throws(() => loadConfig({ ...rest, AUDIT_KEY_FILE: path.join(dir, 'missing') }), /AUDIT_KEY_FILE: cannot read .*ENOENT/);
      const leaked = 'a1:not-a-key-but-a-secret-value';
      fs.writeFileSync(file, leaked);
      throws(() => loadConfig({ ...rest, AUDIT_KEY_FILE: file }), (e: unknown) => e instanceof ConfigError && /AUDIT_KEY_FILE/.test(e.message) && !e.message.includes(leaked));
      for (const [name, value] of [['AUDIT_KEYS', 'a1:short-secret-value'], ['AUTH_TOKEN_SECRET', 'short-secret'], ['APPLICANT_DATA_KEYS', 'k1:short-secret'], ['OPERATON_TOKEN', 'tok-secret']] as const) {
        throws(() => loadConfig({ ...secrets, [name]: value }), (e: unknown) => e instanceof ConfigError && e.message.includes(name) && !e.message.includes(value) && /value not shown/.test(e.message));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('anchors the audit head beside the embedded database unless told otherwise', () => {
    assert.match(loadConfig({ ...secrets }).AUDIT_ANCHOR, /^file:.*\.data\/audit-anchors\.log$/);
    assert.strictEqual(loadConfig({ ...secrets, AUDIT_ANCHOR: 'syslog://10.0.0.5:514' }).AUDIT_ANCHOR, 'syslog://10.0.0.5:514');
    assert.throws(() => loadConfig({ ...secrets, AUDIT_ANCHOR: 'ftp://x' }), /AUDIT_ANCHOR/);
  });
});
