import { describe, expect, it } from 'vitest';
import { decideScope, readScopeStatement } from '../src/lib/agencies/scope';
import { proseIssues } from '../src/lib/report/prose';
import { emptyRequests, type ReportRecord } from '../src/lib/report/schema';

// The report's prose: its scope statement, and its counts against the tables.

const cells = (total: number) => ({ natural: total, commercial: 0, research: 0, ngo: 0, legal_service: 0, other: 0, total });
function record(received: number, processed: number, granted: number): ReportRecord {
	const requests = emptyRequests();
	requests.new_received = cells(received);
	requests.carried_over = cells(0);
	requests.total_processed = cells(processed);
	requests.granted = cells(granted);
	return {
		schema: 1,
		agency: '某区人民政府',
		year: 2024,
		template: '2021',
		active: null,
		requests,
		review: null,
		litigation_direct: null,
		litigation_after_review: null
	};
}

describe('prose against tables', () => {
	it('names the sentence and the cell where the text states another count', () => {
		const lines = ['2024年，全区共收到政府信息公开申请', '12件，办结12件，予以公开3件。'];
		expect(proseIssues(lines, record(12, 12, 3))).toEqual([]);
		const [i, ...rest] = proseIssues(lines, record(12, 12, 5));
		expect(rest).toEqual([]);
		expect(i).toMatchObject({ code: 'prose_table', where: { table: '三', row: 'granted', column: 'total' }, expected: 5, actual: 3 });
		expect(i.message).toContain('予以公开3件');
	});

	it('does not read 予以公开及部分公开 as 予以公开', () => {
		expect(proseIssues(['办结10件，其中予以公开及部分公开7件。'], record(10, 10, 2))).toEqual([]);
	});
});

describe('scope from the prose', () => {
	const government = { level: '县', category: '人民政府' };
	it('reads an aggregate statement and an own one', () => {
		expect(readScopeStatement(['本报告汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成。'])?.value).toBe('aggregate');
		expect(readScopeStatement(['2023年度我局共收到依申请信息公开26件。'])).toMatchObject({ value: 'own', count: 26 });
		expect(readScopeStatement(['本机关坚持公开为常态。'])).toBeNull();
	});

	it('falls back to the body’s kind when the statement’s count is not the tables’', () => {
		const s = readScopeStatement(['区政府办代表区政府受理政府信息公开申请17件，均已答复。'])!;
		expect(decideScope(government, s, undefined, [17]).value).toBe('own');
		const d = decideScope(government, s, undefined, [95, 95]);
		expect(d.value).toBe('aggregate');
		expect(d.evidence).toContain('表三为 95 件');
		expect(decideScope({ level: '县', category: '财政' }, null).value).toBe('own');
		expect(decideScope({ level: '未知', category: '其他' }, null).value).toBe('unknown');
		expect(decideScope(government, s, 'own', [95]).evidence).toBe('agencies.csv 指定');
	});
});
