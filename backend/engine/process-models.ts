/**
 * Deployed process definitions: stored once (from our own deployments and from the exporter's
 * PROCESS records, so definitions deployed by another instance are known too) and parsed lazily for
 * user-task names and headers.
 */
import { createHash } from 'node:crypto';
import type { Db, Trx } from '../db/knex.ts';
import { parseBpmn, parseDecisions, type UserTaskModel } from './bpmn.ts';

export function decisionsFromHeaders(headers: Record<string, string>): string[] | null {
  return headers.decisions ? parseDecisions(headers.decisions) : null;
}

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

export class ProcessModels {
  private readonly cache = new Map<string, Map<string, UserTaskModel>>();

  constructor(private readonly db: Db) {}

  async record(trx: Trx, v: Record<string, unknown>): Promise<void> {
    const resource = typeof v.resource === 'string' ? Buffer.from(v.resource, 'base64').toString('utf8') : '';
    if (!resource) return;
    await upsertDefinition(trx, {
      definition_key: String(v.processDefinitionKey),
      bpmn_process_id: String(v.bpmnProcessId),
      version: Number(v.version),
      resource_name: String(v.resourceName ?? ''),
      xml: resource,
      deployed_at: Date.now(),
    });
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
