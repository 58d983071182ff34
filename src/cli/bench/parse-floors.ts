import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
 *
 * Each format is measured in a fresh process of its own (parsePairs).
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

/**
 * The formats measured apart, each in a fresh process of its own: pdf.js,
 * once loaded, slows every later parse in its process (text by about 40%),
 * so a figure measured after it would report pdf.js's residue, not the parser.
 */
export const PARSE_GROUPS = ['html', 'text', 'pdf', 'docx'] as const;
export type ParseGroup = (typeof PARSE_GROUPS)[number];

/** One group's pairs, measured in this process: figure and floor interleaved, round by round. */
export async function groupPairs(group: ParseGroup, rounds: number, seconds: number, log: (s: string) => void): Promise<Pair[]> {
	registerDocumentAdapters();
	const corpus = join('..', 'shared', 'corpus', 'reports');
	const files = existsSync(corpus) ? readdirSync(corpus).filter((f) => !f.endsWith('.json')) : [];
	const pick = (re: RegExp): Input[] => files.filter((f) => re.test(f)).map((f) => ({ bytes: readFileSync(join(corpus, f)), name: f }));
	const gen = (format: 'text' | 'html'): Input[] =>
		Array.from({ length: 200 }, (_, i) => {
			const g = generateReport(i + 1, { format, noise: 0.3, encoding: i % 4 === 0 ? 'gbk' : 'utf-8', index: i + 1 });
			return { bytes: g.bytes, name: g.fileName };
		});
	const kb = (xs: Input[]) => Math.round(xs.reduce((a, x) => a + x.bytes.length, 0) / Math.max(1, xs.length) / 1024);
	const sync = (x: Input) => parseReport(x.bytes, x.name);
	const any = (x: Input) => parseReportFile(x.bytes, x.name);

	const pairs: Pair[] = [];
	/** A figure, its floor (none: '—') and how each is measured; a warm-up round first (JIT and module loading are not what is measured). */
	const steps: { pair: Pair; inputs: Input[]; fn: (x: Input) => unknown; floor?: (x: Input) => unknown; seconds: number }[] = [];
	const add = (what: string, floorWhat: string, inputs: Input[], fn: (x: Input) => unknown, target?: string, floor?: (x: Input) => unknown, s = seconds) => {
		if (!inputs.length) return;
		const pair: Pair = { what, unit: '/s', figure: [], floorWhat, floor: [], higherIsBetter: true, target };
		pairs.push(pair);
		steps.push({ pair, inputs, fn, floor, seconds: s });
	};
	if (group === 'html') {
		const html = pick(/\.html?$/);
		add(`HTML parse, ${html.length} real CMS pages (~${kb(html)} KB)`, 'decode + htmlparser2 tokenize', html, sync, '≥ 0.5', tokenizeFloor);
		add('HTML parse, 200 generated (noise 0.3, ¼ GBK)', 'decode + htmlparser2 tokenize', gen('html'), sync, undefined, tokenizeFloor);
	} else if (group === 'text') {
		const text = pick(/\.txt$/);
		add(`text parse, real report (~${kb(text)} KB)`, '—', text, sync, '≥ 2,000/s');
		add('text parse, 200 generated (noise 0.3, ¼ GBK)', '—', gen('text'), sync, '≥ 2,000/s');
	} else if (group === 'pdf') {
		const pdf = pick(/\.pdf$/);
		if (pdf.length) add(`PDF parse, ${pdf.length} real reports`, 'pdf.js getTextContent, every page', pdf, any, undefined, await pdfFloor(), seconds * 2);
	} else {
		const docx = Array.from({ length: 50 }, (_, i) => ({ bytes: recordDocx(generateRecord(i + 1, { index: i + 1 })), name: `g${i + 1}.docx` }));
		add('Word .docx parse, 50 generated', '—', docx, any);
	}
	// Round 0 is a warm-up, measured like the others and not counted: a few calls left the first counted
	// round ~30% slow (the JIT still compiling, pdf.js's caches filling), figure and floor alike.
	for (let r = 0; r <= rounds; r++) {
		log(r === 0 ? `bench: parse ${group} warm-up round (not counted)` : `bench: parse ${group} round ${r}/${rounds}`);
		for (const st of steps) {
			const figure = await rate(st.inputs, st.fn, st.seconds);
			const floor = st.floor ? await rate(st.inputs, st.floor, st.seconds) : NaN;
			if (r === 0) continue;
			st.pair.figure.push(figure);
			if (st.floor) st.pair.floor.push(floor);
		}
	}
	return pairs;
}

const CHILD = new URL('./parse-group.ts', import.meta.url);

/** Every group's pairs, each group measured in a fresh process (see PARSE_GROUPS). */
export function parsePairs(rounds: number, seconds: number): Pair[] {
	const pairs: Pair[] = [];
	for (const group of PARSE_GROUPS) {
		const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(CHILD), group, String(rounds), String(seconds)], {
			stdio: ['ignore', 'pipe', 'inherit'],
			encoding: 'utf8',
			maxBuffer: 1 << 24
		});
		if (r.status !== 0) throw new Error(`bench: parse ${group} failed (exit ${r.status})`);
		pairs.push(...(JSON.parse(r.stdout) as Pair[]));
	}
	return pairs;
}
