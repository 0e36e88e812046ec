/** The people of the demo region as the BPMN candidate groups name them, and case-walking steps. */
import { assert } from 'chai';
import type { Knex } from 'knex';
import { login, type Client } from './api.ts';
import { waitFor } from './harness.ts';

export const COUNTY = 'JN-01-01';
export const CITY = 'JN-01';

/** Demo accounts (db/seeds/02-demo-org.ts), logged in. */
export const ACCOUNTS = {
  window: 'jn-01-01.asc.window',
  countyReviewer: 'jn-01-01.wr.reviewer',
  otherCountyReviewer: 'jn-01-02.wr.reviewer',
  cityReviewer: 'jn-01.wr.reviewer',
  provinceLeader: 'jn.wr.leader',
  provinceWindow: 'jn.asc.window',
  cityWindow: 'jn-01.asc.window',
  nr: 'jn-01.nr.reviewer',
  nrLeader: 'jn-01.nr.leader',
  ee: 'jn-01.ee.reviewer',
  wr: 'jn-01.wr.reviewer',
} as const;

export type People = Record<keyof typeof ACCOUNTS, Client>;

export async function people(url: string): Promise<People> {
  const entries = await Promise.all(Object.entries(ACCOUNTS).map(async ([k, username]) => [k, await login(url, username)] as const));
  return Object.fromEntries(entries) as People;
}

export const applicant = { kind: 'person', name: '张三', idNumber: '11010519491231002X', phone: '13800138000', address: '江南省示范市一区' } as const;

export interface TaskJson {
  userTaskKey: string;
  caseId: string;
  elementId: string;
  name: string;
  state: string;
  assignee: string | null;
  decisions: string[];
  candidateGroups: string[];
}

export interface CaseJson {
  id: string;
  caseNo: string;
  status: string;
  result: string | null;
  awaiting: string | null;
  processInstanceKey: string | null;
  currentSteps: Array<{ elementId: string; userTaskKey: string }>;
  timeline: Array<{ type: string; actor: string | null; elementId: string | null; data: Record<string, unknown> | null }>;
}

export async function submit(by: Client, itemCode: string, regionCode: string, extra: Record<string, string> = {}): Promise<CaseJson> {
  const res = await by.post<CaseJson>('/api/cases', { itemCode, regionCode, applicant, materials: [{ name: '取水许可申请书' }] }, extra);
  assert.ok(res.status === 201 || res.status === 202, `submit answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until `who` sees the case's open task at `elementId`. */
export async function taskAt(who: Client, caseId: string, elementId: string): Promise<TaskJson> {
  return waitFor(`task ${elementId} of case ${caseId} for ${who.username}`, async () => {
    const res = await who.get<{ items: TaskJson[] }>(`/api/tasks?caseId=${caseId}&elementId=${elementId}`);
    return res.body.items?.[0];
  });
}

export async function decide(who: Client, caseId: string, elementId: string, decision: string, opinion = '同意'): Promise<TaskJson> {
  const task = await taskAt(who, caseId, elementId);
  const claimed = await who.post(`/api/tasks/${task.userTaskKey}/claim`);
  assert.strictEqual(claimed.status, 200, JSON.stringify(claimed.body));
  const done = await who.post<TaskJson>(`/api/tasks/${task.userTaskKey}/complete`, { decision, opinion });
  assert.strictEqual(done.status, 200, `completing ${elementId} with ${decision}: ${JSON.stringify(done.body)}`);
  assert.strictEqual(done.body.state, 'completed');
  return done.body;
}

export async function concluded(who: Client, caseId: string): Promise<CaseJson> {
  return waitFor(`case ${caseId} to conclude`, async () => {
    const res = await who.get<CaseJson>(`/api/cases/${caseId}`);
    return res.body.status === 'concluded' ? res.body : null;
  });
}

/** Element ids of the bundled processes (processes/*.bpmn). */
export const WATER = {
  item: '000117002000',
  process: 'water_abstraction_permit',
  window: 'window_acceptance',
  county: 'county_review',
  city: 'city_review',
  province: 'province_decision',
  delivery: 'licence_delivery',
  awaitSupplements: 'await_supplements',
};

export const JOINT = {
  item: '000199001000',
  process: 'joint_construction_approval',
  window: 'window_acceptance',
  countersign: 'department_countersign',
  lead: 'lead_decision',
};

/**
 * Moves the promised limit (承诺时限) of the bundled items out of the way, for files that count the
 * statutory and step clocks' levels exactly: the promise runs its own clock beside the law and would
 * fire levels of its own (test/integration/promised-clock.test.ts proves those).
 */
export async function promiseOutOfTheWay(db: Knex, days = 250): Promise<void> {
  for (const code of [WATER.item, JOINT.item]) {
    await db('service_items').where({ code }).update({ promised_limit_days: days });
    for (const v of await db('service_item_versions').where({ item_code: code })) {
      await db('service_item_versions').where({ item_code: code, version: v.version }).update({ content: JSON.stringify({ ...JSON.parse(String(v.content)), promisedLimitDays: days }) });
    }
  }
}
