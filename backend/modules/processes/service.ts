/**
 * Deploying on behalf of a designer. A process belongs to the department whose designer first
 * deployed it (or to whom the seed gave it); only that department's designers deploy new versions.
 */
import type { Ctx, Identity } from '../../context.ts';
import { forbidden } from '../../errors.ts';
import { abilityFor, subjectOf } from '../../authz/ability.ts';
import { parseBpmn } from '../../engine/bpmn.ts';
import { deployXml } from '../../engine/deploy.ts';
import type { DeployedProcess } from '../../engine/gateway.ts';

export async function deployAs(ctx: Ctx, who: Identity, name: string, xml: string): Promise<DeployedProcess[]> {
  const ability = abilityFor(who);
  if (!ability.can('deploy', 'Process')) throw forbidden('only process designers deploy processes');
  const ids = (await parseBpmn(xml)).map((p) => p.id);
  const owners = new Map<string, string>((await ctx.db('process_owners').whereIn('bpmn_process_id', ids)).map((o) => [String(o.bpmn_process_id), String(o.department)]));
  for (const id of ids) {
    const department = owners.get(id) ?? who.department;
    if (!ability.can('deploy', subjectOf('Process', { department }))) {
      throw forbidden(`process ${id} belongs to department ${department}; only its designers deploy it`);
    }
  }
  const deployed = await deployXml(ctx, name, xml);
  for (const id of ids) {
    if (!owners.has(id) && who.department) await ctx.db('process_owners').insert({ bpmn_process_id: id, department: who.department }).onConflict('bpmn_process_id').ignore();
  }
  ctx.log.info({ by: who.userId, processes: deployed.map((d) => `${d.bpmnProcessId} v${d.version}`) }, 'process deployed by designer');
  return deployed;
}
