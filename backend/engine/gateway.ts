/**
 * The only place that talks to Zeebe. Everything else sees this small interface, so tests of domain
 * logic could swap it and nothing outside engine/ depends on the SDK's shapes or error types.
 *
 * Failures are classified once: `unavailable` (the broker could not be reached or did not answer in
 * time — the caller may retry), `not_found` (the key is gone: completed, cancelled or never existed),
 * `rejected` (the broker refused the command as invalid — e.g. broken BPMN).
 */
import { Camunda8 } from '@camunda8/sdk';
import type { Config } from '../../config/index.ts';

export type EngineFailure = 'unavailable' | 'not_found' | 'rejected';

export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    readonly kind: EngineFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface DeployedProcess {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  resourceName: string;
}

export interface EngineGateway {
  deploy(resourceName: string, xml: string): Promise<DeployedProcess[]>;
  createInstance(args: { bpmnProcessId: string; version?: number | null; variables: Record<string, unknown> }): Promise<{
    processInstanceKey: string;
    processDefinitionKey: string;
    version: number;
  }>;
  cancelInstance(processInstanceKey: string): Promise<void>;
  completeUserTask(userTaskKey: string, variables: Record<string, unknown>): Promise<void>;
  assignUserTask(userTaskKey: string, assignee: string | null): Promise<void>;
  publishMessage(args: { name: string; correlationKey: string; variables?: Record<string, unknown>; messageId?: string; timeToLiveMs?: number }): Promise<void>;
  /** Resolves when a partition leader answers; used for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Variables are plain JSON by construction; the SDK's recursive JSON type just cannot see that. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonVars = any;

const GRPC = { INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, RESOURCE_EXHAUSTED: 8 };

function classify(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as { code?: unknown; details?: string; message?: string; response?: { statusCode?: number; body?: unknown }; statusCode?: number };
  const message = e.details ?? e.message ?? String(err);
  const http = e.response?.statusCode ?? e.statusCode;
  if (typeof http === 'number') {
    if (http === 404) return new EngineError('not_found', message);
    if (http === 400 || http === 409) return new EngineError('rejected', `${message} ${JSON.stringify(e.response?.body ?? '')}`);
    return new EngineError('unavailable', message);
  }
  switch (e.code) {
    case GRPC.NOT_FOUND:
      return new EngineError('not_found', message);
    case GRPC.INVALID_ARGUMENT:
    case GRPC.FAILED_PRECONDITION:
    case GRPC.ALREADY_EXISTS:
      return new EngineError('rejected', message);
    default:
      // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED (backpressure), connection errors
      return new EngineError('unavailable', message);
  }
}

/** The SDK would otherwise retry an unreachable broker for minutes; callers decide about retries. */
function withTimeout<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineError('unavailable', `the engine did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createZeebeGateway(config: Config): EngineGateway {
  const oauth = Boolean(config.ZEEBE_CLIENT_ID);
  const c8 = new Camunda8({
    // The SDK wants host:port; TLS is a separate switch.
    ZEEBE_GRPC_ADDRESS: config.ZEEBE_GRPC_ADDRESS.replace(/^grpcs?:\/\//, ''),
    ZEEBE_REST_ADDRESS: config.ZEEBE_REST_ADDRESS,
    CAMUNDA_SECURE_CONNECTION: config.ZEEBE_SECURE,
    CAMUNDA_AUTH_STRATEGY: oauth ? 'OAUTH' : 'NONE',
    CAMUNDA_OAUTH_DISABLED: !oauth,
    ...(oauth
      ? {
          ZEEBE_CLIENT_ID: config.ZEEBE_CLIENT_ID,
          ZEEBE_CLIENT_SECRET: config.ZEEBE_CLIENT_SECRET,
          CAMUNDA_OAUTH_URL: config.CAMUNDA_OAUTH_URL,
          ...(config.ZEEBE_TOKEN_AUDIENCE ? { ZEEBE_TOKEN_AUDIENCE: config.ZEEBE_TOKEN_AUDIENCE } : {}),
        }
      : {}),
    ZEEBE_GRPC_CLIENT_RETRY: false,
    ZEEBE_GRPC_CLIENT_EAGER_CONNECT: false,
    CAMUNDA_LOG_LEVEL: 'none',
    ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  } as ConstructorParameters<typeof Camunda8>[0]);
  const zeebe = c8.getZeebeGrpcApiClient();
  const rest = c8.getCamundaRestClient();
  const ms = config.ZEEBE_REQUEST_TIMEOUT_MS;
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(ms, work());
    } catch (err) {
      throw classify(err);
    }
  };

  return {
    deploy: (resourceName, xml) =>
      call(async () => {
        const res = await zeebe.deployResource({ name: resourceName, process: Buffer.from(xml, 'utf8') });
        return res.deployments.map((d) => ({
          bpmnProcessId: d.process.bpmnProcessId,
          version: d.process.version,
          processDefinitionKey: String(d.process.processDefinitionKey),
          resourceName: d.process.resourceName,
        }));
      }),
    createInstance: ({ bpmnProcessId, version, variables }) =>
      call(async () => {
        const res = await zeebe.createProcessInstance({ bpmnProcessId, version: version ?? undefined, variables: variables as JsonVars });
        return { processInstanceKey: String(res.processInstanceKey), processDefinitionKey: String(res.processDefinitionKey), version: Number(res.version) };
      }),
    cancelInstance: (key) => call(() => zeebe.cancelProcessInstance(key)),
    completeUserTask: (userTaskKey, variables) => call(() => rest.completeUserTask({ userTaskKey, variables: variables as JsonVars })),
    assignUserTask: (userTaskKey, assignee) =>
      call(() => (assignee ? rest.assignTask({ userTaskKey, assignee, allowOverride: true }) : rest.unassignTask({ userTaskKey }))),
    publishMessage: ({ name, correlationKey, variables, messageId, timeToLiveMs }) =>
      call(async () => {
        await zeebe.publishMessage({ name, correlationKey, variables: (variables ?? {}) as JsonVars, messageId, timeToLive: timeToLiveMs ?? 0 });
      }),
    ping: () =>
      call(async () => {
        const t = await zeebe.topology();
        const leader = t.brokers.some((b) => b.partitions.some((p) => String(p.role) === 'LEADER' || Number(p.role) === 0));
        if (!leader) throw new EngineError('unavailable', 'no partition leader yet');
      }),
    close: async () => {
      await zeebe.close(2000).catch(() => undefined);
    },
  };
}
