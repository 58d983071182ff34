import { describe, expect, it } from 'vitest';
import { METRIC_BY_ID } from '$lib/catalog/metrics';
import { templateBreaks, templateNotes } from './templates';

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
