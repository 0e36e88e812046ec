/**
 * The port's commands on Operaton's REST API. Ids pass through untouched: the port calls them opaque,
 * and only this folder knows they are UUIDs and "<process>:<version>:<uuid>".
 */
import type { DeployedProcess, EngineCommands, OpenTask, StartedInstance, Variables } from '../port.ts';
import { EngineError } from '../port.ts';
import type { OperatonClient } from './client.ts';
import { toOperaton } from './variables.ts';

interface DefinitionDto {
  id: string;
  key: string;
  version: number;
  resource: string;
}

interface TaskDto {
  id: string;
  name: string | null;
  assignee: string | null;
  owner: string | null;
  delegationState: string | null;
  due: string | null;
  followUp: string | null;
  priority: number;
  description: string | null;
  parentTaskId: string | null;
  caseInstanceId: string | null;
  tenantId: string | null;
  processInstanceId: string;
  taskDefinitionKey: string;
  executionId: string;
}

interface ActivityInstanceDto {
  id: string;
  activityId: string;
  executionIds: string[];
  childActivityInstances: ActivityInstanceDto[];
}

/** Operaton's name for the container of a multi-instance activity's instances */
const MI_BODY = '#multiInstanceBody';

/** The path from the root to the activity instance of a task (its execution, at its element). */
function pathTo(root: ActivityInstanceDto, task: TaskDto): ActivityInstanceDto[] | null {
  if (root.activityId === task.taskDefinitionKey && root.executionIds.includes(task.executionId)) return [root];
  for (const child of root.childActivityInstances) {
    const below = pathTo(child, task);
    if (below) return [root, ...below];
  }
  return null;
}

