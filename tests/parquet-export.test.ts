import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { toParquet } from '../src/lib/export/parquet';

describe('Parquet download of a console result', () => {
	it('round-trips text, numbers, nulls and duplicate column names', async () => {
		const buf = toParquet(
			[
				{ name: 'agency', kind: 'string' },
				{ name: 'year', kind: 'number' },
				{ name: 'year', kind: 'number' },
				{ name: 'clean', kind: 'boolean' }
			],
			[
				['周口市公安局', 2023, 0.25, true],
				['平潭综合实验区', null, 1, false]
			]
		);
		const rows = await parquetReadObjects({ file: buf });
		expect(rows).toEqual([
			{ agency: '周口市公安局', year: 2023, year_2: 0.25, clean: true },
			{ agency: '平潭综合实验区', year: null, year_2: 1, clean: false }
		]);
	});
});
