/**
 * The part of form-js (bpmn.io's form schema) the back office understands: which component types a
 * form may hold, and the server's own check of submitted data against a form — the same rules the
 * form-js viewer applies in the browser (its Validator's preset rules: required, min/max,
 * minLength/maxLength, pattern, email), so a clerk sees the same verdict twice and a caller that
 * skips the browser is held to it anyway. Pure: no database, no HTTP.
 *
 * A form the server could not check is refused when it is saved, not when a case is filed: FEEL
 * expressions (`=…`), conditions, dynamic option sources and nested or repeated components are
 * evaluated by the viewer alone, so the server would have to trust the browser for them.
 */

export interface FormProblem {
  path: string;
  message: string;
}

export type FormData = Record<string, unknown>;

interface Option {
  label?: string;
  value: unknown;
}

export interface FormComponent {
  type: string;
  id?: string;
  key?: string;
  label?: string;
  subtype?: string;
  values?: Option[];
  decimalDigits?: number;
  serializeToString?: boolean;
  validate?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface FormSchema {
  type?: string;
  id?: string;
  components: FormComponent[];
  [other: string]: unknown;
}

/** Components that carry data, and the JSON value each submits. */
const DATA_TYPES = new Set(['textfield', 'textarea', 'number', 'select', 'radio', 'checkbox', 'checklist', 'taglist', 'datetime']);
/** Components that only show something and submit nothing. */
const STATIC_TYPES = new Set(['text', 'spacer', 'separator', 'button']);
const WITH_OPTIONS = new Set(['select', 'radio', 'checklist', 'taglist']);
const MULTI = new Set(['checklist', 'taglist']);
const RULES = new Set(['required', 'min', 'max', 'minLength', 'maxLength', 'pattern', 'patternErrorMessage', 'validationType']);
/** A key becomes the process variable form_<key>: it must be a JUEL identifier. */
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const SUPPORTED_TYPES = [...DATA_TYPES, ...STATIC_TYPES];

const isExpression = (v: unknown) => typeof v === 'string' && v.trim().startsWith('=');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a form cannot be saved: each problem names the component (by key, else id, else position). */
export function checkFormSchema(input: unknown, base = 'body.schema'): FormProblem[] {
  if (!isObject(input) || !Array.isArray(input.components)) return [{ path: base, message: 'a form-js schema: an object with a components array' }];
  const problems: FormProblem[] = [];
  const keys = new Set<string>();
  input.components.forEach((raw, i) => {
    const c = raw as FormComponent;
    const at = `${base}.components.${isObject(c) && typeof c.key === 'string' ? c.key : i}`;
    const no = (message: string) => problems.push({ path: at, message });
    if (!isObject(c) || typeof c.type !== 'string') return no('a component with a type');
    if (!DATA_TYPES.has(c.type) && !STATIC_TYPES.has(c.type)) return no(`component type "${c.type}" is not supported on the server (supported: ${SUPPORTED_TYPES.join(', ')})`);
    for (const p of ['conditional', 'valuesKey', 'valuesExpression', 'components']) if (p in c && c[p] !== undefined && c[p] !== null) no(`"${p}" is evaluated only in the browser: the server could not check it`);
    if (STATIC_TYPES.has(c.type)) return;
    if (typeof c.key !== 'string' || !KEY.test(c.key)) return no('a field key of letters, digits and _ starting with a letter (it becomes the process variable form_<key>)');
    if (keys.has(c.key)) no(`key "${c.key}" is used twice`);
    keys.add(c.key);
    if (WITH_OPTIONS.has(c.type) && (!Array.isArray(c.values) || c.values.length === 0 || !c.values.every((o) => isObject(o) && ['string', 'number', 'boolean'].includes(typeof o.value)))) no('static options: values [{ label, value }]');
    if (c.type === 'datetime' && !['date', 'time', 'datetime'].includes(String(c.subtype ?? 'date'))) no('a datetime subtype date, time or datetime');
    const v = c.validate;
    if (v === undefined) return;
    if (!isObject(v)) return no('validate is an object of rules');
    for (const [rule, value] of Object.entries(v)) {
      if (!RULES.has(rule)) no(`validation rule "${rule}" is not supported on the server`);
      else if (isExpression(value)) no(`validate.${rule} is a FEEL expression, evaluated only in the browser: give a value`);
    }
    for (const n of ['min', 'max', 'minLength', 'maxLength'] as const) if (n in v && v[n] !== undefined && typeof v[n] !== 'number') no(`validate.${n} is a number`);
    if (typeof v.pattern === 'string') {
      try {
        new RegExp(v.pattern);
      } catch {
        no(`validate.pattern is not a regular expression: ${v.pattern}`);
      }
    }
    if (v.validationType !== undefined && v.validationType !== 'email' && v.validationType !== '') no('validationType: only email is checked on the server (write a pattern for a phone number: the viewer’s phone rule is international)');
  });
  return problems;
}

export function dataFields(schema: FormSchema): FormComponent[] {
  return schema.components.filter((c) => DATA_TYPES.has(c.type) && typeof c.key === 'string');
}

const unset = (v: unknown) => v === undefined || v === null || v === '';
const decimals = (n: number) => (String(n).split('.')[1] ?? '').length;
const sameValue = (a: unknown, b: unknown) => a === b || String(a) === String(b);

/**
 * The data checked against the form: each problem names its field as `${base}.${key}`. Returns the
 * data as it will be stored — the form's fields only, numbers as numbers, unset fields as null.
 */
export function validateFormData(schema: FormSchema, input: unknown, base = 'body.form'): { data: FormData; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const data: FormData = {};
  if (input !== undefined && input !== null && !isObject(input)) return { data, problems: [{ path: base, message: 'the form data is an object of field keys' }] };
  const given: Record<string, unknown> = isObject(input) ? input : {};
  const fields = dataFields(schema);
  const known = new Set(fields.map((f) => f.key as string));
  for (const k of Object.keys(given)) if (!known.has(k)) problems.push({ path: `${base}.${k}`, message: 'not a field of this form' });
  for (const f of fields) {
    const key = f.key as string;
    const at = `${base}.${key}`;
    const fieldProblems: string[] = [];
    const v = f.validate ?? {};
    let value = given[key];
    if (f.type === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) value = Number(value);
    const missing = unset(value) || (f.type === 'checkbox' && value === false) || (Array.isArray(value) && value.length === 0);
    if (missing) {
      if (v.required === true) fieldProblems.push(`${f.label ?? key}: required`);
      data[key] = f.type === 'checkbox' ? value === true : MULTI.has(f.type) ? [] : null;
    } else {
      typeCheck(f, value, fieldProblems);
      if (fieldProblems.length === 0) ruleCheck(v, value, fieldProblems);
      data[key] = value;
    }
    for (const message of fieldProblems) problems.push({ path: at, message });
  }
  return { data, problems };
}

function typeCheck(f: FormComponent, value: unknown, out: string[]): void {
  const options = (f.values ?? []).map((o) => o.value);
  switch (f.type) {
    case 'textfield':
    case 'textarea':
      if (typeof value !== 'string') out.push('a text');
      else if (value.length > 10_000) out.push('at most 10000 characters');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) out.push('a number');
      else if (typeof f.decimalDigits === 'number' && f.decimalDigits >= 0 && decimals(value) > f.decimalDigits) out.push(f.decimalDigits === 0 ? 'a whole number' : `at most ${f.decimalDigits} decimal digits`);
      return;
    case 'checkbox':
      if (typeof value !== 'boolean') out.push('true or false');
      return;
    case 'select':
    case 'radio':
      if (!options.some((o) => sameValue(o, value))) out.push(`one of ${options.map(String).join(', ')}`);
      return;
    case 'checklist':
    case 'taglist':
      if (!Array.isArray(value) || !value.every((x) => options.some((o) => sameValue(o, x)))) out.push(`a list of ${options.map(String).join(', ')}`);
      return;
    case 'datetime': {
      const sub = f.subtype ?? 'date';
      const ok = typeof value === 'string' && (sub === 'date' ? /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) : sub === 'time' ? /^([01]\d|2[0-3]):[0-5]\d/.test(value) : !Number.isNaN(Date.parse(value)));
      if (!ok) out.push(sub === 'date' ? 'a date YYYY-MM-DD' : sub === 'time' ? 'a time HH:mm' : 'a date and time (ISO 8601)');
      return;
    }
  }
}

function ruleCheck(v: Record<string, unknown>, value: unknown, out: string[]): void {
  if (typeof v.pattern === 'string' && v.pattern !== '' && typeof value === 'string' && !new RegExp(v.pattern).test(value)) out.push(typeof v.patternErrorMessage === 'string' && v.patternErrorMessage ? v.patternErrorMessage : `must match ${v.pattern}`);
  if (typeof value === 'number') {
    if (typeof v.min === 'number' && value < v.min) out.push(`at least ${v.min}`);
    if (typeof v.max === 'number' && value > v.max) out.push(`at most ${v.max}`);
  }
  if (typeof value === 'string') {
    const length = [...value.trim()].length; // characters, not UTF-16 units: 取水地点 is four
    if (typeof v.minLength === 'number' && length < v.minLength) out.push(`at least ${v.minLength} characters`);
    if (typeof v.maxLength === 'number' && length > v.maxLength) out.push(`at most ${v.maxLength} characters`);
    if (v.validationType === 'email' && !EMAIL.test(value)) out.push('an e-mail address');
  }
}
