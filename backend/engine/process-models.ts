/**
 * Deployed process definitions: stored once (from our own deployments, and fetched from the engine
 * for definitions deployed elsewhere — another instance, the engine's own tools) and parsed lazily
 * for user-task names and step settings.
 */
import { createHash } from 'node:crypto';
import type { Db, Trx } from '../db/knex.ts';
import { parseBpmn, type UserTaskModel } from './bpmn.ts';

export const decisionsFromSettings = (model: UserTaskModel): string[] => model.decisions;

export interface DefinitionRow {
  definition_key: string;
  bpmn_process_id: string;
  version: number;
  resource_name: string;
  checksum: string;
  xml: string;
  deployed_at: number;
}

export async function upsertDefinition(db: Db | Trx, d: Omit<DefinitionRow, 'checksum'>): Promise<void> {
  const checksum = createHash('sha256').update(d.xml).digest('hex');
  await db('process_definitions').insert({ ...d, checksum }).onConflict('definition_key').ignore();
}

/** "<process>:<version>:…" is how Operaton names a definition; other engines fall back to the XML. */
const versionOf = (definitionId: string): number => Number(/^[^:]+:(\d+):/.exec(definitionId)?.[1] ?? 0);

export class ProcessModels {
  private readonly cache = new Map<string, Map<string, UserTaskModel>>();
  private readonly known = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly fetchXml: (definitionId: string) => Promise<string>,
  ) {}

  /** Makes sure each definition is in the register, fetching the XML of those that are not. */
  async ensure(definitionIds: string[]): Promise<void> {
    const missing = [...new Set(definitionIds)].filter((id) => !this.known.has(id));
    if (missing.length === 0) return;
    const have = new Set((await this.db('process_definitions').whereIn('definition_key', missing).pluck('definition_key')).map(String));
    for (const id of missing) {
      if (!have.has(id)) {
        try {
          const xml = await this.fetchXml(id);
          const process = (await parseBpmn(xml))[0];
          await upsertDefinition(this.db, { definition_key: id, bpmn_process_id: process?.id ?? id.split(':')[0] ?? id, version: versionOf(id), resource_name: '', xml, deployed_at: Date.now() });
        } catch {
          continue; // the task is still recorded, with its element id for a name and no settings
        }
      }
      this.known.add(id);
    }
  }

  async userTask(trx: Trx | Db, definitionKey: string, elementId: string): Promise<UserTaskModel | null> {
    let tasks = this.cache.get(definitionKey);
    if (!tasks) {
      const row = await trx('process_definitions').where({ definition_key: definitionKey }).first<DefinitionRow>();
      if (!row) return null;
      const model = (await parseBpmn(row.xml)).find((p) => p.id === row.bpmn_process_id);
      tasks = model?.userTasks ?? new Map();
      this.cache.set(definitionKey, tasks);
    }
    return tasks.get(elementId) ?? null;
  }
}
