/** One way to run a user's action: a busy flag, the server's reason on failure, a word on success. */
import type { Ref } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiError } from './api.ts';
import { i18n } from './i18n/index.ts';

export const reasonOf = (e: unknown): string => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : i18n.global.t('common.error'));

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
