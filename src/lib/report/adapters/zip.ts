import { ReportError } from '../errors';
import { crc32 } from './crc32';
import { inflated, inflatedSize } from './inflate';

/**
 * Bounds on a .docx (a zip) checked before anything inflates it. mammoth
 * (through JSZip) inflates whole parts into memory, so a 1 MB zip whose
 * document.xml inflates to 300 MB would take gigabytes. Here the central
 * directory is read first (entry count, declared sizes), then every
 * compressed entry is inflated once as a stream that only counts bytes and
 * stops at the cap, because declared sizes can lie. Memory stays at one
 * stream chunk whatever the zip says. Pure TypeScript (DecompressionStream
 * exists in Node ≥ 18 and every current browser).
 */

/** Real reports inflate to a few MB (60 pages, images included); the cap leaves wide room. */
export const MAX_INFLATED_BYTES = 200 * 1024 * 1024;
/** A .docx has tens of parts; thousands are no Word document. */
export const MAX_ZIP_ENTRIES = 5000;

interface ZipEntry {
	name: string;
	method: number;
	crc: number;
	compressedSize: number;
	declaredSize: number;
	localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DEFLATE = 8;
/** 2024-01-01, time 00:00, in every header written: archives of the same entries are the same bytes. */
const DOS_DATE = 0x5821;

const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

/** Offset of the end-of-central-directory record, searched from the end as unzip tools do. */
function findEocd(view: DataView): number {
	const last = view.byteLength - 22;
	for (let i = last; i >= Math.max(0, last - 0xffff); i--) if (view.getUint32(i, true) === EOCD) return i;
	return -1;
}

/** The central directory's entries; undefined when there is none to read (mammoth then says the file is broken). */
function readEntries(bytes: Uint8Array): ZipEntry[] | undefined {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const eocd = findEocd(view);
	if (eocd < 0) return undefined;
	const declaredCount = view.getUint16(eocd + 10, true);
	const start = view.getUint32(eocd + 16, true);
	// ZIP64 markers: no Word report comes near 65,535 parts or 4 GB.
	if (declaredCount === 0xffff || start === 0xffffffff)
		throw new ReportError('too_many_entries', `Word 文件的 zip 目录使用 ZIP64（超过 65535 个部件或 4 GB），不像一份年度报告`);
	if (declaredCount > MAX_ZIP_ENTRIES) throw tooManyEntries(declaredCount);
	const entries: ZipEntry[] = [];
	let at = start;
	const decoder = new TextDecoder();
	while (at + 46 <= eocd && view.getUint32(at, true) === CENTRAL) {
		if (entries.length >= MAX_ZIP_ENTRIES) throw tooManyEntries(entries.length + 1);
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		entries.push({
			method: view.getUint16(at + 10, true),
			crc: view.getUint32(at + 16, true),
			compressedSize: view.getUint32(at + 20, true),
			declaredSize: view.getUint32(at + 24, true),
			localOffset: view.getUint32(at + 42, true),
			name: decoder.decode(bytes.subarray(at + 46, Math.min(at + 46 + nameLength, bytes.length)))
		});
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

function tooManyEntries(count: number): ReportError {
	return new ReportError(
		'too_many_entries',
		`Word 文件的 zip 里有 ${count >= MAX_ZIP_ENTRIES ? `超过 ${MAX_ZIP_ENTRIES}` : count} 个部件（上限 ${MAX_ZIP_ENTRIES}），不像一份年度报告`
	);
}

function tooLarge(what: string): ReportError {
	return new ReportError('inflated_too_large', `Word 文件解压后过大：${what}，上限 ${mb(MAX_INFLATED_BYTES)}；可能是“压缩炸弹”，不予读取`);
}

/** An entry's compressed bytes, where its local header says they start. */
function entryData(bytes: Uint8Array, e: ZipEntry): Uint8Array | undefined {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (e.localOffset + 30 > bytes.length || view.getUint32(e.localOffset, true) !== LOCAL) return undefined;
	const from = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
	return bytes.subarray(from, Math.min(from + e.compressedSize, bytes.length));
}

/**
 * Throw a ReportError when the zip has too many entries or inflates (as
 * declared, or in fact) past MAX_INFLATED_BYTES in total. A zip without a
 * readable directory passes: mammoth refuses it with its own message.
 */
export async function checkZipBounds(bytes: Uint8Array): Promise<void> {
	const entries = readEntries(bytes);
	if (!entries) return;
	const declared = entries.reduce((a, e) => a + e.declaredSize, 0);
	if (declared > MAX_INFLATED_BYTES) {
		const biggest = entries.reduce((a, e) => (e.declaredSize > a.declaredSize ? e : a));
		throw tooLarge(`各部件声明解压后共 ${mb(declared)}（最大的是 ${biggest.name}，${mb(biggest.declaredSize)}）`);
	}
	let total = 0;
	for (const e of entries) {
		const data = entryData(bytes, e);
		if (!data) continue;
		total += e.method === DEFLATE ? await inflatedSize(data, 'deflate-raw', MAX_INFLATED_BYTES - total) : data.byteLength;
		if (total > MAX_INFLATED_BYTES) throw tooLarge(`解压到 ${e.name} 时已超过上限（zip 目录声明的大小不实）`);
	}
}

/** An entry's content, inflated; undefined where the zip has no such entry, or one we cannot read (its reader then says so). Bounds first: checkZipBounds. */
export async function readEntry(bytes: Uint8Array, name: string): Promise<Uint8Array | undefined> {
	const e = readEntries(bytes)?.find((x) => x.name === name);
	const data = e && entryData(bytes, e);
	if (!e || !data) return undefined;
	if (e.method === 0) return data;
	return e.method === DEFLATE ? inflated(data) : undefined;
}

/** One entry for packZip: its bytes as they go in the archive (stored or deflated) and what they hold. */
export interface PackedEntry {
	name: string;
	/** 0 stored, 8 deflate. */
	method: number;
	crc: number;
	/** The bytes written: the content itself (stored) or its raw deflate stream. */
	data: Uint8Array;
	/** The content's own length. */
	size: number;
}

/**
 * Entries → a zip archive: local headers with sizes (no data descriptors),
 * UTF-8 names, one fixed timestamp, no zip64. Both the rebuilt .docx below
 * and the test writer's (synthetic/docx-writer.ts) are packed here.
 */
export function packZip(entries: readonly PackedEntry[]): Uint8Array {
	const encoder = new TextEncoder();
	const parts: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	for (const { name, method, crc, data, size } of entries) {
		const fileName = encoder.encode(name);
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, LOCAL, true);
		local.setUint16(4, 20, true); // version needed
		local.setUint16(6, 0x0800, true); // UTF-8 names
		local.setUint16(8, method, true);
		local.setUint16(12, DOS_DATE, true);
		local.setUint32(14, crc, true);
		local.setUint32(18, data.length, true);
		local.setUint32(22, size, true);
		local.setUint16(26, fileName.length, true);
		parts.push(new Uint8Array(local.buffer), fileName, data);
		const dir = new DataView(new ArrayBuffer(46));
		dir.setUint32(0, CENTRAL, true);
		dir.setUint16(4, 20, true);
		dir.setUint16(6, 20, true);
		dir.setUint16(8, 0x0800, true);
		dir.setUint16(10, method, true);
		dir.setUint16(14, DOS_DATE, true);
		dir.setUint32(16, crc, true);
		dir.setUint32(20, data.length, true);
		dir.setUint32(24, size, true);
		dir.setUint16(28, fileName.length, true);
		dir.setUint32(42, offset, true);
		central.push(new Uint8Array(dir.buffer), fileName);
		offset += 30 + fileName.length + data.length;
	}
	const centralSize = central.reduce((n, c) => n + c.length, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, EOCD, true);
	end.setUint16(8, entries.length, true);
	end.setUint16(10, entries.length, true);
	end.setUint32(12, centralSize, true);
	end.setUint32(16, offset, true);
	const all = [...parts, ...central, new Uint8Array(end.buffer)];
	const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of all) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/**
 * The zip rebuilt with one entry's content replaced (stored, not compressed),
 * every other entry's compressed bytes copied as they are, with local headers
 * written from the central directory (no data descriptors). Undefined where
 * the directory cannot be read.
 */
export function replaceEntry(bytes: Uint8Array, name: string, content: Uint8Array): Uint8Array | undefined {
	const entries = readEntries(bytes);
	if (!entries?.some((e) => e.name === name)) return undefined;
	const packed: PackedEntry[] = [];
	for (const e of entries) {
		if (e.name === name) {
			packed.push({ name, method: 0, crc: crc32(content), data: content, size: content.length });
			continue;
		}
		const data = entryData(bytes, e);
		if (!data) return undefined;
		packed.push({ name: e.name, method: e.method, crc: e.crc, data, size: e.declaredSize });
	}
	return packZip(packed);
}
