import { toHalfWidth } from './normalize';

/** What a table cell says, as a number. */
export interface CellValue {
	value: number;
	/** Set when the cell was not a plain number: blank, a dash, 无, a unit. */
	note?: 'blank' | 'dash' | 'none' | 'unit_wan' | 'unit_yuan';
}

/** Cells that stand for zero without a digit: blanks aside, these are noted. */
const DASHES = new Set(['/', '／', '\\', '无', '無', '×']);

const NUMBER_RE = /^([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(件|个|個|项|項|条|條|次|人次|家|万元|萬元|元|亿元)?$/;

/** The text of a cell once padding, NBSP and full-width forms are gone. */
export function cleanCell(text: string): string {
	return toHalfWidth(text).replace(/[\s\u200b\ufeff]+/g, '');
}

/**
 * Read a table cell. Returns undefined when the cell is not a value at all
 * (it holds a label). Blank → 0; "—", "/", "无" → 0 with a note; full-width
 * digits, thousands separators, signs and a trailing unit are accepted.
 */
export function readCell(text: string): CellValue | undefined {
	const t = cleanCell(text);
	if (t === '') return { value: 0, note: 'blank' };
	if (DASHES.has(t) || /^[-—–－―─]+$/.test(t)) return { value: 0, note: t === '无' || t === '無' ? 'none' : 'dash' };
	const m = NUMBER_RE.exec(t);
	if (!m) return undefined;
	const sign = m[1] === '-' || m[1] === '−' ? -1 : 1;
	const value = sign * Number(m[2].replace(/,/g, '') + (m[3] ?? ''));
	const unit = m[4];
	if (unit === '万元' || unit === '萬元') return { value, note: 'unit_wan' };
	if (unit === '亿元') return { value: value * 10000, note: 'unit_wan' };
	if (unit === '元') return { value, note: 'unit_yuan' };
	return { value };
}

/** True when the text reads as a value (a number, blank or dash). */
export function isValueText(text: string): boolean {
	return readCell(text) !== undefined;
}

/** Round away binary noise from unit conversion (12.5 万元 → 125000 元). */
export function roundTo(value: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
}
