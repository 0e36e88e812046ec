// 服务器错误：接口返回错误代码，界面按语言表述（issue 13 第四部分）。英文界面另附服务器给出的具体原因。
import type { Part } from '../messages.ts';

const part: Part = {
  'zh-CN': {
    error: {
      BAD_REQUEST: '请求无法处理，请检查输入后重试', VALIDATION_FAILED: '填写的内容不符合要求，请检查后重试', UNAUTHENTICATED: '登录已失效，请重新登录', FORBIDDEN: '您的角色无权进行此操作',
      LOCKED: '账号已暂时锁定，请稍后再试', NOT_FOUND: '未找到，或不在您的办理范围内', CONFLICT: '状态已变化，此操作无法完成，请刷新后重试', CASE_SUSPENDED: '办件已挂起，激活前不能办理', CASE_TERMINATING: '办件正在终止，不能再办理', INVALID_BPMN: '流程文件无效，请检查后再部署',
      PAYLOAD_TOO_LARGE: '提交的内容过大', RATE_LIMITED: '操作过于频繁，请稍后再试', ENGINE_UNAVAILABLE: '流程引擎暂时不可用，请稍后重试', DATABASE_UNAVAILABLE: '数据库暂时不可用，请稍后重试',
      INTERNAL: '系统出错，已记录，请稍后重试', unknown: '出错了，请稍后重试', field: '问题字段：{fields}',
    },
  },
  en: {
    error: {
      BAD_REQUEST: 'The request cannot be handled', VALIDATION_FAILED: 'Some input is not valid', UNAUTHENTICATED: 'Your session has ended: please sign in again', FORBIDDEN: 'Your role may not do this',
      LOCKED: 'The account is locked for a while', NOT_FOUND: 'Not found, or not within your remit', CONFLICT: 'This can no longer be done: refresh and try again', CASE_SUSPENDED: 'The case is suspended: no decisions until it is resumed', CASE_TERMINATING: 'The case is being terminated: no more decisions', INVALID_BPMN: 'The process file is not valid',
      PAYLOAD_TOO_LARGE: 'What was sent is too large', RATE_LIMITED: 'Too many attempts: try again later', ENGINE_UNAVAILABLE: 'The process engine is unavailable: try again shortly', DATABASE_UNAVAILABLE: 'The database is unavailable: try again shortly',
      INTERNAL: 'An unexpected error occurred; it has been logged', unknown: 'Something went wrong', field: 'Fields: {fields}',
    },
  },
};
export default part;
