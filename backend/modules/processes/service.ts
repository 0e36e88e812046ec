/**
 * Deploying on behalf of a designer. A process belongs to the department whose designer first
 * deployed it (or to whom the seed gave it); only that department's designers deploy new versions.
 * A process that so far exists only as a draft belongs to the department that drafted it.
 */
import type { Ctx, Identity } from '../../context.ts';
import type { Db } from '../../db/knex.ts';
import { AppError, forbidden } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { parseBpmn } from '../../engine/bpmn.ts';
import { deployXml } from '../../engine/deploy.ts';
import { appendAudit } from '../audit/service.ts';
import { liveItemsOf, registerApplier, requestChange, type ChangeRequestView } from '../approvals/service.ts';
import { routingProblems } from './assignment.ts';


/** Registered owners (process_owners), then the departments of drafts for ids not registered yet. */
export async function ownersOf(db: Db, ids: string[]): Promise<{ registered: Map<string, string>; all: Map<string, string> }> {
  const registered = new Map<string, string>((await db('process_owners').whereIn('bpmn_process_id', ids)).map((o) => [String(o.bpmn_process_id), String(o.department)]));
  const all = new Map(registered);
  const unregistered = ids.filter((id) => !registered.has(id));
  if (unregistered.length > 0) {
    for (const d of await db('process_drafts').whereIn('bpmn_process_id', unregistered).select('bpmn_process_id', 'department')) all.set(String(d.bpmn_process_id), String(d.department));
  }
  return { registered, all };
}

export async function ownerOf(db: Db, id: string): Promise<string | null> {
  return (await ownersOf(db, [id])).all.get(id) ?? null;
}

/** May `who` change process `id` (deploy it, save or delete its draft)? A process nobody owns yet becomes theirs. */
export function assertDesigner(who: Identity, id: string, owner: string | null, what: string): void {
  const ability = abilityFor(who);
  if (!ability.can('deploy', 'Process')) throw forbidden(`only process designers ${what}`);
  const department = owner ?? who.department;
  if (!ability.can('deploy', subjectOf('Process', { department }))) throw forbidden(`process ${id} belongs to department ${department}; only its designers ${what}`);
}

/** What the API answers for a deployment: the names the web app and the OpenAPI document use. */
export interface DeployedView {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
}

/**
 * A deploy: checked (owner, routing), then applied at once — unless it changes the process of a live
 * catalogue item, which waits for a second person (四眼原则) as a change request.
 */
export async function deployAs(ctx: Ctx, who: Identity, name: string, xml: string, ip: string | null = null): Promise<{ deployed: DeployedView[] } | { pending: ChangeRequestView }> {
  if (!abilityFor(who).can('deploy', 'Process')) throw forbidden('only process designers deploy processes');
  const models = await parseBpmn(xml);
  const ids = models.map((p) => p.id);
  const owners = await ownersOf(ctx.db, ids);
  for (const id of ids) assertDesigner(who, id, owners.all.get(id) ?? null, 'deploy it');
  const department = owners.all.get(ids[0] as string) ?? who.department ?? '';
  const problems = routingProblems(models, department);
  if (problems.length > 0) throw new AppError('INVALID_BPMN', `${name} routes tasks outside department ${department}`, problems);
  const live = await liveItemsOf(ctx, ids);
  if (live.length > 0) {
    const summary = `deploy ${ids.join(', ')} from ${name} (live items ${live.join(', ')})`;
    return { pending: await requestChange(ctx, who, { kind: 'deploy', department, summary, payload: { name, xml }, ip }) };
  }
  return { deployed: await applyDeploy(ctx, who.userId, department, name, xml, ip) };
}

async function applyDeploy(ctx: Ctx, by: string, department: string, name: string, xml: string, ip: string | null): Promise<DeployedView[]> {
  const ids = (await parseBpmn(xml)).map((p) => p.id);
  const owners = await ownersOf(ctx.db, ids);
  const deployed = await deployXml(ctx, name, xml);
  for (const id of ids) {
    const owner = owners.all.get(id) ?? department;
    if (!owners.registered.has(id) && owner) await ctx.db('process_owners').insert({ bpmn_process_id: id, department: owner }).onConflict('bpmn_process_id').ignore();
  }
  const label = deployed.map((d) => `${d.processId} v${d.version}`).join(', ');
  await appendAudit(ctx.db, { actor: by, action: 'process.deployed', subject: 'Process', subjectId: deployed[0]?.processId ?? null, reason: `${name}: ${label}`.slice(0, 500), ip, at: ctx.clock.now() });
  ctx.log.info({ by, processes: label }, 'process deployed by designer');
  return deployed.map((d) => ({ bpmnProcessId: d.processId, version: d.version, processDefinitionKey: d.definitionId }));
}

registerApplier('deploy', async (ctx, requester, payload, ip) => {
  const name = String(payload.name);
  const xml = String(payload.xml);
  const ids = (await parseBpmn(xml)).map((p) => p.id);
  const department = (await ownersOf(ctx.db, ids)).all.get(ids[0] as string) ?? '';
  return { items: await applyDeploy(ctx, requester, department, name, xml, ip) };
});

/** Deployed definitions, newest version first per process, with the owner and whether `who` may deploy it. */
export async function listDefinitions(ctx: Ctx, who: Identity) {
  const rows = await ctx.db('process_definitions as d')
    .leftJoin('process_owners as o', 'o.bpmn_process_id', 'd.bpmn_process_id')
    .select('d.definition_key', 'd.bpmn_process_id', 'd.version', 'd.resource_name', 'd.deployed_at', 'o.department')
    .orderBy([{ column: 'd.bpmn_process_id' }, { column: 'd.version', order: 'desc' }]);
  const ability = abilityFor(who);
  return rows.map((d) => {
    const ownerDepartment = (d.department as string | null) ?? null;
    return {
      definitionKey: String(d.definition_key),
      bpmnProcessId: String(d.bpmn_process_id),
      version: Number(d.version),
      resourceName: String(d.resource_name),
      deployedAt: new Date(Number(d.deployed_at)).toISOString(),
      ownerDepartment,
      // the same decision deployAs makes: an unowned process would become the designer's department's
      mayDeploy: ability.can('deploy', subjectOf('Process', { department: ownerDepartment ?? who.department })),
    };
  });
}
