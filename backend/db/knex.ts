/**
 * One knex handle per process. SQLite is the embedded default so a newcomer needs no server; MySQL
 * (mysql2) is production. Both run the same migrations. Timestamps are epoch milliseconds in BIGINT
 * columns and engine ids are opaque strings: the one representation that sorts, compares and
 * round-trips identically on both databases.
 */
import type { KeyRing } from '../modules/cases/personal-data.ts';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import type { Config } from '../../config/index.ts';

export type Db = Knex;
export type Trx = Knex.Transaction;
export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(db: Knex): Dialect {
  return db.client.config.client === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

export function createDb(config: Pick<Config, 'DATABASE_URL' | 'SQLITE_FILE' | 'DB_POOL_MAX'>): Knex {
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL.replace(/^mariadb:/, 'mysql:'));
    return knexFactory({
      client: 'mysql2',
      connection: {
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: url.pathname.replace(/^\//, ''),
        charset: 'utf8mb4',
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: false,
      },
      pool: {
        min: 0,
        max: config.DB_POOL_MAX,
        // READ COMMITTED: every statement sees what other instances committed. Under MySQL's default
        // REPEATABLE READ an engine-ingest transaction would read a snapshot older than the case
        // starter's commit and could miss the link between a case and its process instance.
        afterCreate(conn: { query(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (err) => done(err, conn));
        },
      },
    });
  }
  // the database file is the office user's only (its WAL and shared-memory files take its mode)
  fs.mkdirSync(path.dirname(config.SQLITE_FILE), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(config.SQLITE_FILE, 'a', 0o600));
  fs.chmodSync(config.SQLITE_FILE, 0o600);
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: config.SQLITE_FILE },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      // WAL lets readers proceed during the exporter's write batches; busy_timeout rides out the
      // short lock a second process (a test, a CLI) may hold.
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}

/**
 * The migrations beside this module: db/migrations/*.ts from sources, dist/db/migrations/*.js when
 * compiled. Each is recorded under its source name (…ts) either way, so a database migrated by one
 * is current for the other.
 */
class Migrations implements Knex.MigrationSource<string> {
  private readonly dir = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
  private readonly ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';

  async getMigrations(): Promise<string[]> {
    return fs.readdirSync(this.dir).filter((f) => f.endsWith(this.ext) && !f.endsWith('.d.ts')).sort();
  }

  getMigrationName(file: string): string {
    return file.replace(/\.js$/, '.ts');
  }

  async getMigration(file: string): Promise<Knex.Migration> {
    return (await import(pathToFileURL(path.join(this.dir, file)).href)) as Knex.Migration;
  }
}

/**
 * `applicantKeys` reach the migrations as knex userParams: a migration that derives columns from
 * sealed data (the applicant search hashes) opens the rows with them.
 */
export async function migrate(db: Knex, applicantKeys?: KeyRing): Promise<void> {
  await (applicantKeys ? db.withUserParams({ applicantKeys }) : db).migrate.latest({ migrationSource: new Migrations() });
}

/**
 * The catalogue and the official calendar always; the demo province only when asked (SEED_DEMO), and
 * with it the demo items' application forms unless SEED_DEMO_FORMS=false.
 */
export async function seed(db: Knex, opts: { demo: boolean; demoForms?: boolean }): Promise<void> {
  const { seed: catalogue } = await import('../../db/seeds/01-catalogue.ts');
  await catalogue(db);
  const { seed: calendar } = await import('../../db/seeds/03-calendar.ts');
  await calendar(db);
  if (opts.demo) {
    const { seed: demo } = await import('../../db/seeds/02-demo-org.ts');
    await demo(db);
    if (opts.demoForms !== false) {
      const { seed: forms } = await import('../../db/seeds/04-demo-forms.ts');
      await forms(db);
    }
  }
}

/**
 * A write that lost a lock race to another instance (MariaDB's deadlock victim or lock-wait
 * timeout, SQLite's busy database): nothing of it was written, and a leased sweep may simply look
 * again on its next round.
 */
export function lostLockRace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}
