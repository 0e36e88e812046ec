/**
 * A suspended case, or one being terminated, accepts no decisions: every task command checks this
 * after its authorization (so a stranger still gets 403/404) and answers 409 with the reason.
 */
import { AppError } from '../../errors.ts';

export interface CaseControlState {
  case_no?: string;
  case_suspended_at?: number | null;
  case_suspend_reason?: string | null;
  case_termination_kind?: string | null;
}

export function assertCaseAcceptsDecisions(t: CaseControlState): void {
  // codes of their own, so the web app can say "suspended" in the user's language, not "conflict"
  if (t.case_suspended_at) throw new AppError('CASE_SUSPENDED', `case ${t.case_no ?? ''} is suspended (挂起): ${t.case_suspend_reason ?? ''} — no decisions until it is resumed`);
  if (t.case_termination_kind) throw new AppError('CASE_TERMINATING', `case ${t.case_no ?? ''} is being terminated (终止): no more decisions`);
}
