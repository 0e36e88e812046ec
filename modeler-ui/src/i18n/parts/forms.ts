// Forms (issue 15): application forms designed in the catalogue, filled in at intake, shown on the case page; approval forms of a step.
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    nav: { intake: '收件登记' },
    forms: {
      applicationForm: '申请表', design: '设计申请表', hideDesigner: '收起设计器', remove: '删除申请表', none: '本事项没有申请表', fields: '共 {n} 个字段',
      designHint: '从左侧拖入字段（或选中后按回车），在右侧设置字段键、标签和校验规则；保存事项即生成新版本，在办案件保留受理时的版本。',
      asFiled: '申请表（事项第 {v} 版）', approvalForm: '审批表单', approvalsFilled: '已填写的审批表单', fixFields: '请先更正申请表中标出的字段', problems: '服务器校验未通过的字段',
      intakeTitle: '收件登记', item: '事项', region: '受理地区', applicant: '申请人', kind: '类型', person: '自然人', organisation: '法人或其他组织',
      name: '名称或姓名', idNumber: '证件号码', phone: '联系电话', address: '地址', materials: '收取材料', submit: '提交申请', filed: '已登记，办件编号 {no}', pickItem: '请选择事项',
    },
  },
  en: {
    nav: { intake: 'Intake' },
    forms: {
      applicationForm: 'Application form', design: 'Design the form', hideDesigner: 'Hide the designer', remove: 'Remove the form', none: 'This item has no application form', fields: '{n} fields',
      designHint: 'Drag fields in from the left (or select one and press Enter), set each field’s key, label and validation on the right; saving the item writes a new version, and running cases keep the one they were filed under.',
      asFiled: 'Application form (item version {v})', approvalForm: 'Approval form', approvalsFilled: 'Approval forms filled in', fixFields: 'Correct the fields marked in the form first', problems: 'Fields the server refused',
      intakeTitle: 'Intake', item: 'Item', region: 'Filed at', applicant: 'Applicant', kind: 'Kind', person: 'Person', organisation: 'Organisation',
      name: 'Name', idNumber: 'ID number', phone: 'Phone', address: 'Address', materials: 'Materials received', submit: 'File the application', filed: 'Filed as case {no}', pickItem: 'Choose an item',
    },
  },
};

export default part;
