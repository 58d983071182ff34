import { describe, expect, it } from 'vitest';
import { compactText, labelKey, toHalfWidth } from '../src/lib/report/normalize';
import { readCell } from '../src/lib/report/numbers';
import { chineseOf } from './helpers/chinese';

/**
 * The one-pass forms of the hot paths (issue 16, item 2) against their
 * regexp definitions, over every UTF-16 code unit: a lookup table that missed
 * one character would change a parse without any report showing it.
 */

const units = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));

describe('compactText and labelKey', () => {
	it('compactText is toHalfWidth without white space or zero-width, for every code unit', () => {
		const bad = units.filter((c) => compactText(`a${c}b${c}`) !== toHalfWidth(`a${c}b${c}`).replace(/[\s\u200b\ufeff]+/g, ''));
		expect(bad.map((c) => c.charCodeAt(0).toString(16))).toEqual([]);
	});

	it('keeps a string that needs nothing, and reads mixed text', () => {
		const s = '洪泽区人民政府2023年政府信息公开工作年度报告';
		expect(compactText(s)).toBe(s);
		expect(compactText(' 洪泽区 人民政府\u3000２０２３ 年\u200b报告\ufeff ')).toBe('洪泽区人民政府2023年报告');
		expect(labelKey('（二）部分公开（区分处理的）')).toBe('二部分公开区分处理的');
	});
});

/**
 * What a value cell is, as a grammar over its compact form (an oracle written apart from numbers.ts): a footnote mark
 * (or superscript digits) may follow the number; 约 (an approximation) or 增/减 (a sign in 本年增/减, never with + or -) may lead it.
 */
const VALUE =
	/^(?:(?:约|大约)?(?:(?:增加|增|减少|减)|[+\-−]?)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:件|个|個|项|項|条|條|次|人次|家|万元|萬元|元|亿元)?(?:[*※\u2460-\u2473]|[¹²³⁰⁴⁵⁶⁷⁸⁹]+)?|[-—–－―─]+|[/／\\无無×]|)$/;

/** Counts written out in Chinese numerals (the tests' own writer; 〇 for 零, 一十 for 十 also seen), 约 before or a unit after allowed. */
const CHINESE = new Set(Array.from({ length: 100 }, (_, n) => chineseOf(n)).flatMap((c) => [c, c.replace(/零/g, '〇'), c.replace(/^十/, '一十')]));
const isChinese = (compact: string) => CHINESE.has(compact.replace(/^(约|大约)/, '').replace(/(件|个|個|项|項|条|條|次|人次|家)$/, ''));

describe('readCell tells a label from a value without building strings', () => {
	it('agrees with the value grammar for every code unit, alone and beside digits', () => {
		const bad: string[] = [];
		for (const c of units) {
			for (const s of [c, `1${c}`, `${c}2`, `1${c}${c}2`, `—${c}`]) {
				const compact = toHalfWidth(s).replace(/[\s\u200b\ufeff]+/g, '');
				const isValue = VALUE.test(compact) || isChinese(compact);
				if ((readCell(s) !== undefined) !== isValue) bad.push(`${JSON.stringify(s)} ${c.charCodeAt(0).toString(16)}`);
			}
		}
		expect(bad).toEqual([]);
	});

	it('reads long cells (past the cache) as before', () => {
		expect(readCell('本机关全年共收到政府信息公开申请，依法予以办理并按时答复'.repeat(3))).toBeUndefined();
		expect(readCell(`${'  '.repeat(40)}12${'  '.repeat(40)}`)).toEqual({ value: 12 });
		expect(readCell(`${' '.repeat(70)}—`)).toEqual({ value: 0, note: 'dash' });
	});
});
