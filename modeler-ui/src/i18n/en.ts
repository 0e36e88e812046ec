// English: every key of zh-CN.ts, same shape (checked by a unit test).
import type zh from './zh-CN.ts';

const en: typeof zh = {
  app: { title: 'Administrative Licensing Desk', skip: 'Skip to main content', language: 'Language / 语言', logout: 'Log out', live: 'Live', offline: 'Connection lost, reconnecting…' },
  nav: { queue: 'My tasks', board: 'Supervision board', designer: 'Process designer', notifications: 'Messages', calendar: 'Working calendar' },
  login: { mustChange: 'Change the initial password at first login', expired: 'Your password has expired: change it', policy: 'At least 10 characters with three of upper-case, lower-case, digits, symbols; not containing the username; none of your last 5', newPassword: 'New password', newPassword2: 'Repeat the new password', mismatch: 'The two new passwords differ', enrol: 'Your role requires a second factor: add this key to an authenticator app (TOTP), then enter the 6-digit code it shows.', secret: 'Key:', totpCode: 'Authenticator code', title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', failed: 'Login failed', hint: "Demo accounts: jn-01-01.asc.window, jn-01-01.wr.reviewer, jn-01.sup.supervisor, jn.wr.designer; first password Demo{'@'}2026 (changed at first login)" },
  common: { refresh: 'Refresh', cancel: 'Cancel', confirm: 'OK', save: 'Save', close: 'Close', open: 'Open', none: 'None', loading: 'Loading…', all: 'All', reason: 'Reason', actions: 'Actions', since: 'since', days: '{n} working days', error: 'Something went wrong', saved: 'Saved', back: 'Back' },
  level: { none: 'On time', warning: 'Warning', yellow: 'Yellow (overdue)', red: 'Red (supervision overdue)' },
  queue: {
    title: 'Task queue', mine: 'My tasks', available: 'Available to claim', filters: 'Filters', item: 'Service item', step: 'Step', level: 'Warning level', dueBefore: 'Due on or before', sort: 'Sort', sortCreated: 'By arrival', sortDue: 'By due date',
    caseNo: 'Case no.', assignee: 'Assignee', due: 'Step due', created: 'Arrived', claim: 'Claim', unclaim: 'Unclaim', view: 'Work on it', empty: 'No tasks', newTasks: '{n} new tasks', claimed: 'Claimed', unclaimed: 'Released', more: 'Load more', unassigned: 'Unclaimed',
  },
  case: {
    title: 'Case', applicant: 'Applicant', showPersonal: 'Show full details', personalReason: 'Why you need it (kept in the audit log)', materials: 'Materials', noMaterials: 'No materials recorded', diagram: 'Process diagram', timeline: 'History',
    deadline: 'Statutory limit', dueOn: 'Due on', provisional: 'provisional', provisionalHint: 'The holidays of the year this date falls in are not published yet: counted on the statutory holidays, recomputed when published', daysLeft: '{n} working days left', overdueBy: 'Overdue', paused: 'Clock stopped (special procedure)', status: 'Status', result: 'Result', item: 'Service item', region: 'Filed at', submittedAt: 'Submitted',
    currentSteps: 'Current steps', decide: 'Decision', decision: 'Decision', opinion: 'Opinion', submit: 'Submit', completed: 'Step completed', opinionRequired: 'Rejecting, returning or refusing needs a reason', urge: 'Urge', urgeDefault: 'Please handle this step without delay.', urgeMessage: 'Message', urged: 'Urged', order: 'Supervision order', noAction: 'This step is not yours to handle', urgingBanner: 'Urged: {message}', acknowledge: 'Got it',
  },
  field: { name: 'Name', idNumber: 'ID number', phone: 'Phone', address: 'Address', contact: 'Contact' },
  status: { submitted: 'Submitted', in_progress: 'In progress', concluded: 'Concluded' },
  result: { granted: 'Granted', refused: 'Refused', not_accepted: 'Not accepted', withdrawn: 'Deemed withdrawn', cancelled: 'Cancelled' },
  decision: { accept: 'Accept', reject: 'Do not accept', correct: 'Request corrections', approve: 'Approve', return: 'Return', grant: 'Grant', refuse: 'Refuse', done: 'Delivered' },
  event: {
    deadline_warning: 'Deadline warning', deadline_yellow: 'Overdue (yellow)', deadline_red: 'Supervision overdue (red)', supervision_escalated: 'Order escalated', urging_automatic: 'Automatic urging', case_submitted: 'Application submitted', case_started: 'Process started', case_concluded: 'Concluded', task_created: 'Step reached', task_claimed: 'Claimed', task_unclaimed: 'Released', task_completed: 'Step completed', task_canceled: 'Step cancelled',
    clock_started: 'Clock started', clock_paused: 'Clock stopped', clock_resumed: 'Clock resumed', clock_extended: 'Extended', deadline_level: 'Deadline warning', task_urged: 'Urged', urging_acknowledged: 'Urging acknowledged', case_supplemented: 'Materials supplemented', supervision_opened: 'Supervision order', supervision_replied: 'Order answered', supervision_closed: 'Order closed', personal_data_read: 'Personal data read', clock_recomputed: 'Deadline recomputed', clock_unplanned: 'No clock',
  },
  board: {
    title: 'Supervision board', scope: 'Scope', counts: 'Warnings', list: 'Cases needing attention', unit: 'Unit', drill: 'Drill down', up: 'Up one level', onTime: 'On-time rate', byUnit: 'Overdue by unit', byStep: 'Open cases by step', open: 'Open',
    concluded: 'Concluded', onTimeCount: 'On time', urge: 'Urge', order: 'Order', orderInstructions: 'Instructions', orderUnit: 'Responsible department', orderReplyBy: 'Reply by', orderOpened: 'Supervision order opened', dueOn: 'Due', stepName: 'Step', empty: 'No warned cases in scope', reasons: 'Reasons', calendarUnpublished: 'The holidays of {year} are not published yet: deadlines running into it count on the statutory holidays (provisional).',
  },
  designer: {
    title: 'Process designer', sources: 'Processes', files: 'In the repository', drafts: 'Drafts', deployed: 'Deployed versions', version: 'version {v}', newProcess: 'New process', saveDraft: 'Save draft', lint: 'Check', deploy: 'Deploy', deployed_ok: 'Deployed: {id} version {v}',
    problems: 'Problems', noProblems: 'No problems found', lintFirst: '{n} errors: fix them before deploying', compare: 'Compare versions', compareWith: 'Compare with this version', changes: 'Changes', added: 'Added', removed: 'Removed', changed: 'Changed', layoutChanged: 'Moved', noChanges: 'The two versions are the same',
    bind: 'Bind to service item', bindItem: 'Service item', bindVersion: 'Version', latest: 'Always the latest version', bound: 'Bound', overlay: 'Live case distribution', readOnly: 'Read only: only designers of the owning department may deploy', mayNotDeploy: 'You may not deploy this process', loadingModeler: 'Loading the process designer…', fileName: 'File name', cat_error: 'error', cat_warn: 'warning', cat_info: 'info', cat_rule_error: 'rule failed',
  },
  notifications: { title: 'Messages', empty: 'No messages', markAll: 'Mark all read', urge: 'Urged', warning: 'Deadline warning', yellow: 'Overdue', red: 'Supervision overdue', supervision: 'Supervision order', clock_recomputed: 'Deadline recomputed', calendar_unpublished: 'Next year’s holidays are not published' },
  calendar: {
    title: 'Working-day calendar', year: 'Year', published: 'Published', unpublished: 'Not published', provisional: 'Provisional (statutory holidays)', source: 'Source', days: 'Days off and make-up working days', day: 'Date', kind: 'Kind', name: 'Name',
    holiday: 'Day off', workday: 'Make-up working day', statutory: 'Provisional statutory holidays', import: 'Import', importHint: 'One date a line (YYYY-MM-DD [休|班] [name]), or an iCalendar file', importSource: 'Source', imported: '{n} days imported', publish: 'Publish year', publishedOk: 'Published; {n} deadlines recomputed', remove: 'Remove',
  },
};
export default en;
