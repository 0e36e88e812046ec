/**
 * The working-day calendar (行政许可法 art. 82: limits count working days). Only the exceptions are
 * stored: statutory days off (holiday) and make-up working days on a weekend (workday, 调休上班);
 * every other day is a working day from Monday to Friday. `region_code` '' is the national calendar
 * (the State Council's notice); a province code ('JN') holds that province's overlay (local ethnic
 * festivals). `calendar_years` records which years are officially complete: a deadline that reaches
 * an unpublished year is refused, never guessed from weekends alone.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_days', (t) => {
    t.string('region_code', 32).notNullable(); // '' national · 'JN' provincial overlay
    t.specificType('day', 'char(10)').notNullable(); // 'YYYY-MM-DD', a civil date in China (Asia/Shanghai)
    t.string('kind', 8).notNullable(); // holiday | workday
    t.string('name', 100).notNullable(); // 国庆节 · 国庆节调休上班
    t.bigInteger('updated_at').notNullable();
    t.string('updated_by', 64); // null = seed
    t.primary(['region_code', 'day']);
  });

  await knex.schema.createTable('calendar_years', (t) => {
    t.string('region_code', 32).notNullable();
    t.integer('year').notNullable();
    t.text('source').notNullable(); // the notice it comes from (国办发明电〔2025〕7号 …)
    t.bigInteger('published_at').notNullable();
    t.string('published_by', 64); // null = seed
    t.primary(['region_code', 'year']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('calendar_years');
  await knex.schema.dropTableIfExists('calendar_days');
}
