// The audit viewer (issue 15) for the audit administrator (安全审计员, issue 16).
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    nav: { audit: '审计日志' },
    audit: {
      title: '审计日志', actor: '操作人', action: '操作', caseId: '办件 ID', range: '时间范围', start: '开始', end: '结束', search: '查询', reset: '清空', more: '加载更多',
      at: '时间', subject: '对象', reason: '说明', ip: '地址', caseNo: '办件编号', empty: '没有符合条件的记录',
      verify: '校验审计链', verifying: '校验中…', intact: '审计链完整：{rows} 条记录均与密钥签名及外部锚点一致', broken: '审计链在第 {id} 条记录处断开：{why}', anchorNone: '（尚无外部锚点）', anchorAt: '最近锚点：第 {id} 条（{at}）',
      why_mac: '记录内容与签名不符（被修改或按无密钥方式重算）', why_link: '与前一条记录的链接不符（前面有记录被删除或插入）', why_head: '链头与最后一条记录不符（末尾记录被删除）', why_anchor: '与库外锚点不符（锚定的记录被删除或整条链被重算）', why_unkeyed: '记录没有密钥签名', why_unknown_key: '签名所用密钥未配置',
      export: '导出', exportCsv: '导出 CSV', exportXlsx: '导出 Excel', exported: '已导出（导出操作本身已记入审计日志）', remit: '仅显示本级及下级的记录',
    },
  },
  en: {
    nav: { audit: 'Audit log' },
    audit: {
      title: 'Audit log', actor: 'Who', action: 'Action', caseId: 'Case ID', range: 'Time range', start: 'From', end: 'To', search: 'Search', reset: 'Clear', more: 'Load more',
      at: 'When', subject: 'Subject', reason: 'Details', ip: 'Address', caseNo: 'Case no.', empty: 'No matching entries',
      verify: 'Verify the chain', verifying: 'Verifying…', intact: 'The chain is intact: all {rows} entries match their keyed signatures and the outside anchor', broken: 'The chain breaks at entry {id}: {why}', anchorNone: '(no outside anchor yet)', anchorAt: 'Last anchor: entry {id} ({at})',
      why_mac: 'the entry does not match its signature (edited, or recomputed without the key)', why_link: 'the link to the previous entry does not match (an entry before it was removed or inserted)', why_head: 'the stored head does not match the last entry (entries at the end were removed)', why_anchor: 'it does not match the anchor kept outside the database (the anchored entry was removed or the chain recomputed)', why_unkeyed: 'the entry carries no keyed signature', why_unknown_key: 'the entry was signed with a key that is not configured',
      export: 'Export', exportCsv: 'Export CSV', exportXlsx: 'Export Excel', exported: 'Exported (the export itself is in the audit log)', remit: 'Showing your region and below only',
    },
  },
};

export default part;
