/**
 * bpmn-js in the user's language: the `translate` service every bpmn-js, diagram-js and properties
 * panel label passes through (`translate(template, replacements)`), replaced by one that looks the
 * template up in the community Chinese translation (bpmn-js-i18n) and our additions. An unknown
 * template stays as it is (English), which the zh-CN walk test makes visible.
 */
import zn from 'bpmn-js-i18n/translations/zn';
import ours from './zh-CN.ts';

type Translate = (template: string, replacements?: Record<string, string>) => string;

const TABLES: Record<string, Record<string, string>> = { 'zh-CN': { ...(zn as Record<string, string>), ...ours } };

export function translator(locale: string): Translate {
  const table = TABLES[locale] ?? {};
  return (template, replacements = {}) => (table[template] ?? template).replace(/{([^}]+)}/g, (m, key: string) => replacements[key] ?? m);
}

/** The module to pass in `additionalModules` for `locale`. */
export const translateModule = (locale: string) => ({ translate: ['value', translator(locale)] });
