import { describe, expect, it } from 'vitest';
import { parseOrder } from '../src/cli/ingest/pool';

/** pdf.js slows every later parse on its worker (pool.ts): PDFs are parsed last, the other files in their own order. */
describe('the order files are parsed in', () => {
	it('puts PDFs after every other file and keeps each group in its order', () => {
		const tasks = [
			{ path: 'a.pdf', kind: 'document' as const },
			{ path: 'b.txt', kind: 'document' as const },
			{ path: 'c.PDF', kind: 'document' as const },
			{ path: 'd.json', kind: 'record' as const },
			{ path: 'e.html', kind: 'document' as const },
			{ path: 'f.pdf', kind: 'document' as const }
		];
		expect(parseOrder(tasks).map((i) => tasks[i].path)).toEqual(['b.txt', 'd.json', 'e.html', 'a.pdf', 'c.PDF', 'f.pdf']);
		expect(parseOrder([])).toEqual([]);
	});
});
