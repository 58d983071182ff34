import { describe, expect, it } from 'vitest';
import { describeAgency, parseOverrides } from '../src/lib/agencies/index';
import { METRICS, METRIC_BY_ID, computeMetrics } from '../src/lib/catalog/metrics';
import { generateRecord } from '../src/lib/synthetic/index';

describe('agency region, level and category from the name', () => {
	const cases: [string, string | null, string, string][] = [
		['周口市公安局', '4116', '市', '公安'],
		['淮安市洪泽区人民政府', '320813', '县', '人民政府'],
		['洪泽区人民政府', '320813', '县', '人民政府'],
		['上海市科委', '3101', '省', '科技'],
		['北京市朝阳区财政局', '110105', '县', '财政'],
		['临夏州民政局', '6229', '市', '民政'],
		['重庆市开州区公安局', '500154', '县', '公安'],
		['杭州市公安局滨江区分局', '3301', '市', '公安'],
		['平潭综合实验区自然资源与生态环境局', '350128', '县', '自然资源'],
		['平潭综合实验区海坛片区管理局', '350128', '乡', '人民政府']
	];
	for (const [name, code, level, category] of cases) {
		it(name, () => {
			const a = describeAgency(name);
			expect(a.county_code ?? a.city_code ?? a.province_code).toBe(code);
			expect(a.level).toBe(level);
			expect(a.category).toBe(category);
			expect(a.note).toBeNull();
		});
	}

	it('says when a place name is ambiguous instead of guessing, and an override settles it', () => {
		const a = describeAgency('朝阳区人民政府');
		expect(a.county_code).toBeNull();
		expect(a.note).toContain('110105');
		expect(a.note).toContain('220104');
		const overrides = parseOverrides('name,code,level,category\n朝阳区人民政府,220104,,\n');
		const b = describeAgency('朝阳区人民政府', overrides.get('朝阳区人民政府'));
		expect([b.province, b.city, b.county, b.source, b.note]).toEqual(['吉林省', '长春市', '朝阳区', 'override', null]);
	});

	it('rejects a bad agencies.csv with the line and the reason', () => {
		expect(() => parseOverrides('code\n110105\n', 'x/agencies.csv')).toThrow(/x\/agencies\.csv: 第 1 行.*name/);
		expect(() => parseOverrides('name,code\n某局,99\n')).toThrow(/第 2 行 code “99” 不在 GB\/T 2260/);
		expect(() => parseOverrides('name,code\n某局,1234567\n')).toThrow(/第 2 行 code “1234567” 不是 2、4 或 6 位/);
	});
});

describe('metric catalog', () => {
	it('defines every metric once with labels, unit, formula and templates', () => {
		expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
		for (const m of METRICS) {
			expect(m.zh && m.en && m.formula, m.id).toBeTruthy();
			expect(m.templates.length, m.id).toBeGreaterThan(0);
		}
	});

	it('leaves 2021-only metrics out of 2019-template reports (不适用, never 0)', () => {
		const r2019 = generateRecord(5, { template: '2019' });
		const ids = computeMetrics(r2019).map((m) => m.metric);
		expect(ids).not.toContain('fee_revenue');
		expect(ids).not.toContain('reason_other_no_fee');
		expect(ids).toContain('requests_received');
		const r2021 = generateRecord(5, { template: '2021' });
		expect(computeMetrics(r2021).find((m) => m.metric === 'fee_revenue')?.value).toBe(r2021.active!.fees!.amount_10k_yuan);
	});

	it('computes rates from the table and leaves them out when the denominator is 0', () => {
		const r = generateRecord(9, { template: '2021' });
		const q = r.requests;
		const values = Object.fromEntries(computeMetrics(r).map((m) => [m.metric, m.value]));
		if (q.total_processed!.total > 0) expect(values.grant_rate).toBeCloseTo(q.granted!.total / q.total_processed!.total, 12);
		const empty = { ...r, requests: { ...q, total_processed: { ...q.total_processed!, total: 0 } } };
		expect(METRIC_BY_ID.get('grant_rate')!.compute(empty)).toBeNull();
		expect(computeMetrics(empty).some((m) => m.metric === 'grant_rate')).toBe(false);
	});
});

describe('level of town bodies', () => {
	it('is 乡 for towns and streets, not for a bureau named 城乡建设', () => {
		expect(describeAgency('淮安市洪泽区高良涧街道办事处').level).toBe('乡');
		expect(describeAgency('沭阳县钱集镇人民政府').level).toBe('乡');
		expect(describeAgency('沭阳县住房和城乡建设局').level).toBe('县');
	});
});
