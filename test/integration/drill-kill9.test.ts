/**
 * Drill: kill -9 the back office while cases are in flight, start it again; every case concludes,
 * no task is lost or recorded twice. The office runs as a child process (so it can be SIGKILLed)
 * and reads the test engine's feed itself. bench/drills/kill9.ts runs the same drill at 1,000 cases
 * on an engine of its own.
 */
import { assert } from 'chai';
import { after, describe, it } from 'mocha';
import { createDb } from '../../backend/db/knex.ts';
import { env, freshDatabase, hearFeed, type Database } from '../support/harness.ts';
import { ChildOffice, clerkLoad, freePort, HAPPY_PATH, officeEnv, reconcile, sleep, verdictOf } from '../support/drills.ts';

const CASES = 30;

describe('drill: kill -9 the back office mid-load', () => {
  let database: Database | null = null;
  let office: ChildOffice | null = null;
  after(async () => {
    await office?.kill9();
    await database?.drop();
  });

  it(`concludes all ${CASES} cases with no task lost or duplicated`, async () => {
    database = await freshDatabase();
    const child = new ChildOffice({
      port: await freePort(),
      env: officeEnv({ ...database.env, OPERATON_URL: env.engineUrl, OPERATON_TOKEN: env.engineToken }),
    });
    office = child;
    await hearFeed(null); // the child reads the feed, no office of this process
    await child.start();

    let restart: Promise<number> | null = null;
    let downMs = 0;
    const killAt = Math.floor((CASES * HAPPY_PATH.length) / 3);
    const load = await clerkLoad({
      urls: () => [child.url],
      cases: CASES,
      concurrency: 10,
      onTaskDone: (n) => {
        if (n !== killAt || restart) return;
        restart = (async () => {
          const t0 = performance.now();
          await child.kill9();
          await sleep(300);
          await child.start();
          downMs = performance.now() - t0;
          return downMs;
        })();
      },
    });
    assert.ok(restart, 'the office was killed mid-load');
    await restart;

    const db = createDb({ DATABASE_URL: database.env.DATABASE_URL, SQLITE_FILE: database.env.SQLITE_FILE ?? '', DB_POOL_MAX: 2 });
    try {
      const r = await reconcile(db, load.caseIds, { expectedCases: CASES, waitMs: 60_000 });
      const v = verdictOf(r, CASES, { fail: [...load.stuck.map((s) => `case ${s.index} stuck: ${s.why}`), ...(load.tally.status(500) ? [`${load.tally.status(500)} answers 500`] : [])], note: `office down ${Math.round(downMs)} ms` });
      console.log(`# ${v.line}`);
      assert.ok(v.pass, `${v.line}\n${r.details.join('\n')}\n${load.tally.table()}\n${child.stderr.slice(-20).join('\n')}`);
    } finally {
      await db.destroy();
    }
  });
});
