/**
 * A tiny PDF writer for test and bench fixtures: text at given positions, no embedded
 * fonts. ASCII strings use Helvetica; anything else a Type0 CID font
 * (STSong-Light, Adobe-GB1, UniGB-UCS2-H — or -V for vertical text) that
 * pdf.js reads with its bundled CMaps. Also: line drawing, a grey image (a
 * "scan"), an Info /Title, and a fake /Encrypt dictionary.
 */

export interface PdfText {
	/** Left of the text, in points from the left edge. */
	x: number;
	/** Baseline, in points from the bottom edge (PDF space). For vertical text: the top of the first glyph. */
	y: number;
	text: string;
	size?: number;
	/** Top-to-bottom writing (UniGB-UCS2-V), as a merged label cell in a Word table. */
	vertical?: boolean;
}

export interface PdfPage {
	width?: number;
	height?: number;
	texts?: PdfText[];
	/** Line segments [x1, y1, x2, y2] (table rules). */
	lines?: [number, number, number, number][];
	/** Paint a full-page grey image and nothing else: a scanned page. */
	scan?: boolean;
}

export interface PdfSpec {
	pages: PdfPage[];
	/** Info dictionary /Title. */
	title?: string;
	/** Add an /Encrypt dictionary whose user password is not empty. */
	encrypted?: boolean;
}

const enc = new TextEncoder();

function latin1(s: string): Uint8Array {
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
	return out;
}

function utf16beHex(s: string, bom = false): string {
	let hex = bom ? 'FEFF' : '';
	for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
	return `<${hex}>`;
}

function pdfString(s: string): string {
	return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

function fmt(n: number): string {
	return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

/** Build the PDF file. */
export function writePdf(spec: PdfSpec): Uint8Array {
	const objects: (Uint8Array | string)[] = [];
	const add = (body: Uint8Array | string): number => {
		objects.push(body);
		return objects.length;
	};
	const stream = (dict: string, data: Uint8Array): Uint8Array => {
		const head = latin1(`<< ${dict} /Length ${data.length} >>\nstream\n`);
		const tail = latin1('\nendstream');
		const out = new Uint8Array(head.length + data.length + tail.length);
		out.set(head);
		out.set(data, head.length);
		out.set(tail, head.length + data.length);
		return out;
	};

	const catalog = add('');
	const pagesId = add('');
	const helv = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
	const descriptor = add(
		'<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>'
	);
	const cid = add(
		`<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [1 95 500] >>`
	);
	const songH = add(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [${cid} 0 R] >>`);
	const songV = add(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-V /Encoding /UniGB-UCS2-V /DescendantFonts [${cid} 0 R] >>`);
	const resources = `/Font << /F1 ${helv} 0 R /F2 ${songH} 0 R /F3 ${songV} 0 R >>`;

	const kids: number[] = [];
	for (const page of spec.pages) {
		const w = page.width ?? 595;
		const h = page.height ?? 842;
		const ops: string[] = [];
		let xobjects = '';
		if (page.scan) {
			const side = 16;
			const pixels = new Uint8Array(side * side);
			for (let i = 0; i < pixels.length; i++) pixels[i] = 180 + ((i * 37) % 60);
			const image = add(stream(`/Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8`, pixels));
			xobjects = ` /XObject << /Im1 ${image} 0 R >>`;
			ops.push(`q ${fmt(w)} 0 0 ${fmt(h)} 0 0 cm /Im1 Do Q`);
		}
		for (const [x1, y1, x2, y2] of page.lines ?? []) ops.push(`${fmt(x1)} ${fmt(y1)} m ${fmt(x2)} ${fmt(y2)} l S`);
		for (const t of page.texts ?? []) {
			const size = t.size ?? 10;
			if (t.vertical) ops.push(`BT /F3 ${fmt(size)} Tf 1 0 0 1 ${fmt(t.x)} ${fmt(t.y)} Tm ${utf16beHex(t.text)} Tj ET`);
			else if (isAscii(t.text)) ops.push(`BT /F1 ${fmt(size)} Tf 1 0 0 1 ${fmt(t.x)} ${fmt(t.y)} Tm ${pdfString(t.text)} Tj ET`);
			else ops.push(`BT /F2 ${fmt(size)} Tf 1 0 0 1 ${fmt(t.x)} ${fmt(t.y)} Tm ${utf16beHex(t.text)} Tj ET`);
		}
		const content = add(stream('', latin1(ops.join('\n'))));
		kids.push(
			add(`<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${fmt(w)} ${fmt(h)}] /Resources << ${resources}${xobjects} >> /Contents ${content} 0 R >>`)
		);
	}
	objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesId} 0 R >>`;
	objects[pagesId - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
	const info = spec.title ? add(`<< /Title ${utf16beHex(spec.title, true)} /Producer (nianbao tests) >>`) : undefined;
	const encrypt = spec.encrypted ? add(`<< /Filter /Standard /V 1 /R 2 /O <${'6F'.repeat(32)}> /U <${'3C'.repeat(32)}> /P -44 >>`) : undefined;

	const chunks: Uint8Array[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
	let offset = chunks[0].length;
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(offset);
		const head = latin1(`${i + 1} 0 obj\n`);
		const data = typeof body === 'string' ? enc.encode(body) : body;
		const tail = latin1('\nendobj\n');
		chunks.push(head, data, tail);
		offset += head.length + data.length + tail.length;
	});
	const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
	const id = `<${'0123456789ABCDEF'.repeat(2)}>`;
	const trailer =
		`trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R` +
		(info ? ` /Info ${info} 0 R` : '') +
		(encrypt ? ` /Encrypt ${encrypt} 0 R` : '') +
		` /ID [${id} ${id}] >>\nstartxref\n${offset}\n%%EOF\n`;
	chunks.push(latin1(xref), latin1(trailer));
	const total = chunks.reduce((n, c) => n + c.length, 0);
	const out = new Uint8Array(total);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}

/** Advance of a string in the writer's fonts: CJK 1 em, ASCII ½ em, Helvetica digits 0.556 em. */
function widthOf(text: string, size: number): number {
	const ascii = /^[\x20-\x7e]*$/.test(text);
	let w = 0;
	for (const ch of text) w += ascii ? (/[0-9]/.test(ch) ? 0.556 : ch === '.' ? 0.278 : 0.5) : ch.charCodeAt(0) < 0x80 ? 0.5 : 1;
	return w * size;
}

/** `text` centred on `centre` at baseline `y` (size 9: the generated reports' body text). */
export function centred(text: string, centre: number, y: number, size = 9): PdfText {
	return { x: centre - widthOf(text, size) / 2, y, text, size };
}
