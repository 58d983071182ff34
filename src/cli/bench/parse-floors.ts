import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { decodeBytes } from '../../lib/report/decode';
import { parseReport, parseReportFile } from '../../lib/report/index';
import { recordDocx } from '../../lib/synthetic/docx-writer';
import { generateRecord, generateReport } from '../../lib/synthetic/index';
import { rate, type Pair } from './measure';

/**
 * Parse figures (one core, reports per CPU second) and their floors:
 *
 * - HTML: decoding the bytes and running htmlparser2 over the text with no
 *   handler: what any HTML reading costs before it looks at a report;
 * - PDF: pdf.js getTextContent on every page, the text before any layout;
 * - text: no floor below it is meaningful; its target is 2,000/s.
 */

interface Input {
	bytes: Uint8Array;
	name: string;
}

function tokenizeFloor(x: Input): void {
	const p = new Parser({}, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
	p.write(decodeBytes(x.bytes).text);
	p.end();
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** pdf.js as the adapter loads it (no worker, CMaps from the package), for getTextContent alone. */
async function pdfFloor(): Promise<(x: Input) => Promise<void>> {
	const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
	(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
	const dir = createRequire(import.meta.url)
		.resolve('pdfjs-dist/package.json')
		.replace(/package\.json$/, '');
	class Files {
		async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
			return new Uint8Array(readFileSync(join(dir, kind === 'cMapUrl' ? 'cmaps' : 'standard_fonts', filename)));
		}
	}
	return async (x) => {
		const task = pdfjs.getDocument({
			data: new Uint8Array(x.bytes),
			cMapUrl: join(dir, 'cmaps') + '/',
			cMapPacked: true,
			standardFontDataUrl: join(dir, 'standard_fonts') + '/',
			BinaryDataFactory: Files,
			useWorkerFetch: false,
			isEvalSupported: false,
			disableFontFace: true,
			useSystemFonts: false,
			verbosity: 0
		} as Parameters<PdfJs['getDocument']>[0]);
		const pdf = await task.promise;
		for (let p = 1; p <= pdf.numPages; p++) {
			const page = await pdf.getPage(p);
			await page.getTextContent();
			page.cleanup();
		}
		await pdf.destroy();
	};
}

export async function parsePairs(rounds: number, seconds: number, log: (s: string) => void): Promise<Pair[]> {
	registerDocumentAdapters();
	const corpus = join('..', 'shared', 'corpus', 'reports');
	const files = existsSync(corpus) ? readdirSync(corpus).filter((f) => !f.endsWith('.json')) : [];
	const pick = (re: RegExp): Input[] => files.filter((f) => re.test(f)).map((f) => ({ bytes: readFileSync(join(corpus, f)), name: f }));
	const html = pick(/\.html?$/);
	const text = pick(/\.txt$/);
	const pdf = pick(/\.pdf$/);
	const gen = (format: 'text' | 'html'): Input[] =>
		Array.from({ length: 200 }, (_, i) => {
			const g = generateReport(i + 1, { format, noise: 0.3, encoding: i % 4 === 0 ? 'gbk' : 'utf-8', index: i + 1 });
			return { bytes: g.bytes, name: g.fileName };
		});
	const genText = gen('text');
	const genHtml = gen('html');
	const docx = Array.from({ length: 50 }, (_, i) => ({ bytes: recordDocx(generateRecord(i + 1, { index: i + 1 })), name: `g${i + 1}.docx` }));
	const kb = (xs: Input[]) => Math.round(xs.reduce((a, x) => a + x.bytes.length, 0) / Math.max(1, xs.length) / 1024);
	const sync = (x: Input) => parseReport(x.bytes, x.name);
	const any = (x: Input) => parseReportFile(x.bytes, x.name);
	const pdfText = pdf.length ? await pdfFloor() : null;

	const pairs: Pair[] = [];
	const pair = (what: string, floorWhat: string, target?: string): Pair => {
		const p: Pair = { what, unit: '/s', figure: [], floorWhat, floor: [], higherIsBetter: true, target };
		pairs.push(p);
		return p;
	};
	const htmlPair = html.length ? pair(`HTML parse, ${html.length} real CMS pages (~${kb(html)} KB)`, 'decode + htmlparser2 tokenize', '≥ 0.5') : null;
	const textPair = text.length ? pair(`text parse, real report (~${kb(text)} KB)`, '—', '≥ 2,000/s') : null;
	const genTextPair = pair('text parse, 200 generated (noise 0.3, ¼ GBK)', '—', '≥ 2,000/s');
	const genHtmlPair = pair('HTML parse, 200 generated (noise 0.3, ¼ GBK)', 'decode + htmlparser2 tokenize');
	const pdfPair = pdfText ? pair(`PDF parse, ${pdf.length} real reports`, 'pdf.js getTextContent, every page') : null;
	const docxPair = pair('Word .docx parse, 50 generated', '—');

	// Warm-up: JIT and pdf.js loading are not what is measured.
	for (const x of [...html, ...text, ...genText.slice(0, 20), ...genHtml.slice(0, 20)]) sync(x);
	for (const x of [...pdf, ...docx.slice(0, 5)]) await any(x);
	for (let r = 0; r < rounds; r++) {
		log(`bench: parse round ${r + 1}/${rounds}`);
		if (htmlPair) {
			htmlPair.figure.push(await rate(html, sync, seconds));
			htmlPair.floor.push(await rate(html, tokenizeFloor, seconds));
		}
		if (textPair) textPair.figure.push(await rate(text, sync, seconds));
		genTextPair.figure.push(await rate(genText, sync, seconds));
		genHtmlPair.figure.push(await rate(genHtml, sync, seconds));
		genHtmlPair.floor.push(await rate(genHtml, tokenizeFloor, seconds));
		if (pdfPair && pdfText) {
			pdfPair.figure.push(await rate(pdf, any, seconds * 2));
			pdfPair.floor.push(await rate(pdf, pdfText, seconds * 2));
		}
		docxPair.figure.push(await rate(docx, any, seconds));
	}
	return pairs;
}
