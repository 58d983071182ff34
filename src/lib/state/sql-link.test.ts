import { describe, expect, it } from 'vitest';
import { MAX_PACKED, packSql, unpackSql } from './sql-link';
import { defaultState, MAX_LINK, MAX_SQL, parseState, toSearch, type Vocabulary } from './url';

const vocab: Vocabulary = { agencies: new Set(['a1']), years: [2023, 2024], provinces: new Set(), cities: new Set(), levels: new Set(), categories: new Set() };

/** About 2,000 characters of a researcher's query, with a Chinese comment. */
function longQuery(): string {
	const lines = ['-- 各机关历年依申请公开办理结果：予以公开、部分公开、不予公开的比例，按年份和机关排列，便于对比'];
	for (let i = 0; lines.join('\n').length < 2000; i++)
		lines.push(
			`SELECT a.name, m.year, sum(m.granted_${i}) AS g${i}, sum(m.requests_new) AS n${i} FROM report_metrics m JOIN agencies a ON a.id = m.agency_id WHERE m.year >= ${2019 + (i % 7)} GROUP BY ALL`
		);
	return lines.join('\nUNION ALL\n');
}

describe('the console SQL in a link', () => {
	it('packs a 2,000-character query with a Chinese comment into a link well under the cap, and back', async () => {
		const sql = longQuery();
		expect(sql.length).toBeGreaterThanOrEqual(2000);
		const z = await packSql(sql);
		expect(z).toMatch(/^[A-Za-z0-9_-]+$/);
		const search = toSearch({ ...defaultState(), tab: 'data', sql, v: '54a0a7377e21' }, (s) => (s === sql ? z : undefined));
		expect(`https://example.gov.cn/nianbao/data${search}`.length).toBeLessThan(MAX_LINK);
		// percent-encoded as text, the same query is over the cap
		expect(toSearch({ ...defaultState(), sql }).length).toBeGreaterThan(MAX_LINK);
		expect(await unpackSql(z, MAX_SQL)).toBe(sql);
		expect(parseState(new URLSearchParams(search), vocab, (p) => (p === z ? sql : undefined)).state.sql).toBe(sql);
	});

	it('still opens a link of an earlier release with the SQL as text', () => {
		expect(parseState(new URLSearchParams('sql=SELECT+1'), vocab).state.sql).toBe('SELECT 1');
	});

	it('refuses a damaged, cut or inflating packed query with a notice, never throwing', async () => {
		const z = await packSql('SELECT year, count(*) FROM reports GROUP BY year');
		expect(await unpackSql(z.slice(0, -4), MAX_SQL)).toBeNull();
		expect(await unpackSql('%%%', MAX_SQL)).toBeNull();
		// a few hundred characters that inflate to a megabyte
		const bomb = await packSql('a'.repeat(1_000_000));
		expect(bomb.length).toBeLessThan(MAX_PACKED);
		expect(await unpackSql(bomb, MAX_SQL)).toBeNull();
		const { state, notices } = parseState(new URLSearchParams(`z=${bomb}`), vocab, () => null);
		expect(state.sql).toBe('');
		expect(notices.map((n) => n.code)).toEqual(['bad_sql']);
		expect(parseState(new URLSearchParams(`z=${'A'.repeat(MAX_PACKED + 1)}`), vocab, () => 'SELECT 1').notices.map((n) => n.code)).toEqual(['bad_sql']);
	});
});
