/**
 * Lint messages in the designer's language. The linter (@camunda/linting over bpmnlint) and our own
 * rules (../rules.ts) report in English; the designer shows each report through `lintMessage`, which
 * reads the sentence shapes of the rules we run (bpmnlint's correctness set, camunda-compat's
 * Camunda 7.24 set, @camunda/linting's rewording of them, and ours) and renders them in Chinese.
 * test/unit/lint-messages.test.ts collects every message those rules can report and fails on one
 * left in English.
 */

// the words between <…> in the English messages
const TERMS: Record<string, string> = {
  'Service Task': '服务任务', 'Send Task': '发送任务', 'Business Rule Task': '规则任务', 'Script Task': '脚本任务', 'User Task': '用户任务', Task: '任务',
  Implementation: '实现方式', External: '外部任务', Topic: '主题', DMN: 'DMN 决策', 'Decision reference': '决策引用', 'Java class': 'Java 类', Expression: '表达式',
  'Delegate expression': '委托表达式', Connector: '连接器', Format: '脚本格式', Script: '脚本', Process: '流程', 'bpmn:Process': '流程', 'History time to live': '历史保留时间',
  historyTimeToLive: '历史保留时间', 'Start Event': '开始事件', 'End Event': '结束事件', 'Ad Hoc Sub Process': '自由子流程', 'Event-based Gateway': '事件网关',
  'Sequence Flow': '顺序流', 'Sequence Flows': '顺序流', 'Condition expression': '条件表达式', 'Timer type': '定时器类型', Name: '名称',
  'Timer Start Event': '定时开始事件', 'Timer Intermediate Catch Event': '定时中间捕获事件', 'Timer Boundary Event': '定时边界事件', 'Link Intermediate Catch Event': '链接中间捕获事件',
  'Link Intermediate Throw Event': '链接中间抛出事件', 'Sub Process': '子流程', 'Call Activity': '调用活动', 'Exclusive Gateway': '排他网关', 'Inclusive Gateway': '包容网关',
};
const term = (english: string) => TERMS[english] ?? english;

type Rule = [RegExp, (m: RegExpExecArray) => string];

const RULES: Rule[] = [
  [/^An? <(.+?)> with <Implementation: (.+?)> must have a defined <(.+?)>$/, (m) => `采用「${term(m[2] as string)}」实现的${term(m[1] as string)}必须填写「${term(m[3] as string)}」`],
  [/^An? <(.+?)> must not use a <Connector>: .*$/, (m) => `${term(m[1] as string)}不能使用「连接器」：本系统的引擎不支持连接器，请改用「外部任务」`],
  [/^An? <(.+?)> must have a defined <Condition expression> or be the default <Sequence Flow>$/, (m) => `${term(m[1] as string)}必须填写「条件表达式」，或设为默认顺序流`],
  [/^An? <(.+?)> must have a defined <(.+?)>$/, (m) => `${term(m[1] as string)}必须填写「${term(m[2] as string)}」`],
  [/^A <Start Event> is not allowed in <Ad Hoc Sub Process>$/, () => '自由子流程中不能有开始事件'],
  [/^An <End Event> is not allowed in <Ad Hoc Sub Process>$/, () => '自由子流程中不能有结束事件'],
  [/^Conditional event is missing a condition$/, () => '条件事件缺少条件'],
  [/^An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>$/, () => '事件网关至少要有 2 条流出的顺序流'],
  [/^A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional$/, () => '从事件网关流出的顺序流不能带条件'],
  [/^Start event is missing event definition$/, () => '开始事件缺少事件定义'],
  [/^Start event must be blank$/, () => '子流程的开始事件必须是空开始事件'],
  [/^Link event is missing link name$/, () => '链接事件缺少链接名称'],
  [/^Link (catch|throw) event with link name <(.*)> missing in scope$/, (m) => `本范围内缺少链接名称为「${m[2]}」的链接${m[1] === 'catch' ? '捕获' : '抛出'}事件`],
  [/^Duplicate link catch event with link name <(.*)> in scope$/, (m) => `本范围内链接名称为「${m[1]}」的链接捕获事件重复`],
  [/^SequenceFlow is a duplicate$/, () => '顺序流重复'],
  [/^Duplicate outgoing sequence flows$/, () => '流出的顺序流重复'],
  [/^Duplicate incoming sequence flows$/, () => '流入的顺序流重复'],
  [/^(Sub process|Process) has multiple blank start events$/, (m) => `${m[1] === 'Process' ? '流程' : '子流程'}有多个空开始事件`],
  [/^Property <historyTimeToLive> should be configured on <bpmn:Process> or engine level\.$/, () => '应在流程上（或在引擎上统一）设置「历史保留时间」'],
  [/^Drawn for (.+?): this engine runs (.+) \(the Camunda 7 dialect\)$/, (m) => `此流程图为 ${m[1]} 绘制；本系统的引擎运行 ${m[2]}（Camunda 7 方言），请改为本引擎的格式`],
];

/** The message of a lint report in `locale`; English stays English. */
export function lintMessage(message: string, locale: string): string {
  if (locale !== 'zh-CN') return message;
  for (const [pattern, render] of RULES) {
    const m = pattern.exec(message.trim());
    if (m) return render(m);
  }
  // a rule we do not run yet: say so in Chinese (the English text stays in the report for the tooltip)
  return '流程图在此处有问题，请检查该元素的属性';
}
