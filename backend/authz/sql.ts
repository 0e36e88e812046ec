/**
 * Turns the CASL rules for (action, subject) into a knex WHERE clause, so lists are filtered by the
 * database — counts and pages stay right and nothing is loaded only to be thrown away. Each subject
 * maps its condition fields to SQL; a field without a mapping is a programming error, not a silent
 * "allow".
 */
import { rulesToAST } from '@casl/ability/extra';
import type { Knex } from 'knex';
import type { Action, AppAbility, SubjectType } from './ability.ts';

type Scalar = string | number | boolean | null;
export type FieldSql = (q: Knex.QueryBuilder, op: 'eq' | 'in', value: Scalar | Scalar[]) => void;
export type FieldMap = Record<string, FieldSql>;

/** A node of CASL's rule AST (rulesToAST): and / or / not of field conditions. */
export interface RuleNode {
  operator: string;
  field?: string;
  value: unknown;
}

/** A plain column compared with = or IN. */
export const column =
  (name: string): FieldSql =>
  (q, op, value) => {
    if (op === 'in') void q.whereIn(name, value as Scalar[]);
    else if (value === null) void q.whereNull(name);
    else void q.where(name, value as Scalar);
  };

/** Adds one AST node's condition to `q`. */
export function whereRule(q: Knex.QueryBuilder, node: RuleNode, fields: FieldMap, subject: string): void {
  switch (node.operator) {
    case 'and':
      for (const child of node.value as RuleNode[]) void q.where((w) => whereRule(w, child, fields, subject));
      return;
    case 'or': {
      const children = node.value as RuleNode[];
      if (children.length === 0) void q.whereRaw('1 = 0');
      for (const child of children) void q.orWhere((w) => whereRule(w, child, fields, subject));
      return;
    }
    case 'not':
      for (const child of node.value as RuleNode[]) void q.whereNot((w) => whereRule(w, child, fields, subject));
      return;
    case 'eq':
    case 'in': {
      const sql = fields[node.field ?? ''];
      if (!sql) throw new Error(`no SQL mapping for ${subject}.${node.field}`);
      sql(q, node.operator, node.value as Scalar | Scalar[]);
      return;
    }
    default:
      throw new Error(`operator ${node.operator} (${subject}.${node.field}) has no SQL translation`);
  }
}

/** The rules for (action, subject) as an AST; null when nothing is allowed. */
export const ruleAst = (ability: AppAbility, action: Action, subject: SubjectType) => rulesToAST(ability, action, subject) as RuleNode | null;

/** Restricts `q` to the rows of `subject` on which `action` is allowed. */
export function accessibleBy(ability: AppAbility, action: Action, subject: SubjectType, fields: FieldMap) {
  return (q: Knex.QueryBuilder): void => {
    const ast = ruleAst(ability, action, subject);
    if (ast === null) void q.whereRaw('1 = 0');
    else void q.where((w) => whereRule(w, ast, fields, subject));
  };
}
