import { describe, expect, it } from 'vitest';
import { objectsToCsv, toCsv } from '../src/lib/export/csv';

describe('CSV for Excel', () => {
	it('starts with a BOM, quotes what needs quoting, uses CRLF', () => {
		const csv = toCsv(
			['机关', '年度', '备注'],
			[
				['样例市"第一"局', 2023, 'a,b\nc'],
				['示范县局', 2024, null]
			]
		);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv.slice(1)).toBe('机关,年度,备注\r\n"样例市""第一""局",2023,"a,b\nc"\r\n示范县局,2024,\r\n');
	});

	it('defuses spreadsheet formulas but keeps signed numbers as numbers', () => {
		const csv = objectsToCsv([{ a: '=HYPERLINK("x")', b: '-3', c: -3, d: '+2' }], ['a', 'b', 'c', 'd']);
		expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")",-3,-3,+2`);
	});
});
