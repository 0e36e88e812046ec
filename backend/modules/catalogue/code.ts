/**
 * The item code (事项编码) as GB/T 39554.1-2020 structures the basic code (基本编码) of the national
 * basic directory: twelve digits, read left to right as
 *   事项类型 (2) · 主项 (4) · 子项 (3, 000 when the item has none) · 业务办理项 (3, 000 when none)
 * e.g. 000117002000 = 行政许可 · main item 0117 · sub-item 002 · no handling item.
 * The type segment must agree with the item's type. Pure: the catalogue and the tests both use it.
 */

/** 事项类型 codes of the basic directory (the ten kinds of administrative power, then public service). */
export const ITEM_TYPES: Record<string, string> = {
  '00': '行政许可',
  '01': '行政处罚',
  '02': '行政强制',
  '03': '行政征收',
  '04': '行政给付',
  '05': '行政检查',
  '06': '行政确认',
  '07': '行政奖励',
  '08': '行政裁决',
  '09': '其他行政权力',
  '10': '公共服务',
};

export interface CodeParts {
  typeCode: string;
  mainItem: string;
  subItem: string;
  handlingItem: string;
}

/** The parts of a well-formed code, or the reasons it is not one (each names the segment). */
export function checkItemCode(code: string, itemType?: string): { parts: CodeParts | null; problems: string[] } {
  if (!/^\d{12}$/.test(code)) return { parts: null, problems: ['a basic code is 12 digits: type (2), main item (4), sub-item (3), handling item (3)'] };
  const parts = { typeCode: code.slice(0, 2), mainItem: code.slice(2, 6), subItem: code.slice(6, 9), handlingItem: code.slice(9, 12) };
  const problems: string[] = [];
  const type = ITEM_TYPES[parts.typeCode];
  if (!type) problems.push(`digits 1–2 (${parts.typeCode}) name no item type (00 行政许可 … 10 公共服务)`);
  if (parts.mainItem === '0000') problems.push('digits 3–6: the main item is numbered from 0001');
  if (parts.subItem === '000' && parts.handlingItem !== '000') problems.push('digits 10–12: a handling item belongs to a sub-item (digits 7–9 are 000)');
  if (type && itemType !== undefined && type !== itemType) problems.push(`digits 1–2 (${parts.typeCode}) mean ${type}, but the item type is ${itemType}`);
  return { parts: problems.length === 0 ? parts : null, problems };
}
