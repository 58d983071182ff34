import { describe, expect, it } from 'vitest';
import type { BarSum } from '$lib/db/research';
import { barsOf, shareRowsOf, sumsOf, type Part } from './shares';

const sum = (bar: string, name: string, metric: string, value: number): BarSum => ({ bar, name, metric, value, reports: 1, flagged: 0, left: 0 });
const sums = [sum('a1', '乙局', 'x', 3), sum('a1', '乙局', 'y', 1), sum('a2', '甲局', 'x', 4), sum('a3', '丙局', 'x', 0), sum('a4', '丁局', 'y', 4)];
const v = sumsOf(sums);
const parts: Part[] = ['x', 'y'].map((key) => ({ key, label: key, color: '#000', value: (bar) => v(bar, key) }));
const size = (bar: string) => v(bar, 'x') + v(bar, 'y');

describe('outcome shares', () => {
	it('bars agencies largest first, ties by name, without the empty ones, up to the limit', () => {
		expect(barsOf(sums, 'agency', size, 10).map((b) => b.label)).toEqual(['丁局', '乙局', '甲局']);
		expect(barsOf(sums, 'agency', size, 2).map((b) => b.id)).toEqual(['a4', 'a1']);
	});

	it('gives each part its share of the bar, leaving zero parts out', () => {
		const rows = shareRowsOf(barsOf(sums, 'agency', size, 10), parts, (b, p, x, total) => `${b.id} ${p.key} ${x}/${total}`);
		expect(rows.map((r) => [r.bar, r.key, r.share])).toEqual([
			['a4', 'y', 1],
			['a1', 'x', 0.75],
			['a1', 'y', 0.25],
			['a2', 'x', 1]
		]);
		expect(rows[1].tip).toBe('a1 x 3/4');
	});
});
