/**
 * Deploys BPMN to the engine and records the definitions. The port makes a re-deployment of an
 * unchanged file a no-op (same version back), so deploying `processes/` at every start is idempotent.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Ctx } from '../context.ts';
import { AppError, type Problem } from '../errors.ts';
import { parseBpmn } from './bpmn.ts';
import { EngineError, type DeployedProcess } from './port.ts';
import { upsertDefinition } from './process-models.ts';
import { appendAudit } from '../modules/audit/service.ts';

export async function deployXml(ctx: Ctx, resourceName: string, xml: string): Promise<DeployedProcess[]> {
  await parseBpmn(xml); // a readable, executable BPMN before the broker sees it
  let deployed: DeployedProcess[];
  try {
    deployed = await ctx.engine.deploy(resourceName, xml);
  } catch (err) {
    if (err instanceof EngineError && err.kind === 'rejected') {
      // The engine's parser knows its own rules (expressions, implementations, …): pass its reasons
      // on, per element where it names one, so the designer can mark them on the diagram.
      throw new AppError('INVALID_BPMN', `the engine rejected ${resourceName}`, reasonsOf(err));
    }
    throw err;
  }
  for (const d of deployed) {
    await upsertDefinition(ctx.db, { definition_key: d.definitionId, bpmn_process_id: d.processId, version: d.version, resource_name: resourceName, xml, deployed_at: ctx.clock.now() });
  }
  return deployed;
}

function reasonsOf(err: EngineError): Problem[] {
  if (err.details.length > 0) {
    // the schema validator's "no ID/IDREF binding" repeats what the engine says per element
    return err.details.slice(0, 20).map((d) => ({ ...(d.elementId ? { path: d.elementId } : {}), message: d.message }));
  }
  return err.message
    .split('\n')
    .map((l) => l.replace(/^\*\s*/, '').trim())
    .filter((l) => l && !/^(POST|GET) /.test(l))
    .slice(0, 20)
    .map((l) => ({ message: l }));
}

/** An engine that has just become ready may still be slow to answer: retry for up to a minute. */
async function deployPatiently(ctx: Ctx, name: string, xml: string): Promise<DeployedProcess[]> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deployXml(ctx, name, xml);
    } catch (err) {
      if (!(err instanceof EngineError) || err.kind !== 'unavailable' || Date.now() > deadline) throw err;
      ctx.log.warn({ file: name, attempt }, 'engine not answering yet; deploying again shortly');
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
    }
  }
}

export async function deployDirectory(ctx: Ctx, dir: string): Promise<DeployedProcess[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.bpmn')).sort();
  const all: DeployedProcess[] = [];
  for (const f of files) {
    const known = new Set((await ctx.db('process_definitions').where({ resource_name: f }).pluck('definition_key')).map(String));
    const deployed = await deployPatiently(ctx, f, await fs.readFile(path.join(dir, f), 'utf8'));
    all.push(...deployed);
    // a new version from the directory changes what live cases run next, like a designer's deploy
    for (const d of deployed.filter((x) => !known.has(x.definitionId))) {
      await appendAudit(ctx.db, { actor: null, action: 'process.deployed', subject: 'Process', subjectId: d.processId, reason: `${f}: version ${d.version}, from ${path.basename(dir)}/ at start`, at: ctx.clock.now() });
    }
    ctx.log.info({ file: f, processes: deployed.map((d) => `${d.processId} v${d.version}`) }, 'process deployed');
  }
  return all;
}
