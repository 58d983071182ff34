import { describe, expect, it } from 'vitest';
import { describeAgency, shortHash } from '../src/lib/agencies/index';

describe('agency ids', () => {
	it('keep 300,000 distinct bodies apart (a 32-bit id would merge about ten pairs of them into one agency)', () => {
		const seen = new Map<string, string>();
		const clashes: string[] = [];
		for (let i = 0; i < 300_000; i++) {
			// Keys shaped as agencyKey makes them: a division code, then the rest of the name.
			const key = `${110101 + (i % 2851)}|第${i}局`;
			const id = shortHash(key);
			const before = seen.get(id);
			if (before) clashes.push(`${before} / ${key}`);
			seen.set(id, key);
		}
		expect(clashes).toEqual([]);
	});

	it('are 64-bit, stable, and one per body across its names', () => {
		const a = describeAgency('淮安市洪泽区人民政府').id;
		expect(a).toMatch(/^a[0-9a-f]{16}$/);
		expect(describeAgency('洪泽区人民政府').id).toBe(a);
		expect(describeAgency('淮安市洪泽区人民政府').id).toBe(a);
		expect(describeAgency('淮安市洪泽区交通运输局').id).not.toBe(a);
	});
});
