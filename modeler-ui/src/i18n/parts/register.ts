// 办件查询（issue 13 第二部分）的文案。
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    nav: { register: '办件查询' },
    register: {
      title: '办件查询', all: '全部办件', done: '已办', involved: '我经办的', caseNo: '办件编号', item: '事项', status: '状态', region: '受理地', regionCode: '受理地区划',
      applicantBy: '申请人查询', byName: '姓名/名称', byIdNumber: '证件号码', byPhone: '联系电话', applicantValue: '精确匹配（加密索引）', submitted: '申请日期', accepted: '受理日期', due: '法定到期日',
      level: '预警级别', search: '查询', reset: '重置', export: '导出 Excel', exported: '已导出', more: '加载更多', empty: '没有符合条件的办件', count: '已显示 {n} 件', applicant: '申请人', open: '查看', from: '开始日期', to: '结束日期',
    },
  },
  en: {
    nav: { register: 'Cases' },
    register: {
      title: 'Case register', all: 'All cases', done: 'Done by me', involved: 'Involving me', caseNo: 'Case number', item: 'Service item', status: 'Status', region: 'Filed at', regionCode: 'Region',
      applicantBy: 'Applicant search', byName: 'Name', byIdNumber: 'ID number', byPhone: 'Phone', applicantValue: 'Exact match (sealed index)', submitted: 'Filed', accepted: 'Accepted', due: 'Decision due',
      level: 'Level', search: 'Search', reset: 'Reset', export: 'Export to Excel', exported: 'Exported', more: 'Load more', empty: 'No case matches', count: '{n} shown', applicant: 'Applicant', open: 'Open', from: 'From', to: 'To',
    },
  },
};
export default part;
