import { assert } from 'chai';
import { describe, it } from 'mocha';
import { throws } from '../support/assertions.ts';
import { ConfigError, loadConfig } from '../../config/index.ts';

const secrets = { AUTH_TOKEN_SECRET: 'x'.repeat(32), OPERATON_TOKEN: 'e'.repeat(24), APPLICANT_DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

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
});
