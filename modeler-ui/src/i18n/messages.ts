/**
 * The web app's messages: the base files plus one part per feature. Parts exist so that features
 * built side by side each own their messages instead of all editing the same two long objects;
 * a part may add sections or add keys to an existing section, never redefine a key.
 */
import zhBase from './zh-CN.ts';
import enBase from './en.ts';
import admin from './parts/admin.ts';
import taskOperations from './parts/task-operations.ts';
import caseOperations from './parts/case-operations.ts';
import register from './parts/register.ts';
import errors from './parts/errors.ts';
import applicant from './parts/applicant.ts';
import audit from './parts/audit.ts';
import timeline from './parts/timeline.ts';
import forms from './parts/forms.ts';
import serviceQuality from './parts/service-quality.ts';
import names from './parts/names.ts';
import automation from './parts/automation.ts';
import signers from './parts/signers.ts';

export type Section = Record<string, string>;
export type Messages = Record<string, Section>;
export interface Part {
  'zh-CN': Messages;
  en: Messages;
}

// feature parts, one line each
const parts: Part[] = [admin, taskOperations, caseOperations, register, errors, applicant, audit, timeline, forms, serviceQuality, names, automation, signers];

function merge(base: Messages, more: Messages[], locale: string): Messages {
  const out: Messages = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { ...v }]));
  for (const m of more) {
    for (const [section, keys] of Object.entries(m)) {
      const target = (out[section] ??= {});
      for (const [k, v] of Object.entries(keys)) {
        if (k in target) throw new Error(`i18n ${locale}: ${section}.${k} is defined twice`);
        target[k] = v;
      }
    }
  }
  return out;
}

export const zhCN = merge(zhBase as Messages, parts.map((p) => p['zh-CN']), 'zh-CN');
export const en = merge(enBase as Messages, parts.map((p) => p.en), 'en');
