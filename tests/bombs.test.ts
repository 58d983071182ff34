import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeflate, createDeflateRaw, type Deflate, type DeflateRaw } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { registerDocumentAdapters } from '../src/lib/report/adapters/index';
import { MAX_PDF_PAGES } from '../src/lib/report/adapters/pdf/bounds';
import { MAX_ZIP_ENTRIES } from '../src/lib/report/adapters/zip';
import { parseReportFile, ReportError } from '../src/lib/report/index';
import { writeDocx } from '../src/lib/synthetic/docx-writer';
import { writePdf } from '../src/lib/synthetic/pdf-writer';
import { runCli } from './helpers/cli';

/**
 * Compression bombs and page floods (issue 13, items 3 and 4): each is
 * refused with its own ReportError code before the parser holds the inflated
 * bytes. The bombs are built here, never committed.
 */

registerDocumentAdapters();

const MB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'nianbao-bombs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function parseError(bytes: Uint8Array, name: string): Promise<ReportError> {
	try {
		await parseReportFile(bytes, name);
	} catch (e) {
		expect(e).toBeInstanceOf(ReportError);
		return e as ReportError;
	}
	throw new Error(`${name} parsed without an error`);
}

/** `head`, then `size` bytes of `fill`, then `tail`, through a zlib compressor, streamed (the bomb never sits in memory). */
async function compressed(stream: Deflate | DeflateRaw, head: string, size: number, tail: string, fill = 0x61): Promise<Uint8Array> {
	const out: Buffer[] = [];
	stream.on('data', (c: Buffer) => out.push(c));
	const done = new Promise((resolve) => stream.on('end', resolve));
	const chunk = Buffer.alloc(MB, fill);
	stream.write(head);
	for (let i = 0; i < size / MB; i++) if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
	stream.end(tail);
	await done;
	return new Uint8Array(Buffer.concat(out));
}

interface Entry {
	name: string;
	data: Uint8Array;
	method: 0 | 8;
	/** What the directory claims the entry inflates to. */
	declared: number;
}

/** A zip archive from prepared entries (CRC left 0: every test here is refused before a CRC is checked). */
function zipOf(entries: Entry[]): Uint8Array {
	const enc = new TextEncoder();
	const parts: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = enc.encode(e.name);
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, 0x04034b50, true);
		local.setUint16(4, 20, true);
		local.setUint16(8, e.method, true);
		local.setUint32(18, e.data.length, true);
		local.setUint32(22, e.declared, true);
		local.setUint16(26, name.length, true);
		parts.push(new Uint8Array(local.buffer), name, e.data);
		const dir = new DataView(new ArrayBuffer(46));
		dir.setUint32(0, 0x02014b50, true);
		dir.setUint16(4, 20, true);
		dir.setUint16(6, 20, true);
		dir.setUint16(10, e.method, true);
		dir.setUint32(20, e.data.length, true);
		dir.setUint32(24, e.declared, true);
		dir.setUint16(28, name.length, true);
		dir.setUint32(42, offset, true);
		central.push(new Uint8Array(dir.buffer), name);
		offset += 30 + name.length + e.data.length;
	}
	const size = central.reduce((n, c) => n + c.length, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, 0x06054b50, true);
	end.setUint16(8, Math.min(entries.length, 0xfffe), true);
	end.setUint16(10, Math.min(entries.length, 0xfffe), true);
	end.setUint32(12, size, true);
	end.setUint32(16, offset, true);
	return new Uint8Array(Buffer.concat([...parts, ...central, new Uint8Array(end.buffer)]));
}

const DOCUMENT_HEAD =
	'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>';
const DOCUMENT_TAIL = '</w:t></w:r></w:p></w:body></w:document>';
const CONTENT_TYPES =
	'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
	'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

const stored = (name: string, text: string): Entry => {
	const data = new TextEncoder().encode(text);
	return { name, data, method: 0, declared: data.length };
};

/** A .docx whose word/document.xml inflates to 300 MB; `declared` is what its directory says. */
async function docxBomb(declared: 'honest' | 'lying'): Promise<Uint8Array> {
	const size = 300 * MB;
	const data = await compressed(createDeflateRaw({ level: 9 }), DOCUMENT_HEAD, size, DOCUMENT_TAIL);
	const real = size + DOCUMENT_HEAD.length + DOCUMENT_TAIL.length;
	return zipOf([
		stored('[Content_Types].xml', CONTENT_TYPES),
		stored('_rels/.rels', RELS),
		{ name: 'word/document.xml', data, method: 8, declared: declared === 'honest' ? real : 4096 }
	]);
}

