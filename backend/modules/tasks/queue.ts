/**
 * The queue: a page of the tasks a user may see, filtered and sorted, with a keyset cursor.
 *
 * Written as one query, "visible" is an OR of the rules (in my groups, or assigned to me, or
 * completed by me, or in my region), and an OR is where databases stop using indexes: MariaDB walked
 * the open tasks probing each for a group match, which finds 20 quickly for a busy group and reads
 * every open task for a group with nothing open (the county window at 1M cases: > 10 s), or drove
 * the join from the group's candidate rows, completed ones included (a million for a window group).
 *
 * So the rules are split into legs — one per rule, and a group rule once per group — each a query
 * one index serves in page order: a group's leg reads its candidate rows (migration 0009: state and
 * sort keys copied there), the others their own task index (assignee, completed_by, region). Each leg
 * returns at most one page; the page is the first `limit` of their merge, without duplicates (a task
 * can be in my group and assigned to me). The keyset is the same for every leg, so cursors work as
 * before. A request narrowed to one case, or to my own tasks, is served by one query: it is small.
 */
import type { Knex } from 'knex';
import type { Ctx, Identity } from '../../context.ts';
import { abilityFor } from '../../authz/ability.ts';
import { ruleAst, whereRule, type RuleNode } from '../../authz/sql.ts';
import { AppError } from '../../errors.ts';
import { endOfBeijingDay } from '../calendar/calendar.ts';
import { sortKeyOf, taskFields, toTaskView, type TaskRow } from './records.ts';
import { withNames, type NamedTask } from './named.ts';
import type { TaskListQuery } from './schema.ts';
import { isTaskKey } from '../../http/ids.ts';

type Sort = TaskListQuery['sort'];

/** Where the previous page ended, in the order of its sort: due (null past the dated steps), created, key. */
interface Cursor {
  s: Sort;
  d?: number | null;
  t: number;
  k: string;
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string, sort: Sort): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    // cursors issued before sorts were named carry no `s`; they were creation-ordered
    const sameSort = (c.s ?? 'created').replace('-', '') === sort.replace('-', '');
    const dueOk = !sort.endsWith('due') || c.d === null || typeof c.d === 'number';
    if (sameSort && dueOk && typeof c.t === 'number' && typeof c.k === 'string' && isTaskKey(c.k)) return c;
  } catch {
    /* fall through */
  }
  throw new AppError('VALIDATION_FAILED', 'query.after: not a cursor this API issued for this sort');
}

/**
 * Rows strictly after `from` in the order of `cols`. Written with a leading `c1 >= v1` so the
 * database can start an index range scan there instead of reading the OR as a filter.
 */
function keysetAfter(q: Knex.QueryBuilder, cols: string[], from: Array<number | string>, op: '<' | '>'): void {
  const nest = (w: Knex.QueryBuilder, i: number): void => {
    void w.where(cols[i] as string, op, from[i] as number | string);
    if (i + 1 < cols.length) void w.orWhere((x) => x.where(cols[i] as string, from[i] as number | string).andWhere((y) => nest(y, i + 1)));
  };
  void q.where(cols[0] as string, `${op}=`, from[0] as number | string).andWhere((w) => nest(w, 0));
}

/** One way of being visible: a rule's other conditions, and the group whose candidate rows drive the leg. */
interface Leg {
  where: RuleNode | null;
  group: string | null;
}

// a rule naming more groups than this is read as one leg (the database sorts that group set's open rows)
const MAX_GROUP_LEGS = 8;

const isGroupCondition = (n: RuleNode) => (n.operator === 'in' || n.operator === 'eq') && n.field === 'candidateGroups';
const allOf = (parts: RuleNode[]): RuleNode | null => (parts.length === 0 ? null : parts.length === 1 ? (parts[0] as RuleNode) : { operator: 'and', value: parts });

/** The rules' alternatives as legs: `or(a, b)`, or `and(or(a, b), not…)` (a `cannot` rule) distributed. */
export function legsOf(ast: RuleNode): Leg[] {
  let alternatives: RuleNode[] = [ast];
  if (ast.operator === 'or') alternatives = ast.value as RuleNode[];
  else if (ast.operator === 'and') {
    const children = ast.value as RuleNode[];
    const ors = children.filter((c) => c.operator === 'or');
    if (ors.length === 1) {
      const rest = children.filter((c) => c !== ors[0]);
      alternatives = ((ors[0] as RuleNode).value as RuleNode[]).map((alt) => ({ operator: 'and', value: [alt, ...rest] }));
    }
  }
  const legs = alternatives.flatMap((alt): Leg[] => {
    const parts = alt.operator === 'and' ? (alt.value as RuleNode[]) : [alt];
    const groupCondition = parts.find(isGroupCondition);
    const names = groupCondition ? ([] as unknown[]).concat(groupCondition.value).map(String) : [];
    if (!groupCondition || names.length > MAX_GROUP_LEGS) return [{ where: alt, group: null }];
    const where = allOf(parts.filter((p) => p !== groupCondition));
    return names.map((group) => ({ where, group }));
  });
  // two rules can name the same group (a leader's own group and their unit's): one query is enough
  const seen = new Set<string>();
  return legs.filter((l) => !seen.has(JSON.stringify(l)) && seen.add(JSON.stringify(l)));
}

/** A task column as the leg reads it: from the candidate row where it has a copy (migration 0009). */
type Col = (name: string) => string;
const COPIED = new Set(['created_at', 'sort_key', 'due_at', 'level']);

