import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linksOf, pickLinkAgencies, storedAgencyIds, UNSTORED } from '../src/cli/bench/links';

// bench:dashboard's links name agencies with stored answers for the headline figures, and those without on rows of their own.

let dir: string | null = null;
afterEach(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = null;
});

/** A site folder whose answer files hold `shards` (each: the agencies it answers for), capped or not. */
function site(shards: string[][], capped: boolean): string {
	dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-links-'));
	mkdirSync(join(dir, 'answers'));
	const total = shards.flat().length + 100;
	shards.forEach((here, i) =>
		writeFileSync(
			join(dir!, 'answers', `agencies-${i}.json`),
			JSON.stringify({ version: 'v', cols: [], answers: {}, ...(capped ? { capped: { stored: shards.flat().length, agencies: total, here } } : {}) })
		)
	);
	// The views' file is capped too, answering for no agency: it must not count.
	writeFileSync(
		join(dir, 'answers', 'views.json'),
		JSON.stringify({ version: 'v', cols: [], answers: {}, ...(capped ? { capped: { stored: 1, agencies: total, here: [] } } : {}) })
	);
	return dir;
}

describe('the agencies a link names in bench:dashboard', () => {
	const full = ['a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07', 'a08'];

	it('a capped build: the headline links name stored agencies, and a second row names two without stored answers', () => {
		const stored = storedAgencyIds(
			site(
				[
					['a02', 'a07'],
					['a05', 'a08']
				],
				true
			)
		);
		expect(stored && [...stored].sort()).toEqual(['a02', 'a05', 'a07', 'a08']);
		const picked = pickLinkAgencies(full, stored);
		expect(picked.stored.every((id) => stored!.has(id))).toBe(true);
		expect(picked.stored).toHaveLength(2);
		expect(picked.unstored).toHaveLength(2);
		expect(picked.unstored.some((id) => stored!.has(id))).toBe(false);
		const links = linksOf(picked);
		const headline = links.filter((l) => !l.label.endsWith(UNSTORED));
		const apart = links.filter((l) => l.label.endsWith(UNSTORED));
		expect(headline.map((l) => l.label)).toEqual([
			'Overview (default)',
			'Compare, two agencies',
			'Outcomes',
			'Agency profile',
			'Compare, peer band of 基准机关',
			'Agency profile, benchmark',
			'Agency profile, printed tables'
		]);
		for (const l of headline) for (const id of full.filter((x) => !stored!.has(x))) expect(l.path).not.toContain(id);
		expect(apart).toHaveLength(5);
		for (const l of apart) expect(picked.unstored.some((id) => l.path.includes(id))).toBe(true);
	});

	it('a build that stored every agency: no capped file, so no second row', () => {
		expect(storedAgencyIds(site([['a01', 'a02']], false))).toBeNull();
		const picked = pickLinkAgencies(full, null);
		expect(picked).toEqual({ stored: ['a05', 'a06'], unstored: [] });
		expect(linksOf(picked).some((l) => l.label.endsWith(UNSTORED))).toBe(false);
	});
});
