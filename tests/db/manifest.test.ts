import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATASET_SCHEMA_VERSION } from '../../src/lib/dataset/columns';
import { parseManifest } from '../../src/lib/db/decode';
import { LoadError } from '../../src/lib/db/errors';

const bundled = JSON.parse(readFileSync('static/data/manifest.json', 'utf8')) as Record<string, unknown>;

function failure(text: string): LoadError {
	try {
		parseManifest(text);
	} catch (e) {
		if (e instanceof LoadError) return e;
		throw e;
	}
	throw new Error('parseManifest accepted it');
}

describe('parseManifest', () => {
	it('reads the bundled manifest', () => {
		expect(parseManifest(JSON.stringify(bundled)).schema_version).toBe(DATASET_SCHEMA_VERSION);
	});

	it('says a dataset of an older ingest (one file per table) was written by another version, not that it is damaged', () => {
		const files = Object.fromEntries(Object.entries(bundled.files as Record<string, string[]>).map(([t, parts]) => [t, parts[0]]));
		const e = failure(JSON.stringify({ ...bundled, schema_version: 7, files, bytes: undefined }));
		expect(e.code).toBe('manifest_version');
		expect(e.file).toBe('manifest.json');
		expect(e.detail).toContain('schema_version 7');
	});

	it('says the same of a manifest without a schema version, and of a newer one', () => {
		const { schema_version: _dropped, ...rest } = bundled;
		expect(failure(JSON.stringify(rest)).code).toBe('manifest_version');
		expect(failure(JSON.stringify({ ...bundled, schema_version: DATASET_SCHEMA_VERSION + 1 })).code).toBe('manifest_version');
	});

	it('still calls text that is not a manifest damaged', () => {
		expect(failure('{"files":').code).toBe('manifest_invalid');
		expect(failure(JSON.stringify({ ...bundled, files: { ...(bundled.files as object), facts: ['../x.parquet'] } })).code).toBe('manifest_invalid');
	});
});
