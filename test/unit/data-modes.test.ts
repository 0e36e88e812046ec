/** Everything the office writes under its data directory is its user's only (issue 16: 0600 / 0700). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { createDb } from '../../backend/db/knex.ts';
import { repoRoot } from '../../config/index.ts';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('file modes under the data directory', () => {
  it('creates the embedded database and its WAL readable by the office user only', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-modes-'));
    const old = process.umask(0o022); // an ordinary umask: the modes must not depend on it
    try {
      const file = path.join(root, 'data', 'office.sqlite');
      const db = createDb({ SQLITE_FILE: file, DB_POOL_MAX: 1, DATABASE_URL: undefined });
      await db.raw('create table t (x integer)');
      await db('t').insert({ x: 1 });
      assert.strictEqual(mode(path.dirname(file)), 0o700);
      assert.strictEqual(mode(file), 0o600);
      assert.ok(fs.existsSync(`${file}-wal`), 'WAL in use (positive control for the next line)');
      assert.strictEqual(mode(`${file}-wal`), 0o600);
      await db.destroy();
    } finally {
      process.umask(old);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('tightens what an older start left readable (the start command does it to .data/)', async () => {
    const { tightenModes } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'engine.mjs')).href)) as { tightenModes(dir: string): void };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-modes-'));
    try {
      fs.mkdirSync(path.join(root, 'engine', 'h2'), { recursive: true, mode: 0o755 });
      fs.chmodSync(path.join(root, 'engine'), 0o755);
      for (const f of ['secrets.json', 'licence-desk.sqlite', 'engine/h2/engine.mv.db', 'audit-anchors.log']) {
        fs.writeFileSync(path.join(root, f), 'x');
        fs.chmodSync(path.join(root, f), 0o644);
      }
      assert.strictEqual(mode(path.join(root, 'secrets.json')), 0o644, 'readable by others before');
      tightenModes(root);
      for (const d of ['', 'engine', 'engine/h2']) assert.strictEqual(mode(path.join(root, d)), 0o700, `${d || '.'} is 0700`);
      for (const f of ['secrets.json', 'licence-desk.sqlite', 'engine/h2/engine.mv.db', 'audit-anchors.log']) assert.strictEqual(mode(path.join(root, f)), 0o600, `${f} is 0600`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
