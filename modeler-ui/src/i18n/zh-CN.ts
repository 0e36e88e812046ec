// 中文为主：政务服务的工作语言。每个键在 en.ts 中必须有对应翻译（单元测试检查两者一致）。
export default {
  app: { title: '行政许可办件系统', skip: '跳到主要内容', language: 'Language / 语言', logout: '退出登录', live: '实时连接', offline: '连接中断，正在重连…' },
  nav: { queue: '我的待办', board: '督办看板', designer: '流程设计', notifications: '消息', calendar: '工作日历' },
  login: { mustChange: '首次登录须修改初始密码', expired: '密码已过期，请修改', policy: '至少 10 位，包含大写字母、小写字母、数字、符号中的三类，不得包含用户名，不得与近 5 次密码相同', newPassword: '新密码', newPassword2: '确认新密码', mismatch: '两次输入的新密码不一致', enrol: '您的角色须使用双因素认证：请在身份验证器应用（TOTP）中添加以下密钥，然后输入其显示的 6 位动态码。', secret: '密钥：', totpCode: '动态验证码', title: '登录', username: '用户名', password: '密码', submit: '登录', failed: '登录失败', hint: "演示账号：jn-01-01.asc.window、jn-01-01.wr.reviewer、jn-01.sup.supervisor、jn.wr.designer，初始密码 Demo{'@'}2026（首次登录须修改）" },
  common: { refresh: '刷新', cancel: '取消', confirm: '确定', save: '保存', close: '关闭', open: '打开', none: '无', loading: '加载中…', all: '全部', reason: '原因', actions: '操作', since: '自', days: '{n} 个工作日', error: '出错了', saved: '已保存', back: '返回' },
  level: { none: '正常', warning: '预警', yellow: '黄牌（超期）', red: '红牌（督办逾期）' },
  queue: {
    title: '待办任务', mine: '我的任务', available: '可认领任务', filters: '筛选', item: '事项', step: '环节', level: '预警级别', dueBefore: '到期不晚于', sort: '排序', sortCreated: '按到达时间', sortDue: '按到期日',
    caseNo: '办件编号', assignee: '办理人', due: '本环节期限', created: '到达时间', claim: '认领', unclaim: '退回待认领', view: '办理', empty: '暂无任务', newTasks: '有 {n} 件新任务', claimed: '已认领', unclaimed: '已退回', more: '加载更多', unassigned: '未认领',
  },
  case: {
    title: '办件详情', applicant: '申请人', showPersonal: '查看完整信息', personalReason: '查看原因（将记录在审计日志中）', materials: '申请材料', noMaterials: '未登记材料', diagram: '流程图', timeline: '办理过程',
    deadline: '法定期限', dueOn: '到期日', provisional: '暂定', provisionalHint: '到期日所跨年度的节假日安排尚未发布，按法定节假日暂定计算，发布后自动重算', daysLeft: '剩余 {n} 个工作日', overdueBy: '已超期', paused: '计时已中止（特别程序）', status: '状态', result: '结果', item: '事项', region: '受理地', submittedAt: '申请时间',
    currentSteps: '当前环节', decide: '办理意见', decision: '办理结论', opinion: '意见', submit: '提交', completed: '已办结该环节', opinionRequired: '不予受理、退回或不予许可时必须填写理由', urge: '催办', urgeDefault: '请抓紧办理，按期办结。', urgeMessage: '催办内容', urged: '已催办', order: '督办', noAction: '此环节不由您办理', urgingBanner: '收到催办：{message}', acknowledge: '知道了',
  },
  field: { name: '姓名/名称', idNumber: '证件号码', phone: '联系电话', address: '地址', contact: '联系人' },
  status: { submitted: '已提交', in_progress: '办理中', concluded: '已办结' },
  result: { granted: '准予许可', refused: '不予许可', not_accepted: '不予受理', withdrawn: '视为撤回', cancelled: '已终止' },
  decision: { accept: '受理', reject: '不予受理', correct: '一次性告知补正', approve: '同意', return: '退回', grant: '准予许可', refuse: '不予许可', done: '已送达' },
  event: {
    deadline_warning: '期限预警', deadline_yellow: '超期（黄牌）', deadline_red: '督办逾期（红牌）', supervision_escalated: '督办升级', urging_automatic: '自动催办', case_submitted: '提交申请', case_started: '流程启动', case_concluded: '办结', task_created: '到达环节', task_claimed: '认领', task_unclaimed: '退回待认领', task_completed: '办理完成', task_canceled: '环节撤销',
    clock_started: '开始计时', clock_paused: '中止计时', clock_resumed: '恢复计时', clock_extended: '延期', deadline_level: '期限预警', task_urged: '催办', urging_acknowledged: '确认催办', case_supplemented: '补正材料', supervision_opened: '督办', supervision_replied: '督办回复', supervision_closed: '督办办结', personal_data_read: '查看个人信息', clock_recomputed: '期限重算', clock_unplanned: '未能计时',
  },
  board: {
    title: '督办看板', scope: '监察范围', counts: '预警统计', list: '预警办件', unit: '单位', drill: '下钻', up: '返回上级', onTime: '按期办结率', byUnit: '各单位超期情况', byStep: '各环节在办数量', open: '在办',
    concluded: '已办结', onTimeCount: '按期', urge: '催办', order: '督办', orderInstructions: '督办要求', orderUnit: '责任部门', orderReplyBy: '回复期限', orderOpened: '已下达督办', dueOn: '到期日', stepName: '环节', empty: '范围内暂无预警办件', reasons: '预警原因', calendarUnpublished: '{year} 年节假日安排尚未发布：跨入该年的期限按法定节假日暂定计算。',
  },
  designer: {
    title: '流程设计', sources: '流程文件', files: '仓库中的流程', drafts: '草稿', deployed: '已部署版本', version: '版本 {v}', newProcess: '新建流程', saveDraft: '保存草稿', lint: '检查', deploy: '部署', deployed_ok: '已部署：{id} 版本 {v}',
    problems: '问题', noProblems: '未发现问题', lintFirst: '存在 {n} 个错误，请修正后再部署', compare: '版本对比', compareWith: '与此版本对比', changes: '变更', added: '新增', removed: '删除', changed: '修改', layoutChanged: '位置调整', noChanges: '两个版本没有差异',
    bind: '绑定到事项', bindItem: '事项', bindVersion: '版本', latest: '始终使用最新版本', bound: '已绑定', overlay: '实时办件分布', readOnly: '只读：只有流程所属部门的设计人员可以部署', mayNotDeploy: '您不能部署此流程', loadingModeler: '正在加载流程设计器…', fileName: '文件名', cat_error: '错误', cat_warn: '警告', cat_info: '提示', cat_rule_error: '规则出错',
  },
  notifications: { title: '消息', empty: '暂无消息', markAll: '全部标为已读', urge: '催办', warning: '期限预警', yellow: '已超期', red: '督办逾期', supervision: '督办', clock_recomputed: '期限已重算', calendar_unpublished: '下一年度节假日安排尚未发布' },
  calendar: {
    title: '工作日历', year: '年度', published: '已发布', unpublished: '未发布', provisional: '暂定（按法定节假日计算）', source: '发布依据', days: '节假日与调休', day: '日期', kind: '类型', name: '名称',
    holiday: '放假', workday: '调休上班', statutory: '暂定法定节假日', import: '导入', importHint: '每行一个日期（YYYY-MM-DD [休|班] [名称]），或 iCalendar 文件内容', importSource: '来源', imported: '已导入 {n} 天', publish: '发布年度', publishedOk: '已发布，重算期限 {n} 个', remove: '删除',
  },
};
