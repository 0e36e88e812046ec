/**
 * Task operations beyond deciding a step (issue 12): 退回 return, 撤回 withdraw (moves.ts: token moves
 * on the engine), 转办 transfer, 委派 delegate / resolve (reassign.ts: the same task changes hands),
 * 加签 / 减签 (signers.ts: a signer before or after the holder, or one more / one less countersign instance).
 * The module owns its routes, its CASL rules and the hooks the ingest and the completion call.
 */
export { operationRoutes } from './routes.ts';
export { operationRules } from './policy.ts';
export { movedUnderMark, takeHandover, sendCompletion } from './moves.ts';
export { runTimeoutActions, scheduleTimeoutAction, timeoutActionOf, type TimeoutAction } from './timeout.ts';
