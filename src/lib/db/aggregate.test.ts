import { describe, expect, it } from 'vitest';
import { isMaterial, metricOf, perAgencyPoint, pointOf } from './aggregate';

const received = metricOf('requests_received');

describe('perAgencyPoint: a summed point as the average per reporting body', () => {
	it('divides the total by the reports that have it, and averages the value without the flagged ones over the others', () => {
		// 4 bodies report 100 requests in all; the one flagged report holds 40 of them
		const p = pointOf(received, 2024, { total: 100, denominator: null, reports: 4, flagged: 1, flaggedTotal: 40 }, true);
		expect([p.value, p.without, p.flagShift]).toEqual([100, 60, 0.4]);
		const avg = perAgencyPoint(p);
		expect(avg.value).toBe(25);
		expect(avg.without).toBe(20);
		expect(avg.flagShift).toBeCloseTo(0.2, 12);
		expect(isMaterial(avg)).toBe(true);
		// n stays the bodies that reported it
		expect([avg.reports, avg.flagged, avg.year, avg.applicable]).toEqual([4, 1, 2024, true]);
	});

	it('can make a flagged report immaterial: one large body flagged for a slip that does not move the average much', () => {
		// 10 bodies, 1,000 in all; the flagged one has 90: the total moves 9%, the average (100 against 101.1) 1.1%
		const p = pointOf(received, 2024, { total: 1000, denominator: null, reports: 10, flagged: 1, flaggedTotal: 90 }, true);
		expect(isMaterial(p)).toBe(true);
		const avg = perAgencyPoint(p);
		expect(avg.value).toBe(100);
		expect(avg.without).toBeCloseTo(910 / 9, 12);
		expect(isMaterial(avg)).toBe(false);
	});

	it('keeps a shift of 1 when every report is flagged, and no value where there is none', () => {
		const all = perAgencyPoint(pointOf(received, 2024, { total: 30, denominator: null, reports: 3, flagged: 3, flaggedTotal: 30 }, true));
		expect([all.value, all.without, all.flagShift]).toEqual([10, null, 1]);
		const none = perAgencyPoint(pointOf(received, 2019, undefined, false));
		expect([none.value, none.reports, none.flagShift]).toEqual([null, 0, null]);
		const clean = perAgencyPoint(pointOf(received, 2020, { total: 9, denominator: null, reports: 2, flagged: 0, flaggedTotal: 0 }, true));
		expect([clean.value, clean.without, clean.flagShift]).toEqual([4.5, 4.5, null]);
	});
});
