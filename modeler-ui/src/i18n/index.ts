import { createI18n } from 'vue-i18n';
import { zhCN, en } from './messages.ts';

export type Locale = 'zh-CN' | 'en';
const saved = localStorage.getItem('locale');
export const i18n = createI18n({ legacy: false, locale: saved === 'en' ? 'en' : 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem('locale', locale);
  document.documentElement.lang = locale;
}
document.documentElement.lang = i18n.global.locale.value;
