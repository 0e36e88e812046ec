/** One way to run a user's action: a busy flag, the server's reason on failure, a word on success. */
import type { Ref } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiError } from './api.ts';
import { i18n } from './i18n/index.ts';
import { whenNext } from './format.ts';

/**
 * What went wrong, in the user's language. The server answers a typed code (backend/errors.ts) with an
 * English reason for logs and API users; the UI words the code itself, and only the English UI adds the
 * server's precise reason. Field paths of a validation failure are shown by their field names.
 */
export function reasonOf(e: unknown): string {
  const { t, te, locale } = i18n.global;
  if (!(e instanceof ApiError)) return t('error.unknown');
  const key = `error.${e.code}`;
  // a limit that says when it lifts is worded with that time, in Beijing time like every other
  const retryAt = e.params?.retryAt;
  const worded = e.code === 'RATE_LIMITED' && typeof retryAt === 'string' ? t('error.RATE_LIMITED_at', { time: whenNext(retryAt) }) : te(key) ? t(key) : t('error.unknown');
  if (locale.value === 'en') return e.message && e.message !== worded ? `${worded}: ${e.message}` : worded;
  const fields = Array.isArray(e.details)
    ? [...new Set((e.details as Array<{ path?: string }>).map((d) => String(d.path ?? '').split('.').pop() ?? '').filter((f) => te(`field.${f}`)).map((f) => t(`field.${f}`)))]
    : [];
  return fields.length ? `${worded}（${t('error.field', { fields: fields.join('、') })}）` : worded;
}

export async function act(busy: Ref<boolean> | null, fn: () => Promise<void>, success?: string): Promise<boolean> {
  if (busy) busy.value = true;
  try {
    await fn();
    if (success) ElMessage.success(success);
    return true;
  } catch (e) {
    ElMessage.error({ message: reasonOf(e), duration: 6000 });
    return false;
  } finally {
    if (busy) busy.value = false;
  }
}
