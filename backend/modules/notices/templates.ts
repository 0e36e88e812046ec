/**
 * The notices the law requires and their default wording. An administrator may rewrite a template
 * per item; what the law requires a notice to carry (the reasons and the remedies of a refusal,
 * every missing material of a 补正) is a placeholder the template cannot leave out.
 */
export const KINDS = ['acceptance', 'non_acceptance', 'correction', 'special_procedure', 'extension', 'grant', 'refusal'] as const;
export type NoticeKind = (typeof KINDS)[number];

export const PLACEHOLDERS = ['applicant', 'caseNo', 'itemName', 'unitName', 'issuedOn', 'submittedOn', 'acceptedOn', 'promisedDueOn', 'legalDueOn', 'reasons', 'missing', 'remedies', 'pauseReason', 'pausedOn', 'expectedDays', 'extendDays', 'extendReason'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const REQUIRED: Record<NoticeKind, Placeholder[]> = {
  acceptance: ['caseNo', 'legalDueOn'],
  non_acceptance: ['caseNo', 'reasons', 'remedies'],
  correction: ['caseNo', 'missing'],
  special_procedure: ['caseNo', 'pauseReason', 'expectedDays'],
  extension: ['caseNo', 'extendReason', 'legalDueOn'],
  grant: ['caseNo'],
  refusal: ['caseNo', 'reasons', 'remedies'],
};

/** 行政复议法 art. 20 (60 days) and 行政诉讼法 art. 46 (6 months): fixed, not template text. */
export const REMEDIES = '如对本决定不服，可以自收到本文书之日起六十日内依法申请行政复议，也可以自收到本文书之日起六个月内依法向人民法院提起行政诉讼。';

export const DEFAULTS: Record<NoticeKind, { title: string; body: string }> = {
  acceptance: {
    title: '受理通知书',
    body: `{{applicant}}：
你（单位）于{{submittedOn}}提出的{{itemName}}申请（办件编号：{{caseNo}}），经审查，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定予以受理，受理日期为{{acceptedOn}}。
本机关承诺于{{promisedDueOn}}前作出决定，法定期限截止日为{{legalDueOn}}。依法需要听证、检验、检测、鉴定、专家评审等特别程序的，所需时间不计入上述期限，届时另行书面告知。
请凭办件编号和受理回执上的查询码查询办理进度。`,
  },
  non_acceptance: {
    title: '不予受理通知书',
    body: `{{applicant}}：
你（单位）于{{submittedOn}}提出的{{itemName}}申请（办件编号：{{caseNo}}），经审查，本机关决定不予受理。理由如下：
{{reasons}}
{{remedies}}`,
  },
  correction: {
    title: '补正材料通知书',
    body: `{{applicant}}：
你（单位）于{{submittedOn}}提出的{{itemName}}申请（办件编号：{{caseNo}}），申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知需要补正的全部内容：
{{missing}}
请在规定期限内提交上述材料。补正材料齐全后，本机关依法予以受理；逾期未补正的，视为撤回申请。`,
  },
  special_procedure: {
    title: '特别程序告知书',
    body: `{{applicant}}：
你（单位）申请的{{itemName}}（办件编号：{{caseNo}}），因{{pauseReason}}，需要进入特别程序。根据《中华人民共和国行政许可法》第四十五条的规定，特别程序自{{pausedOn}}开始，预计需要{{expectedDays}}个工作日，所需时间不计入行政许可的期限。
特别程序结束后，本机关继续办理，办理期限相应顺延。`,
  },
  extension: {
    title: '延长审查期限通知书',
    body: `{{applicant}}：
你（单位）申请的{{itemName}}（办件编号：{{caseNo}}），因{{extendReason}}，本机关不能在法定期限内作出决定。经本机关负责人批准，根据《中华人民共和国行政许可法》第四十二条的规定，审查期限延长{{extendDays}}个工作日，延长后的期限截止日为{{legalDueOn}}。`,
  },
  grant: {
    title: '准予行政许可决定书',
    body: `{{applicant}}：
你（单位）于{{submittedOn}}提出的{{itemName}}申请（办件编号：{{caseNo}}），本机关于{{acceptedOn}}受理。经审查，申请符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可。
本机关将自作出决定之日起十个工作日内向你（单位）颁发、送达行政许可证件。`,
  },
  refusal: {
    title: '不予行政许可决定书',
    body: `{{applicant}}：
你（单位）于{{submittedOn}}提出的{{itemName}}申请（办件编号：{{caseNo}}），本机关于{{acceptedOn}}受理。经审查，申请不符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。理由如下：
{{reasons}}
{{remedies}}`,
  },
};

/** What a template is missing or names wrongly; empty when it may be saved. */
export function templateProblems(kind: NoticeKind, body: string): string[] {
  const used = new Set([...body.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)].map((m) => m[1] as string));
  const problems = [...used].filter((u) => !(PLACEHOLDERS as readonly string[]).includes(u)).map((u) => `unknown placeholder {{${u}}}`);
  for (const r of REQUIRED[kind]) if (!used.has(r)) problems.push(`a ${kind} notice must contain {{${r}}}`);
  return problems;
}

export type Fields = Partial<Record<Placeholder, string | string[]>>;

/** The template with its fields: lists numbered one per line, dates already in Chinese form. */
export function merge(body: string, fields: Fields): string {
  return body.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_m, name: string) => {
    const v = fields[name as Placeholder];
    if (Array.isArray(v)) return v.length ? v.map((x, i) => `${i + 1}. ${x}`).join('\n') : '（无）';
    return v ?? '';
  });
}

/**
 * 2026年12月2日: GB/T 9704-2012 (党政机关公文格式) writes the date of a document in Arabic numerals
 * with 年月日, replacing the 〇-numeral form of the 1999 edition; it also reads unambiguously on a phone.
 */
export function chineseDate(civil: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(civil ?? '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '';
}
