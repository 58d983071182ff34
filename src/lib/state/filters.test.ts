import { describe, expect, it } from 'vitest';
import { filtersOf, isUnfiltered } from './filters';
import { defaultState } from './url';

describe('filtersOf', () => {
	it('takes the year range, region, level, category, name and sum scope of a view, and nothing else', () => {
		const view = {
			...defaultState(),
			tab: 'outcomes' as const,
			from: 2020,
			to: 2023,
			province: '福建省',
			city: '福州市',
			level: '县',
			category: '公安',
			q: '平潭',
			sum: 'aggregate' as const,
			agencies: ['a1'],
			metric: 'denial_rate'
		};
		expect(filtersOf(view)).toEqual({
			from: 2020,
			to: 2023,
			province: '福建省',
			city: '福州市',
			level: '县',
			category: '公安',
			q: '平潭',
			sum: 'aggregate',
			skipFlagged: false,
			skipUncertain: false,
			minN: 0
		});
		expect(filtersOf({ ...view, skip: ['flagged', 'uncertain'], minN: 30, log: true })).toMatchObject({ skipFlagged: true, skipUncertain: true, minN: 30 });
	});

	it('calls a view unfiltered only when every filter is unset', () => {
		expect(isUnfiltered(filtersOf({ ...defaultState(), agencies: ['a1'], tab: 'compare' }))).toBe(true);
		expect(isUnfiltered(filtersOf({ ...defaultState(), q: '局' }))).toBe(false);
		expect(isUnfiltered(filtersOf({ ...defaultState(), to: 2024 }))).toBe(false);
		expect(isUnfiltered(filtersOf({ ...defaultState(), sum: 'aggregate' }))).toBe(false);
		expect(isUnfiltered(filtersOf({ ...defaultState(), skip: ['uncertain'] }))).toBe(false);
		expect(isUnfiltered(filtersOf({ ...defaultState(), minN: 10 }))).toBe(false);
		// a scale is no filter: the prerendered numbers still hold
		expect(isUnfiltered(filtersOf({ ...defaultState(), log: true }))).toBe(true);
	});
});
