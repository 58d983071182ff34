import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { precompress } from '../src/cli/site/precompress';

// The build's precompressed copies: brotli 11 for the site's own files, a
// fast level for the data files it generates by the hundred (a million
// reports' answer shards took the 1M build past 20 min at level 11).

const dir = mkdtempSync(join(tmpdir(), 'nianbao-precompress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const brotli = (d: Buffer, quality: number) =>
	brotliCompressSync(d, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: d.length } });

describe('precompressed copies', () => {
	it('compresses generated data shards at the fast level and the site’s own files at the best', async () => {
		const site = join(dir, 'build');
		// Text that compresses differently at levels 5 and 11.
		const text = Buffer.from(
			JSON.stringify(
				Array.from({ length: 400 }, (_, i) => ({ id: `a${(i * 7919) % 1000}`, year: 2015 + (i % 9), value: (i * 31) % 97, name: `机关${i % 13}` }))
			)
		);
		for (const d of ['answers', 'directory', '_app']) mkdirSync(join(site, d), { recursive: true });
		const files = {
			answer: 'answers/agencies-3.json',
			views: 'answers/views.json',
			shard: 'directory/ids-0.json',
			whole: 'directory/agencies.json',
			app: '_app/app.json'
		};
		for (const f of Object.values(files)) writeFileSync(join(site, f), text);
		expect(brotli(text, 5).equals(brotli(text, 11))).toBe(false);
		await precompress(site, join(dir, 'cache'));
		const br = (f: string) => readFileSync(join(site, `${f}.br`));
		for (const f of [files.answer, files.views, files.shard]) expect(br(f).equals(brotli(text, 5))).toBe(true);
		for (const f of [files.whole, files.app]) expect(br(f).equals(brotli(text, 11))).toBe(true);
		for (const f of Object.values(files)) expect(brotliDecompressSync(br(f)).equals(text)).toBe(true);
	});
});
