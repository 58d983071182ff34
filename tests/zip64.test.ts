/**
 * Zip64 records of the CSV download's zip writer. An archive past 4 GiB is
 * too slow to write in a test, so the writer is made to use every zip64
 * record on a small archive (forceZip64) and the result is read two ways:
 * by the system's `unzip -t`, and by this test's own reader, which follows
 * APPNOTE from the end records to each local header and data descriptor and
 * checks every field it finds against the files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, writeZip } from '../src/cli/ingest/zip';

const work = mkdtempSync(join(tmpdir(), 'nianbao-zip64-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HAS_UNZIP = spawnSync('unzip', ['-v']).status === 0;
if (!HAS_UNZIP) console.log('zip64.test: `unzip` is not installed; the archives are checked with this test’s own reader only');

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

interface Read {
	name: string;
	data: Buffer;
	/** Which records of the entry were zip64. */
	zip64: { local: boolean; central: string[] };
}

/** Reads an archive as APPNOTE 6.3.10 says, classic or zip64; throws on any field that disagrees with another. */
function readZip(zip: Buffer): { entries: Read[]; zip64End: boolean } {
	const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	if (eocd < 0 || eocd + 22 !== zip.length) throw new Error('no end of central directory record at the end');
	let count = zip.readUInt16LE(eocd + 10);
	let size: number = zip.readUInt32LE(eocd + 12);
	let at: number = zip.readUInt32LE(eocd + 16);
	if (zip.readUInt16LE(eocd + 8) !== count) throw new Error('entry counts differ');
	const zip64End = count === MAX16 || size === MAX32 || at === MAX32;
	if (zip64End) {
		const locator = eocd - 20;
		if (zip.readUInt32LE(locator) !== 0x07064b50) throw new Error('no zip64 end locator before the end record');
		if (zip.readUInt32LE(locator + 16) !== 1) throw new Error('locator: not one disk');
		const record = Number(zip.readBigUInt64LE(locator + 8));
		if (zip.readUInt32LE(record) !== 0x06064b50) throw new Error('no zip64 end record where the locator points');
		if (record + 56 !== locator) throw new Error('zip64 end record is not 56 bytes before the locator');
		if (zip.readBigUInt64LE(record + 4) !== 44n) throw new Error('zip64 end record size field');
		if (zip.readUInt16LE(record + 14) < 45) throw new Error('zip64 end record: version needed below 4.5');
		count = Number(zip.readBigUInt64LE(record + 32));
		if (Number(zip.readBigUInt64LE(record + 24)) !== count) throw new Error('zip64 entry counts differ');
		size = Number(zip.readBigUInt64LE(record + 40));
		at = Number(zip.readBigUInt64LE(record + 48));
		if (at + size !== record) throw new Error('central directory does not end at the zip64 end record');
	} else if (at + size !== eocd) throw new Error('central directory does not end at the end record');
	const entries: Read[] = [];
	let p = at;
	for (let i = 0; i < count; i++) {
		if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`central header ${i}: bad signature`);
		const crc = zip.readUInt32LE(p + 16);
		let compressed: number = zip.readUInt32LE(p + 20);
		let length: number = zip.readUInt32LE(p + 24);
		const nameLength = zip.readUInt16LE(p + 28);
		const extraLength = zip.readUInt16LE(p + 30);
		let offset: number = zip.readUInt32LE(p + 42);
		const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
		const central: string[] = [];
		// The zip64 extra field holds, in this order, only the values whose classic field says 0xFFFFFFFF.
		for (let x = p + 46 + nameLength; x < p + 46 + nameLength + extraLength; ) {
			const id = zip.readUInt16LE(x);
			const n = zip.readUInt16LE(x + 2);
			if (id === 1) {
				let v = x + 4;
				const next = () => {
					if (v + 8 > x + 4 + n) throw new Error(`${name}: zip64 extra field too short`);
					const value = Number(zip.readBigUInt64LE(v));
					v += 8;
					return value;
				};
				if (length === MAX32) {
					length = next();
					central.push('size');
				}
				if (compressed === MAX32) {
					compressed = next();
					central.push('compressed');
				}
				if (offset === MAX32) {
					offset = next();
					central.push('offset');
				}
				if (v !== x + 4 + n) throw new Error(`${name}: zip64 extra field longer than its values`);
			}
			x += 4 + n;
		}
		if (central.length && zip.readUInt16LE(p + 6) < 45) throw new Error(`${name}: zip64 values but version needed below 4.5`);
		if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: no local header at ${offset}`);
		const localName = zip.readUInt16LE(offset + 26);
		const localExtra = zip.readUInt16LE(offset + 28);
		if (zip.subarray(offset + 30, offset + 30 + localName).toString('utf8') !== name) throw new Error(`${name}: local name differs`);
		// A local zip64 extra field means the data descriptor's sizes are 8 bytes each (APPNOTE 4.3.9.1).
		let local = false;
		for (let x = offset + 30 + localName; x < offset + 30 + localName + localExtra; x += 4 + zip.readUInt16LE(x + 2)) {
			if (zip.readUInt16LE(x) !== 1) continue;
			local = true;
			if (zip.readUInt32LE(offset + 18) !== MAX32 || zip.readUInt32LE(offset + 22) !== MAX32)
				throw new Error(`${name}: zip64 extra but local sizes not 0xFFFFFFFF`);
			if (zip.readUInt16LE(x + 2) !== 16) throw new Error(`${name}: local zip64 extra field must hold both sizes`);
		}
		const start = offset + 30 + localName + localExtra;
		const data = inflateRawSync(zip.subarray(start, start + compressed));
		if (data.length !== length) throw new Error(`${name}: ${data.length} bytes inflated, central directory says ${length}`);
		if (crc32(data) !== crc) throw new Error(`${name}: CRC differs`);
		const d = start + compressed;
		if (zip.readUInt32LE(d) !== 0x08074b50) throw new Error(`${name}: no data descriptor after the data`);
		if (zip.readUInt32LE(d + 4) !== crc) throw new Error(`${name}: descriptor CRC differs`);
		const [dc, dl] = local ? [Number(zip.readBigUInt64LE(d + 8)), Number(zip.readBigUInt64LE(d + 16))] : [zip.readUInt32LE(d + 8), zip.readUInt32LE(d + 12)];
		if (dc !== compressed || dl !== length) throw new Error(`${name}: descriptor sizes differ from the central directory`);
		entries.push({ name, data, zip64: { local, central } });
		p += 46 + nameLength + extraLength + zip.readUInt16LE(p + 32);
	}
	if (p !== at + size) throw new Error('central directory size differs from its headers');
	return { entries, zip64End };
}

function unzipTest(zip: string): void {
	if (!HAS_UNZIP) return;
	const t = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
	expect(t.status, t.stdout + t.stderr).toBe(0);
}

describe('zip64', () => {
	const dir = join(work, 'files');
	mkdirSync(dir, { recursive: true });
	const big = Buffer.alloc(200_000);
	for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
	writeFileSync(join(dir, 'big.bin'), big);
	writeFileSync(join(dir, 'empty.txt'), '');
	writeFileSync(join(dir, 'zh.csv'), '机关,年份\n平潭,2024\n');
	const entries = [
		{ name: 'big.bin', file: join(dir, 'big.bin') },
		{ name: 'empty.txt', file: join(dir, 'empty.txt') },
		{ name: 'facts.csv', file: join(dir, 'zh.csv'), prefix: new Uint8Array([0xef, 0xbb, 0xbf]) }
	];
	const want = [big, Buffer.alloc(0), Buffer.from('\ufeff机关,年份\n平潭,2024\n')];

	it('forced: every zip64 record written, and unzip -t and an APPNOTE reader both read the files back', async () => {
		const zip = join(work, 'forced.zip');
		await writeZip(zip, entries, new Date(), { forceZip64: true });
		unzipTest(zip);
		const read = readZip(readFileSync(zip));
		expect(read.zip64End).toBe(true);
		expect(read.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
		read.entries.forEach((e, i) => {
			expect(e.data.equals(want[i]), e.name).toBe(true);
			expect(e.zip64).toEqual({ local: true, central: ['size', 'compressed', 'offset'] });
		});
		if (HAS_UNZIP) {
			const out = join(work, 'forced-out');
			expect(spawnSync('unzip', ['-q', '-o', zip, '-d', out]).status).toBe(0);
			expect(readFileSync(join(out, 'facts.csv')).equals(want[2])).toBe(true);
		}
	});

	it('not forced, small: a classic archive with no zip64 record at all', async () => {
		const zip = join(work, 'classic.zip');
		await writeZip(zip, entries);
		unzipTest(zip);
		const bytes = readFileSync(zip);
		const read = readZip(bytes);
		expect(read.zip64End).toBe(false);
		read.entries.forEach((e, i) => {
			expect(e.data.equals(want[i]), e.name).toBe(true);
			expect(e.zip64).toEqual({ local: false, central: [] });
		});
		expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
	});
});
