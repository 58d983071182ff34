import { describe, expect, it } from 'vitest';
import { StatementCache } from '../../src/lib/db/prepared';

/** A connection that counts what it prepares and closes; a text starting with FAIL fails when run. */
function connection() {
	const prepared: string[] = [];
	const closed: string[] = [];
	const prepare = async (text: string) => {
		prepared.push(text);
		return {
			query: async (...params: unknown[]) => {
				if (text.startsWith('FAIL')) throw new Error(`cannot run ${text}`);
				return `${text}(${params.join(',')})`;
			},
			close: async () => void closed.push(text)
		};
	};
	return { prepare, prepared, closed };
}

describe('prepared statements kept by text', () => {
	it('prepares a text once and runs it with each call’s parameters', async () => {
		const c = connection();
		const cache = new StatementCache(c.prepare);
		expect(await cache.run('SELECT ?', [1])).toBe('SELECT ?(1)');
		expect(await Promise.all([cache.run('SELECT ?', [2]), cache.run('SELECT ?', [3])])).toEqual(['SELECT ?(2)', 'SELECT ?(3)']);
		expect(c.prepared).toEqual(['SELECT ?']);
		expect(c.closed).toEqual([]);
	});

	it('closes the least recently used beyond its limit, and prepares it again when asked', async () => {
		const c = connection();
		const cache = new StatementCache(c.prepare, 2);
		await cache.run('a', []);
		await cache.run('b', []);
		await cache.run('a', []);
		await cache.run('c', []);
		await new Promise((r) => setTimeout(r, 0));
		expect(c.closed).toEqual(['b']);
		expect(cache.size).toBe(2);
		await cache.run('b', []);
		expect(c.prepared).toEqual(['a', 'b', 'c', 'b']);
	});

	it('drops a statement whose run failed, and says why', async () => {
		const c = connection();
		const cache = new StatementCache(c.prepare);
		await expect(cache.run('FAIL x', [])).rejects.toThrow('cannot run FAIL x');
		await expect(cache.run('FAIL x', [])).rejects.toThrow('cannot run FAIL x');
		expect(c.prepared).toEqual(['FAIL x', 'FAIL x']);
		expect(cache.size).toBe(0);
	});
});