/** The leg's rows in page order after the cursor, at most `n`. */
function runLeg(db: Knex, leg: Leg, state: string, filter: (q: Knex.QueryBuilder, col: Col) => void, order: { cols: string[]; dir: 'asc' | 'desc' }, from: Array<number | string> | null, n: number): Promise<TaskRow[]> {
  const q = leg.group ? db('task_candidates as tc').join('tasks', 'tasks.user_task_key', 'tc.user_task_key').where({ 'tc.kind': 'group', 'tc.name': leg.group, 'tc.state': state }) : db('tasks');
  void q.join('cases', 'cases.id', 'tasks.case_id').select('tasks.*', 'cases.case_no').where('tasks.state', state);
  const where = leg.where;
  if (where) void q.where((w) => whereRule(w, where, taskFields, 'Task'));
  // the candidate row's copies are what its indexes are ordered by
  const col: Col = (name) => (leg.group && COPIED.has(name) ? `tc.${name}` : `tasks.${name}`);
  filter(q, col);
  const cols = order.cols.map((c) => col(c.replace(/^tasks\./, '')));
  if (from) keysetAfter(q, cols, from, order.dir === 'desc' ? '<' : '>');
  return q.orderBy(cols.map((column) => ({ column, order: order.dir }))).limit(n) as Promise<TaskRow[]>;
}

const BY_CREATED = ['tasks.created_at', 'tasks.sort_key'];
const BY_DUE = ['tasks.due_at', ...BY_CREATED];

/** The rows of every leg merged in page order, each task once, the first `n`. */
function merge(legs: TaskRow[][], cols: string[], dir: 'asc' | 'desc', n: number): TaskRow[] {
  const value = (r: TaskRow, col: string) => {
    const v = (r as unknown as Record<string, unknown>)[col.replace(/^\w+\./, '')];
    return col.endsWith('sort_key') ? String(v) : Number(v);
  };
  const sign = dir === 'desc' ? -1 : 1;
  const cmp = (a: TaskRow, b: TaskRow) => {
    for (const c of cols) {
      const x = value(a, c);
      const y = value(b, c);
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
  const seen = new Set<string>();
  return legs
    .flat()
    .sort(cmp)
    .filter((r) => !seen.has(String(r.user_task_key)) && seen.add(String(r.user_task_key)))
    .slice(0, n);
}

/**
 * The queue. Sorting by due date runs in two phases — steps with a deadline, then the ones without —
 * because NULLs sort first in an ascending index on both databases and the API promises them last.
 */
export async function listTasks(ctx: Ctx, who: Identity, query: TaskListQuery): Promise<{ items: NamedTask[]; next: string | null }> {
  // 已办: the steps I completed, a narrow query on the completed_by index
  const q: TaskListQuery = query.scope === 'done' ? { ...query, state: 'completed' } : query;
  const ability = abilityFor(who);
  const read = ruleAst(ability, 'read', 'Task');
  const claim = q.scope === 'available' ? ruleAst(ability, 'claim', 'Task') : read;
  if (!read || !claim) return { items: [], next: null };
  // one case's tasks or my own are few: one query; otherwise a leg per rule (see above)
  const narrow = Boolean(q.caseId || q.caseNo) || q.scope === 'mine' || q.scope === 'done';
  const legs = narrow ? [{ where: claim, group: null }] : legsOf(claim);
  const filter = (query: Knex.QueryBuilder, col: Col) => {
    if (q.scope === 'available') void query.whereNull('tasks.assignee').where((w) => whereRule(w, read, taskFields, 'Task'));
    if (q.scope === 'mine') void query.where('tasks.assignee', who.userId);
    if (q.scope === 'done') void query.where('tasks.completed_by', who.userId);
    if (q.itemCode) void query.where('tasks.item_code', q.itemCode);
    if (q.elementId) void query.where('tasks.element_id', q.elementId);
    if (q.caseId) void query.where('tasks.case_id', q.caseId);
    if (q.caseNo) void query.where('cases.case_no', q.caseNo);
    if (q.level) void query.whereIn(col('level'), q.level);
    if (q.dueBefore) void query.where(col('due_at'), '<=', endOfBeijingDay(q.dueBefore));
  };
  const dir = q.sort.startsWith('-') ? 'desc' : 'asc';
  const phase = async (cols: string[], extra: (query: Knex.QueryBuilder, col: Col) => void, from: Array<number | string> | null, n: number) => {
    const order = { cols, dir } as const;
    const rows = await Promise.all(legs.map((leg) => runLeg(ctx.db, leg, q.state, (query, col) => (filter(query, col), extra(query, col)), order, from, n)));
    return merge(rows, cols, dir, n);
  };
  const c = q.after ? decodeCursor(q.after, q.sort) : null;
  const want = q.limit + 1;
  let rows: TaskRow[];
  if (q.sort === 'created' || q.sort === '-created') {
    rows = await phase(BY_CREATED, () => {}, c ? [c.t, sortKeyOf(c.k)] : null, want);
  } else {
    rows = c?.d === null ? [] : await phase(BY_DUE, (query, col) => void query.whereNotNull(col('due_at')), c ? [Number(c.d), c.t, sortKeyOf(c.k)] : null, want);
    // steps without a deadline can match neither a level nor a due-by filter
    if (rows.length < want && !q.level && !q.dueBefore) rows.push(...(await phase(BY_CREATED, (query, col) => void query.whereNull(col('due_at')), c?.d === null ? [c.t, sortKeyOf(c.k)] : null, want - rows.length)));
  }
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const due = q.sort.endsWith('due') ? { d: last?.due_at === null || last?.due_at === undefined ? null : Number(last.due_at) } : {};
  return { items: await withNames(ctx, page.map(toTaskView)), next: rows.length > q.limit && last ? encodeCursor({ s: q.sort, ...due, t: Number(last.created_at), k: String(last.user_task_key) }) : null };
}
