import { describe, expect, it } from 'vitest';
import { registerDocumentAdapters } from '../src/lib/report/adapters/index';
import { parseReportFile } from '../src/lib/report/index';
import { readMetadata } from '../src/lib/report/metadata';
import { recordDocx } from '../src/lib/synthetic/docx-writer';
import { generateRecord } from '../src/lib/synthetic/index';

/**
 * Page furniture is never part of an agency name (issue 13, item 8): a short
 * line before the title, or text before it on the same line, is cut.
 */

registerDocumentAdapters();

const AGENCY = '青禾县水务局';
const TITLE = `${AGENCY}2023年政府信息公开工作年度报告`;

describe('furniture before the title', () => {
	const lines: [string, string[]][] = [
		['a print link on the line before', ['打印本页', TITLE]],
		['a print link on the same line', [`打印本页${TITLE}`]],
		['an attachment number on the line before', ['附件1', TITLE]],
		['an attachment number on the same line', [`附件1${TITLE}`]],
		['an attachment number with a colon', [`附件2：${TITLE}`]],
		['the font-size switch on the line before', ['字号：大 中 小', TITLE]],
		['the font-size switch on the same line', [`字号 大 中 小 ${TITLE}`]],
		['the font-size switch in brackets', ['【字体：大 中 小】', TITLE]],
		['a Latin link on the line before', ['click', TITLE]],
		['a Latin link on the same line', [`click here ${TITLE}`]],
		['a close link and a date', ['关闭窗口', '2024-01-20', TITLE]]
	];
	it.each(lines)('%s', (_, text) => {
		expect(readMetadata([], text).agency).toBe(AGENCY);
	});

	it('a title broken after the agency is still joined', () => {
		expect(readMetadata([], [AGENCY, '2023年政府信息公开工作年度报告']).agency).toBe(AGENCY);
		expect(readMetadata([], [`${AGENCY}2023年`, '政府信息公开工作年度报告']).agency).toBe(AGENCY);
	});

	it.each(['click', '打印本页', '附件1', '字号 大 中 小'])('a .docx with “%s” above its title keeps the agency name', async (furniture) => {
		const record = generateRecord(11, { template: '2021' });
		const r = await parseReportFile(recordDocx(record, [{ p: furniture }]), 'report.docx');
		expect(r.agency).toBe(record.agency);
		expect(r.issues.map((i) => i.code)).not.toContain('agency_suspect');
	});
});
