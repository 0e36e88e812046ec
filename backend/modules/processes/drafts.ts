/**
 * Server-side drafts of processes being designed: one per process id, visible to everyone who may
 * read processes, written only by designers of the department the process belongs to (the same rule
 * as deploying; a brand-new process belongs to the department of the designer who first saves it).
 * A draft may be unfinished — only "readable BPMN declaring this process" is required here; the
 * designer's own linter reports the rest and the broker's validator has the last word on deploy.
 */
import type { Ctx, Identity } from '../../context.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { authorize } from '../../authz/ability.ts';
import { declaredProcesses } from '../../engine/bpmn.ts';
import { assertDesigner, ownerOf } from './service.ts';

type Row = Record<string, unknown>;

const summary = (r: Row) => ({
  bpmnProcessId: String(r.bpmn_process_id),
  name: String(r.name),
  department: String(r.department),
  updatedBy: String(r.updated_by),
  updatedAt: new Date(Number(r.updated_at)).toISOString(),
});

export async function listDrafts(ctx: Ctx, who: Identity) {
  authorize(who, 'read', 'Process');
  const rows = await ctx.db('process_drafts').select('bpmn_process_id', 'name', 'department', 'updated_by', 'updated_at').orderBy('bpmn_process_id');
  return { items: rows.map(summary) };
}

export async function getDraft(ctx: Ctx, who: Identity, id: string) {
  authorize(who, 'read', 'Process');
  const row = await ctx.db('process_drafts').where({ bpmn_process_id: id }).first();
  if (!row) throw notFound('draft of process', id);
  return { ...summary(row), xml: String(row.xml) };
}

export async function saveDraft(ctx: Ctx, who: Identity, id: string, input: { name: string; xml: string }) {
  const owner = await ownerOf(ctx.db, id);
  assertDesigner(who, id, owner, 'save drafts of it');
  const processes = await declaredProcesses(input.xml);
  if (!processes.some((p) => p.id === id)) {
    const found = processes.map((p) => p.id).join(', ') || 'none';
    throw new AppError('INVALID_BPMN', `the XML declares no process with id "${id}" (found: ${found}); save it under its own process id`, [{ path: 'body.xml', message: `no <bpmn:process id="${id}">` }]);
  }
  const at = ctx.clock.now();
  // assertDesigner passed: a process nobody owns yet goes to the designer's own department
  const department = owner ?? (who.department as string);
  const row = { name: input.name, xml: input.xml, updated_by: who.userId, updated_at: at };
  await ctx.db('process_drafts').insert({ bpmn_process_id: id, department, ...row }).onConflict('bpmn_process_id').ignore();
  // conditional on the department: two departments drafting the same new id at once cannot both win
  const saved = await ctx.db('process_drafts').where({ bpmn_process_id: id, department }).update(row);
  if (saved === 0) throw forbidden(`process ${id} was just drafted by another department; only its designers save drafts of it`);
  ctx.log.info({ by: who.userId, bpmnProcessId: id }, 'process draft saved');
  return getDraft(ctx, who, id);
}

export async function deleteDraft(ctx: Ctx, who: Identity, id: string): Promise<void> {
  authorize(who, 'read', 'Process');
  const row = await ctx.db('process_drafts').where({ bpmn_process_id: id }).first('department');
  if (!row) throw notFound('draft of process', id);
  assertDesigner(who, id, await ownerOf(ctx.db, id), 'delete drafts of it');
  await ctx.db('process_drafts').where({ bpmn_process_id: id }).delete();
}
