import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { checkIPC, toIPC } from '../../src/lib/db/arrow';
import { LoadError } from '../../src/lib/db/errors';
import { START_COLUMNS } from '../../src/lib/db/start';

/** agency_years rows as the build writes them (lib/server/start.ts), three agencies. */
function agencyYears(): Uint8Array {
	const columns = Object.fromEntries(START_COLUMNS.agency_years.map(([n]) => [n, [null, null, null] as (string | number | null)[]]));
	columns.agency_id = ['a1', 'a2', 'a1'];
	columns.rank = [0, 1, 0];
	columns.years = [2 ** 19, 2 ** 20 + 2 ** 21, 0];
	return toIPC({ table: 'agency_years', rows: 3, columns });
}

const codeOf = (f: () => unknown) => {
	try {
		f();
		return null;
	} catch (e) {
		return e instanceof LoadError ? [e.code, e.file] : String(e);
	}
};

describe('start tables as Arrow IPC (db/arrow.ts)', () => {
	it('writes the table’s columns in order, values and nulls as given', () => {
		const t = tableFromIPC(agencyYears());
		expect(t.schema.fields.map((f) => f.name)).toEqual(START_COLUMNS.agency_years.map(([n]) => n));
		expect(t.getChild('agency_id')!.toArray()).toEqual(['a1', 'a2', 'a1']);
		expect([...t.getChild('years')!.toArray()]).toEqual([2 ** 19, 2 ** 20 + 2 ** 21, 0]);
		expect(t.getChild('province')!.get(0)).toBeNull();
	});

	it('counts the rows of a stream of the table, without decoding them', () => {
		expect(checkIPC('agency_years', 'start/agency_years.arrow', agencyYears())).toBe(3);
	});

	it('names the file when a stream is not Arrow or is another table’s', () => {
		expect(codeOf(() => checkIPC('agency_years', 'start/agency_years.arrow', new TextEncoder().encode('PAR1 not arrow PAR1')))).toEqual([
			'file_corrupt',
			'start/agency_years.arrow'
		]);
		expect(codeOf(() => checkIPC('overview_cube', 'start/overview_cube.arrow', agencyYears()))).toEqual(['file_columns', 'start/overview_cube.arrow']);
	});
});