describe('a .docx zip bomb', () => {
	it('whose directory declares 300 MB is refused before anything is inflated', async () => {
		const bytes = await docxBomb('honest');
		expect(bytes.length).toBeLessThan(2 * MB);
		const e = await parseError(bytes, 'bomb.docx');
		expect(e.code).toBe('inflated_too_large');
		expect(e.message).toContain('word/document.xml');
		expect(e.message).toContain('300 MB');
		expect(e.message).toContain('上限 200 MB');
	});

	it('whose directory lies about the size is stopped while inflating, at the cap', async () => {
		const e = await parseError(await docxBomb('lying'), 'bomb.docx');
		expect(e.code).toBe('inflated_too_large');
		expect(e.message).toContain('word/document.xml');
		expect(e.message).toContain('声明的大小不实');
	});

	it(`with more than ${MAX_ZIP_ENTRIES} entries is refused`, async () => {
		const entries = [
			stored('[Content_Types].xml', CONTENT_TYPES),
			stored('_rels/.rels', RELS),
			stored('word/document.xml', DOCUMENT_HEAD + 'x' + DOCUMENT_TAIL)
		];
		for (let i = 0; entries.length <= MAX_ZIP_ENTRIES; i++) entries.push(stored(`word/media/e${i}.xml`, '<a/>'));
		const e = await parseError(zipOf(entries), 'many.docx');
		expect(e.code).toBe('too_many_entries');
		expect(e.message).toContain(`上限 ${MAX_ZIP_ENTRIES}`);
	});

	it('a real Word report still passes the bounds', async () => {
		const e = await parseError(writeDocx([{ p: '没有表格的文档' }]), 'plain.docx');
		expect(e.code).not.toMatch(/inflated_too_large|too_many_entries/);
	});

	it('`parse bomb.docx` ends with the message in a 256 MB heap', async () => {
		const path = join(work, 'bomb.docx');
		writeFileSync(path, await docxBomb('lying'));
		const r = runCli(['parse', path], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
		expect(r.code, r.stderr).toBe(1);
		expect(r.stderr).toContain('Word 文件解压后过大');
		expect(r.stderr).not.toMatch(/heap|FATAL|Allocation failed/i);
	});
});

/** A one-page PDF whose content is `streams` streams of `size` bytes of spaces each, Flate-compressed. */
async function pdfBomb(size: number, streams = 1): Promise<Uint8Array> {
	const data = await compressed(createDeflate({ level: 9 }), 'BT ', size, ' ET', 0x20);
	const enc = new TextEncoder();
	const contents = Array.from({ length: streams }, (_, i) => `${i + 4} 0 R`).join(' ');
	const objects: Uint8Array[] = [
		enc.encode('<< /Type /Catalog /Pages 2 0 R >>'),
		enc.encode('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
		enc.encode(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [${contents}] >>`),
		...Array.from({ length: streams }, () =>
			Buffer.concat([enc.encode(`<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`), data, enc.encode('\nendstream')])
		)
	];
	const chunks: Uint8Array[] = [enc.encode('%PDF-1.7\n')];
	let at = chunks[0].length;
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(at);
		const piece = Buffer.concat([enc.encode(`${i + 1} 0 obj\n`), body, enc.encode('\nendobj\n')]);
		chunks.push(piece);
		at += piece.length;
	});
	const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	chunks.push(enc.encode(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
	return new Uint8Array(Buffer.concat(chunks));
}

describe('PDF bombs and floods', () => {
	it('a Flate stream that inflates to 300 MB is refused before pdf.js decodes it', async () => {
		const e = await parseError(await pdfBomb(300 * MB), 'bomb.pdf');
		expect(e.code).toBe('inflated_too_large');
		expect(e.message).toContain('PDF 解压后过大');
		expect(e.message).toContain('200 MB');
	});

	it('Flate streams that inflate to 80 MB each, 240 MB together, are refused: the cap is on their sum, not on each', async () => {
		const e = await parseError(await pdfBomb(80 * MB, 3), 'bombs.pdf');
		expect(e.code).toBe('inflated_too_large');
		expect(e.message).toContain('200 MB');
	});

	it(`a PDF of more than ${MAX_PDF_PAGES} pages is refused before its pages are read`, async () => {
		const pages = Array.from({ length: MAX_PDF_PAGES + 1 }, () => ({ texts: [{ x: 50, y: 800, text: 'page' }] }));
		const e = await parseError(writePdf({ pages }), 'long.pdf');
		expect(e.code).toBe('too_many_pages');
		expect(e.message).toContain(`PDF 有 ${MAX_PDF_PAGES + 1} 页`);
	});

	it('a small Flate stream passes the bounds', async () => {
		const e = await parseError(await pdfBomb(MB), 'small.pdf');
		expect(e.code).not.toMatch(/inflated_too_large|too_many_pages/);
	});
});