const q = encodeURIComponent;
/** Operaton's REST date format: local-time-free ISO with milliseconds and a numeric offset */
const restDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export function operatonCommands(http: OperatonClient): EngineCommands {
  // A deployed definition never changes: its version is looked up once.
  const versions = new Map<string, number>();
  const definition = async (id: string): Promise<DefinitionDto> => {
    const d = await http.call<DefinitionDto>('GET', `/process-definition/${q(id)}`);
    versions.set(d.id, d.version);
    return d;
  };
  const byVersion = new Map<string, string>();
  const definitionByVersion = async (key: string, version: number): Promise<string> => {
    const known = byVersion.get(`${key}:${version}`);
    if (known) return known;
    const found = await http.call<DefinitionDto[]>('GET', `/process-definition?key=${q(key)}&version=${version}`);
    if (!found[0]) throw new EngineError('not_found', `process ${key} has no version ${version}`);
    versions.set(found[0].id, found[0].version);
    byVersion.set(`${key}:${version}`, found[0].id);
    return found[0].id;
  };

  const instanceOf = async (taskId: string): Promise<{ task: TaskDto; path: ActivityInstanceDto[] }> => {
    const task = await http.call<TaskDto>('GET', `/task/${q(taskId)}`);
    const tree = await http.call<ActivityInstanceDto>('GET', `/process-instance/${q(task.processInstanceId)}/activity-instances`);
    const path = pathTo(tree, task);
    if (!path) throw new EngineError('not_found', `task ${taskId} has no activity instance in ${task.processInstanceId}`);
    return { task, path };
  };

  return {
    async deploy(resourceName, xml) {
      const form = new FormData();
      form.set('deployment-name', resourceName);
      form.set('deployment-source', 'licence-desk');
      form.set('enable-duplicate-filtering', 'true');
      form.set('deploy-changed-only', 'true');
      form.set(resourceName, new Blob([xml], { type: 'application/xml' }), resourceName);
      const res = await http.call<{ id: string; deployedProcessDefinitions: Record<string, DefinitionDto> | null }>('POST', '/deployment/create', undefined, { form, timeoutMs: 30_000 });
      let defs = Object.values(res.deployedProcessDefinitions ?? {});
      // an unchanged resource deploys nothing: the answer names the deployment that already has it
      if (defs.length === 0) defs = await http.call<DefinitionDto[]>('GET', `/process-definition?deploymentId=${q(res.id)}`);
      return defs.map((d): DeployedProcess => {
        versions.set(d.id, d.version);
        return { processId: d.key, version: d.version, definitionId: d.id, resourceName: d.resource };
      });
    },

    async definitionXml(definitionId) {
      return (await http.call<{ bpmn20Xml: string }>('GET', `/process-definition/${q(definitionId)}/xml`)).bpmn20Xml;
    },

    async start({ processId, definitionId, version, businessKey, variables }): Promise<StartedInstance> {
      const id = definitionId ?? (version ? await definitionByVersion(processId, version) : null);
      const path = id ? `/process-definition/${q(id)}/start` : `/process-definition/key/${q(processId)}/start`;
      const res = await http.call<{ id: string; definitionId: string }>('POST', path, { businessKey, variables: toOperaton(variables) });
      const v = versions.get(res.definitionId) ?? (await definition(res.definitionId)).version;
      return { instanceId: res.id, definitionId: res.definitionId, version: v };
    },

    async instancesOf(businessKey) {
      const list = await http.call<Array<{ id: string; definitionId: string }>>('GET', `/process-instance?businessKey=${q(businessKey)}`);
      return list.map((p) => ({ instanceId: p.id, definitionId: p.definitionId }));
    },

    async terminate(instanceId) {
      // listeners run (skipCustomListeners=false), so the feed hears the tasks and the instance end
      await http.call('DELETE', `/process-instance/${q(instanceId)}?skipCustomListeners=false&skipIoMappings=false`);
    },

    suspend: (instanceId) => http.call('PUT', `/process-instance/${q(instanceId)}/suspended`, { suspended: true }),
    resume: (instanceId) => http.call('PUT', `/process-instance/${q(instanceId)}/suspended`, { suspended: false }),

    async moveToken(instanceId, { from, to, toCountersign, variables }) {
      // start before cancelling: cancelling the last token first would end the instance
      await http.call('POST', `/process-instance/${q(instanceId)}/modification`, {
        skipCustomListeners: false,
        skipIoMappings: false,
        instructions: [
          { type: 'startBeforeActivity', activityId: toCountersign ? `${to}${MI_BODY}` : to, ...(variables ? { variables: Object.fromEntries(Object.entries(toOperaton(variables)).map(([k, v]) => [k, { ...v, local: false }])) } : {}) },
          { type: 'cancel', activityId: from },
        ],
      });
    },

    async addInstance(taskId, local) {
      const { task, path } = await instanceOf(taskId);
      const body = path.at(-2);
      if (body?.activityId !== `${task.taskDefinitionKey}${MI_BODY}`) throw new EngineError('rejected', `task ${taskId} is not an instance of a multi-instance step`);
      // started inside the running body, the inner activity is one more instance of it (nrOfInstances + 1)
      await http.call('POST', `/process-instance/${q(task.processInstanceId)}/modification`, {
        skipCustomListeners: false,
        skipIoMappings: false,
        instructions: [{ type: 'startBeforeActivity', activityId: task.taskDefinitionKey, ancestorActivityInstanceId: body.id, variables: Object.fromEntries(Object.entries(toOperaton(local)).map(([k, v]) => [k, { ...v, local: true }])) }],
      });
    },

    async cancelInstance(taskId) {
      const { task, path } = await instanceOf(taskId);
      await http.call('POST', `/process-instance/${q(task.processInstanceId)}/modification`, {
        skipCustomListeners: false,
        skipIoMappings: false,
        instructions: [{ type: 'cancel', activityInstanceId: path.at(-1)!.id }],
      });
    },

    assign: (taskId, assignee) => http.call('POST', `/task/${q(taskId)}/assignee`, { userId: assignee }),

    // Operaton's own delegation: the assignee becomes the owner, the delegate the assignee (PENDING)
    delegate: (taskId, delegate) => http.call('POST', `/task/${q(taskId)}/delegate`, { userId: delegate }),
    resolve: (taskId, variables = {}) => http.call('POST', `/task/${q(taskId)}/resolve`, { variables: toOperaton(variables) }),

    complete: (taskId, variables: Variables) => http.call('POST', `/task/${q(taskId)}/complete`, { variables: toOperaton(variables) }),

    async setDueDate(taskId, dueAt) {
      // PUT replaces the whole task: send back what it has, with the new due date
      const t = await http.call<TaskDto>('GET', `/task/${q(taskId)}`);
      await http.call('PUT', `/task/${q(taskId)}`, {
        name: t.name,
        description: t.description,
        priority: t.priority,
        assignee: t.assignee,
        owner: t.owner,
        delegationState: t.delegationState,
        due: dueAt === null ? null : restDate(dueAt),
        followUp: t.followUp,
        parentTaskId: t.parentTaskId,
        caseInstanceId: t.caseInstanceId,
        tenantId: t.tenantId,
      });
    },

    async correlate({ message, businessKey, variables }) {
      await http.call('POST', '/message', { messageName: message, businessKey, processVariables: toOperaton(variables) });
    },

    async openTasks(args = {}) {
      const out: OpenTask[] = [];
      const filter = args.instanceId ? `processInstanceId=${q(args.instanceId)}&` : '';
      for (let first = 0; ; first += 1000) {
        const page = await http.call<TaskDto[]>('GET', `/task?${filter}sortBy=id&sortOrder=asc&firstResult=${first}&maxResults=1000`);
        for (const t of page) out.push({ taskId: t.id, instanceId: t.processInstanceId, elementId: t.taskDefinitionKey, assignee: t.assignee });
        if (page.length < 1000) return out;
      }
    },

    async ping() {
      await http.call('GET', '/engine');
    },
  };
}
