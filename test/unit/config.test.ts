import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config/index.ts';

const secrets = { AUTH_TOKEN_SECRET: 'x'.repeat(32), APPLICANT_DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

describe('configuration', () => {
  it('runs on documented defaults given only its secrets', () => {
    const c = loadConfig({ ...secrets });
    assert.equal(c.PORT, 3000);
    assert.equal(c.DATABASE_URL, undefined);
    assert.match(c.SQLITE_FILE, /\.data\/licence-desk\.sqlite$/);
    assert.equal(c.ZEEBE_GRPC_ADDRESS, '127.0.0.1:26500');
    assert.equal(c.ENGINE_MIRROR_ASSIGNMENT, true, 'claims are told to the engine unless switched off');
    assert.equal(loadConfig({ ...secrets, ENGINE_MIRROR_ASSIGNMENT: 'false' }).ENGINE_MIRROR_ASSIGNMENT, false);
  });

  it('names the variable when a value is wrong', () => {
    assert.throws(() => loadConfig({ ...secrets, PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /"eighty"/.test(e.message));
    assert.throws(() => loadConfig({ ...secrets, DATABASE_URL: 'postgres://x' }), /DATABASE_URL: must be a mysql:\/\/ URL/);
    assert.throws(() => loadConfig({ ...secrets, DEPLOY_ON_START: 'maybe' }), /DEPLOY_ON_START/);
  });

  it('names missing or malformed secrets', () => {
    assert.throws(() => loadConfig({}), /AUTH_TOKEN_SECRET/);
    assert.throws(() => loadConfig({ ...secrets, APPLICANT_DATA_KEYS: 'k1:short' }), /APPLICANT_DATA_KEYS/);
  });

  it('refuses half an OAuth configuration', () => {
    assert.throws(() => loadConfig({ ...secrets, ZEEBE_CLIENT_ID: 'id' }), /ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET and CAMUNDA_OAUTH_URL go together/);
    assert.doesNotThrow(() => loadConfig({ ...secrets, ZEEBE_CLIENT_ID: 'id', ZEEBE_CLIENT_SECRET: 's', CAMUNDA_OAUTH_URL: 'https://login.example/oauth/token' }));
  });
});
