import { describe, expect, it } from 'vitest';
import { METRIC_BY_ID } from '$lib/catalog/metrics';
import { countTemplates, templateBreaks, templateMix, templateNotes } from './templates';

const r = (agency_id: string, year: number, template: string) => ({ agency_id, year, template });

describe('template changes on a year axis', () => {
	it('are found per agency between consecutive reports, not assumed from the year', () => {
		const reports = [
			r('a', 2019, '2019'),
			r('a', 2020, '2019'),
			r('a', 2021, '2021'),
			r('a', 2022, '2021'),
			// b kept the old tables one year longer
			r('b', 2020, '2019'),
			r('b', 2021, '2019'),
			r('b', 2022, '2021'),
			// c has no 2020 report: its switch spans the gap
			r('c', 2019, '2019'),
			r('c', 2021, '2021'),
			// d switched with a
			r('d', 2020, '2019'),
			r('d', 2021, '2021')
		];
		const breaks = templateBreaks(reports, 'zh', (id) => id.toUpperCase());
		expect(breaks.map((b) => [b.before, b.after, b.label])).toEqual([
			[2019, 2021, '→2021'],
			[2020, 2021, '→2021（2）'],
			[2021, 2022, '→2021']
		]);
		expect(breaks[1].tip).toContain('A、D');
		expect(breaks[1].tip).toContain('国办公开办函〔2021〕30号');
	});

	it('ignore years off the axis and agencies that never switch', () => {
		const reports = [r('a', 2019, '2019'), r('a', 2022, '2021'), r('b', 2022, '2021'), r('b', 2023, '2021')];
		expect(templateBreaks(reports, 'en', undefined, [2022, 2023])).toEqual([]);
		expect(templateBreaks(reports, 'en')).toHaveLength(1);
	});

	it('note where a metric exists in one template only', () => {
		const breaks = templateBreaks([r('a', 2020, '2019'), r('a', 2021, '2021')], 'zh');
		const notes = templateNotes(breaks, [METRIC_BY_ID.get('fee_revenue')!, METRIC_BY_ID.get('grant_rate')!], 'zh');
		expect(notes).toHaveLength(3);
		expect(notes[1]).toContain('只在 2021 格式的表格中有');
		// the catalog's own word on how the templates differ (2019 tables count fee items, no amount)
		expect(notes[2]).toContain('没有金额');
		expect(templateNotes([], [METRIC_BY_ID.get('fee_revenue')!], 'zh')).toEqual([]);
	});
});

describe('template marks on charts over many bodies', () => {
	it('shade the years that mix templates once, with the counts, instead of a rule per agency', () => {
		// the same reports as above: three agencies switching in different years
		const reports = [r('a', 2019, '2019'), r('a', 2020, '2019'), r('a', 2021, '2021'), r('a', 2022, '2021'), r('b', 2020, '2019'), r('b', 2021, '2019')].concat(
			[r('b', 2022, '2021'), r('c', 2019, '2019'), r('c', 2021, '2021'), r('d', 2020, '2019'), r('d', 2021, '2021'), r('a', 2023, '2021')]
		);
		const mix = templateMix(countTemplates(reports), [METRIC_BY_ID.get('punishment_decisions')!], 'zh');
		expect(mix.mixed.map((m) => [m.from, m.to])).toEqual([[2021, 2021]]);
		expect(mix.breaks).toEqual([]);
		expect(mix.notes[0]).toBe('灰底：这些年份的报告两种表格格式并存（2021 年 2019 格式 1 份、2021 格式 3 份），前后口径不完全相同。');
		// the metric's own caveat follows, since the chart spans both templates
		expect(mix.notes[1]).toContain('2019 格式表二按事项统计');
	});

	it('join neighbouring mixed years into one span, keep one rule for a clean switch, and say nothing when one template covers all', () => {
		const y = (year: number, a: number, b: number) => ({ year, templates: { '2019': a, '2021': b } });
		const two = templateMix([y(2020, 3, 0), y(2021, 2, 5), y(2022, 1, 6), y(2023, 0, 7)], [], 'en');
		expect(two.mixed.map((m) => [m.from, m.to])).toEqual([[2021, 2022]]);
		expect(two.mixed[0].tip).toContain('2022: 1 in the 2019 template, 6 in the 2021 one');
		const clean = templateMix([y(2019, 4, 0), y(2020, 4, 0), y(2021, 0, 4)], [], 'en');
		expect(clean.mixed).toEqual([]);
		expect(clean.breaks.map((b) => [b.before, b.after, b.label])).toEqual([[2020, 2021, '→2021']]);
		expect(templateMix([y(2022, 0, 3), y(2023, 0, 4)], [METRIC_BY_ID.get('fee_revenue')!], 'zh')).toEqual({ breaks: [], mixed: [], notes: [] });
		// years off the axis do not count
		expect(templateMix([y(2020, 3, 0), y(2021, 2, 5), y(2022, 0, 6)], [], 'zh', [2022]).mixed).toEqual([]);
	});
});
