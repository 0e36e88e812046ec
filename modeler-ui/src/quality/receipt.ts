/**
 * The receipt of a window decision, held outside the case page: the page reloads (and its decision
 * form goes) the moment the step completes, while the clerk still has to print the query code —
 * which the server hands out this once and then keeps only as a hash.
 */
import { reactive } from 'vue';

export interface Receipt {
  caseId: string;
  caseNo: string;
  queryCode: string;
  statusUrl: string;
  decision: string;
  at: string;
}

export const receipt = reactive<{ current: Receipt | null }>({ current: null });

export function showReceipt(r: Omit<Receipt, 'at'>): void {
  receipt.current = { ...r, at: new Date().toISOString() };
}
export function closeReceipt(): void {
  receipt.current = null;
}
