import { describe, expect, it } from 'vitest';
import { METRICS } from '$lib/catalog/metrics';
import { inCatalogOrder, packMetrics, unpackMetrics } from './metric-list';

const group = (g: string) => METRICS.filter((m) => m.group === g).map((m) => m.id);

describe("the table builder's metrics in a link", () => {
	it('names a few metrics by id, in catalog order', () => {
		expect(packMetrics(['grant_rate', 'requests_received'])).toBe('requests_received,grant_rate');
		expect(unpackMetrics('grant_rate,requests_received')).toEqual({ ids: ['requests_received', 'grant_rate'], unknown: [] });
	});

	it('writes a whole group as one token, and a mostly chosen group as the group less the few left out', () => {
		const reasons = group('reasons');
		expect(packMetrics(reasons)).toBe('*reasons');
		const most = reasons.slice(2);
		expect(packMetrics(most)).toBe(`*reasons,-${reasons[0]},-${reasons[1]}`);
		expect(unpackMetrics(packMetrics(most)).ids).toEqual(most);
	});

	it('round-trips every choice and stays short: the whole catalog less one metric per group fits a link', () => {
		const ids = METRICS.map((m) => m.id);
		const less = ids.filter((id) => ![...new Set(METRICS.map((m) => m.group))].some((g) => group(g)[0] === id));
		for (const chosen of [ids, less, ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 3 === 1)]) {
			const text = packMetrics(chosen);
			expect(unpackMetrics(text)).toEqual({ ids: inCatalogOrder(chosen), unknown: [] });
			// At most about half of the catalog's ids are ever written out.
			expect(text.length).toBeLessThan(ids.join(',').length / 2 + 100);
		}
		expect(
			packMetrics(ids)
				.split(',')
				.every((tok) => tok.startsWith('*'))
		).toBe(true);
	});

	it('reports tokens that name nothing in the catalog', () => {
		expect(unpackMetrics('*nope,grant_rate,-gone,bogus')).toEqual({ ids: ['grant_rate'], unknown: ['*nope', 'bogus', '-gone'] });
	});
});
