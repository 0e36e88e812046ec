/**
 * Opinions' attachments (附件) on a case and its steps: checked on upload (size, and type by content),
 * stored by content hash, listed on the case page, downloaded by whoever reads the case — every
 * download written to the audit log.
 */
import { createHash } from 'node:crypto';
import { json, type Ctx, type Identity } from '../../context.ts';
import { regionsOf } from '../../events.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { appendEvent } from '../cases/timeline.ts';
import { loadReadable } from '../cases/service.ts';
import { storeFor, type BlobStore } from './store.ts';
import { ACCEPTED_EXTENSIONS, sniff } from './sniff.ts';

const stores = new WeakMap<Ctx, BlobStore>();
const storeOf = (ctx: Ctx) => {
  let s = stores.get(ctx);
  if (!s) stores.set(ctx, (s = storeFor(ctx.config)));
  return s;
};

const view = (r: Record<string, unknown>) => ({ id: Number(r.id), caseId: String(r.case_id), userTaskKey: (r.user_task_key as string | null) ?? null, name: String(r.name), mediaType: String(r.media_type), size: Number(r.size), sha256: String(r.sha256), uploadedBy: String(r.uploaded_by), uploadedByName: (r.uploaded_by_name as string | null | undefined) ?? null, at: new Date(Number(r.created_at)).toISOString() });

export async function addAttachment(ctx: Ctx, who: Identity, caseId: string, input: { name: string; userTaskKey?: string | undefined; bytes: Buffer }, ip: string | null) {
  const { row, may } = await loadReadable(ctx, who, caseId);
  if (!may('attach')) throw forbidden('only those who work this case add attachments');
  if (input.bytes.length === 0) throw new AppError('VALIDATION_FAILED', 'body: the file is empty', [{ path: 'body', message: 'empty' }]);
  if (input.bytes.length > ctx.config.ATTACHMENT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${ctx.config.ATTACHMENT_MAX_BYTES} bytes`);
  const kind = sniff(input.name, input.bytes);
  // the client words the refusal from `params` (which rule, which types are accepted)
  if (!kind.ok) throw new AppError('VALIDATION_FAILED', `body: ${kind.reason}`, [{ path: 'body', message: kind.reason }], { attachment: kind.rule, accepted: ACCEPTED_EXTENSIONS.join(', ') });
  if (input.userTaskKey && !(await ctx.db('tasks').where({ user_task_key: input.userTaskKey, case_id: caseId }).first('user_task_key'))) {
    throw new AppError('VALIDATION_FAILED', `query.userTaskKey: ${input.userTaskKey} is not a step of case ${row.case_no}`, [{ path: 'query.userTaskKey', message: 'not a step of this case' }]);
  }
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  // the blob first: a row never names bytes that are not there (an orphan blob is harmless and reused)
  await storeOf(ctx).put(sha256, input.bytes);
  const at = ctx.clock.now();
  let id = 0;
  await ctx.db.transaction(async (trx) => {
    const [inserted] = await trx('attachments').insert({ case_id: caseId, user_task_key: input.userTaskKey ?? null, sha256, name: input.name, media_type: kind.mediaType, size: input.bytes.length, uploaded_by: who.userId, created_at: at }, ['id']);
    id = Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
    await appendEvent(trx, { caseId, type: 'attachment.added', actor: who.userId, userTaskKey: input.userTaskKey ?? null, data: { attachmentId: id, name: input.name, size: input.bytes.length, mediaType: kind.mediaType }, at });
    await appendAudit(trx, { actor: who.userId, action: 'attachment.add', subject: 'Attachment', subjectId: String(id), caseId, reason: `${input.name} (${input.bytes.length} bytes, sha256 ${sha256})`, ip, at });
  });
  const open = await ctx.db('tasks').where({ case_id: caseId, state: 'open' }).select('candidate_groups', 'assignee');
  ctx.events.publish({
    type: 'attachment.added',
    caseId,
    caseNo: row.case_no,
    attachmentId: id,
    name: input.name,
    userTaskKey: input.userTaskKey ?? null,
    by: who.userId,
    candidateGroups: [...new Set(open.flatMap((r) => json.parse<string[]>(r.candidate_groups, [])))],
    assignees: [...new Set(open.map((r) => r.assignee).filter((a): a is string => typeof a === 'string'))],
    regions: regionsOf(row),
  });
  ctx.log.info({ caseId, attachmentId: id, size: input.bytes.length }, 'attachment added');
  return view((await ctx.db('attachments').where({ id }).first()) as Record<string, unknown>);
}

export async function listAttachments(ctx: Ctx, who: Identity, caseId: string) {
  await loadReadable(ctx, who, caseId);
  return { items: (await ctx.db('attachments as a').leftJoin('users as u', 'u.id', 'a.uploaded_by').where('a.case_id', caseId).orderBy('a.id').select('a.*', 'u.display_name as uploaded_by_name')).map(view) };
}

export async function downloadAttachment(ctx: Ctx, who: Identity, id: number, ip: string | null) {
  const row = await ctx.db('attachments').where({ id }).first();
  if (!row) throw notFound('attachment', String(id));
  // an attachment of a case outside the remit is as unknown as the case
  await loadReadable(ctx, who, String(row.case_id)).catch(() => {
    throw notFound('attachment', String(id));
  });
  const bytes = await storeOf(ctx).get(String(row.sha256));
  if (!bytes) throw new AppError('CONFLICT', `attachment ${id}: its content is missing from the store`);
  await appendAudit(ctx.db, { actor: who.userId, action: 'attachment.download', subject: 'Attachment', subjectId: String(id), caseId: String(row.case_id), reason: String(row.name), ip, at: ctx.clock.now() });
  return { bytes, name: String(row.name), mediaType: String(row.media_type) };
}
