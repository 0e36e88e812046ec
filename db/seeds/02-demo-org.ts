/**
 * The demo province 江南省 (code JN): two cities, three counties, their departments, and one account
 * per role per unit where it makes sense (README "Demo accounts"). All demo accounts share one
 * password, hashed once per run, which each account must change at its first login (it is published).
 * Idempotent: existing units and users are left as they are.
 */
import type { Knex } from 'knex';
import { hashPassword } from '../../backend/modules/identity/passwords.ts';

export const DEMO_PASSWORD = 'Demo@2026';

interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent: string | null;
  departments: string[];
}

const regions: Region[] = [
  { code: 'JN', name: '江南省', level: 'province', parent: null, departments: ['ASC', 'WR', 'NR', 'EE', 'SUP'] },
  { code: 'JN-01', name: '示范市', level: 'city', parent: 'JN', departments: ['ASC', 'WR', 'NR', 'EE', 'SUP'] },
  { code: 'JN-01-01', name: '示范市一区', level: 'county', parent: 'JN-01', departments: ['ASC', 'WR', 'NR', 'SUP'] },
  { code: 'JN-01-02', name: '示范市二县', level: 'county', parent: 'JN-01', departments: ['ASC', 'WR', 'NR', 'SUP'] },
  { code: 'JN-02', name: '东江市', level: 'city', parent: 'JN', departments: ['ASC', 'WR', 'NR', 'EE', 'SUP'] },
  { code: 'JN-02-01', name: '东江市三县', level: 'county', parent: 'JN-02', departments: ['ASC', 'WR', 'NR', 'SUP'] },
];

const DEPARTMENT_NAMES: Record<string, [string, string, string]> = {
  // province, city, county
  ASC: ['政务服务中心', '政务服务中心', '政务服务中心'],
  WR: ['水利厅', '水利局', '水利局'],
  NR: ['自然资源厅', '自然资源局', '自然资源局'],
  EE: ['生态环境厅', '生态环境局', '生态环境分局'],
  SUP: ['效能监察办', '效能监察办', '效能监察办'],
};

const ROLE_NAMES: Record<string, string> = {
  window_clerk: '窗口受理员',
  reviewer: '承办人',
  section_head: '科室负责人',
  leader: '分管领导',
  supervisor: '效能监察员',
  designer: '流程设计员',
  admin: '系统管理员',
  audit_admin: '安全审计员',
};

/** Which roles each department's demo accounts hold. */
function rolesFor(department: string, region: Region): string[][] {
  switch (department) {
    case 'ASC':
      return [['window_clerk'], ['leader'], ...(region.level === 'province' ? [['designer'], ['admin'], ['audit_admin']] : [])];
    case 'SUP':
      return [['supervisor']];
    default:
      return [['reviewer'], ['section_head'], ['leader'], ...(region.level === 'province' && department === 'WR' ? [['designer']] : [])];
  }
}

const SUFFIX: Record<string, string> = { window_clerk: 'window', reviewer: 'reviewer', section_head: 'head', leader: 'leader', supervisor: 'supervisor', designer: 'designer', admin: 'admin', audit_admin: 'audit' };

export function demoAccounts() {
  const units: Array<Record<string, unknown>> = [];
  const users: Array<{ username: string; displayName: string; unitCode: string; roles: string[] }> = [];
  const levelIndex = { province: 0, city: 1, county: 2 } as const;
  for (const r of regions) {
    const parentPath = r.parent ? `/${regionPath(r.parent)}` : '';
    const path = `${parentPath}/${r.code}/`;
    units.push({ code: r.code, name: r.name, kind: 'region', level: r.level, region_code: r.code, department: null, parent_code: r.parent, path });
    for (const d of r.departments) {
      const code = `${r.code}.${d}`;
      const name = `${r.name}${DEPARTMENT_NAMES[d]?.[levelIndex[r.level]] ?? d}`;
      units.push({ code, name, kind: 'department', level: r.level, region_code: r.code, department: d, parent_code: r.code, path: `${path}${code}/` });
      for (const roles of rolesFor(d, r)) {
        const role = roles[0] as string;
        users.push({ username: `${code.toLowerCase()}.${SUFFIX[role]}`, displayName: `${name}${ROLE_NAMES[role]}`, unitCode: code, roles });
      }
    }
  }
  return { units, users };
}

function regionPath(code: string): string {
  const chain: string[] = [];
  let cur: string | null = code;
  while (cur) {
    chain.unshift(cur);
    cur = regions.find((r) => r.code === cur)?.parent ?? null;
  }
  return chain.join('/');
}

export async function seed(knex: Knex): Promise<void> {
  const { units, users } = demoAccounts();
  for (const u of units) await knex('org_units').insert(u).onConflict('code').ignore();
  const existing = new Set((await knex('users').pluck('username')).map(String));
  const missing = users.filter((u) => !existing.has(u.username));
  if (missing.length > 0) {
    const hash = await hashPassword(DEMO_PASSWORD);
    const now = Date.now();
    for (const u of missing) {
      await knex('users').insert({ id: u.username, username: u.username, display_name: u.displayName, unit_code: u.unitCode, password_hash: hash, failed_logins: 0, active: true, created_at: now, must_change_password: true, password_changed_at: null }).onConflict('username').ignore();
      for (const role of u.roles) await knex('user_roles').insert({ user_id: u.username, role }).onConflict(['user_id', 'role']).ignore();
    }
  }
}
