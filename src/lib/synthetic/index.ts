/**
 * Seeded synthetic reports: a consistent record and a document that states it.
 * Pure TypeScript, no Node-only imports: runs in the CLI, the tests and the page.
 */
import type { CompleteRecord, Template } from '../report/schema';
import { encodeDocument, type DocumentEncoding } from './encode';
import type { NoiseInput } from './noise';
import { createRng, deriveSeed } from './random';
import { generateRecord } from './record';
import { renderGlued } from './glued';
import { renderWrapped, type WrappedFaults } from './wrapped';
import { renderDisplaced, type DisplacedFaults } from './displaced';
import { renderHtml, renderMarkdown, renderText, type HtmlStyle } from './render';

/**
 * `glued`: a page-to-text dump whose table cells ran together (glued.ts); `wrapped`: text from a PDF's text layer with wrapped labels (wrapped.ts);
 * `displaced`: markdown from a PDF table extractor that pulled cells out of their rows (displaced.ts).
 */
export type DocumentFormat = 'text' | 'markdown' | 'html' | 'glued' | 'wrapped' | 'displaced';

export interface GenerateReportOptions {
	format: DocumentFormat;
	/** Default utf-8. */
	encoding?: DocumentEncoding;
	/** UTF-8 byte-order mark; UTF-8 only. Default false. */
	bom?: boolean;
	/** 0 (default) for clean documents, up to 1; or one probability per kind of noise. */
	noise?: NoiseInput;
	template?: Template;
	year?: number;
	/** Position in a batch: the file name's number and the agency's ordinal. Default: the seed. */
	index?: number;
	/** HTML only: plain CMS or Word-exported markup. Default: at random. */
	htmlStyle?: HtmlStyle;
	/** Displaced only: faults beyond the default ones (displaced.ts). Default: none. */
	displaced?: DisplacedFaults;
	/** Wrapped only: faults beyond the default ones (wrapped.ts). Default: none. */
	wrapped?: WrappedFaults;
}

export interface GeneratedReport {
	/** What a correct parser must return for `bytes` (the truth). */
	record: CompleteRecord;
	/** The document as a file holds it. */
	bytes: Uint8Array;
	/** e.g. synthetic-00012-2023.html */
	fileName: string;
	/** The document before encoding. */
	text: string;
	format: DocumentFormat;
	encoding: DocumentEncoding;
}

/** The renderer's stream: the record and the document draw from independent sequences. */
const RENDER_STREAM = 1;

export const FILE_EXTENSIONS: Record<DocumentFormat, string> = { text: 'txt', markdown: 'md', html: 'html', glued: 'txt', wrapped: 'txt', displaced: 'md' };

export function syntheticFileName(index: number, year: number, format: DocumentFormat): string {
	return `synthetic-${String(index).padStart(5, '0')}-${year}.${FILE_EXTENSIONS[format]}`;
}

export function generateReport(seed: number, opts: GenerateReportOptions): GeneratedReport {
	const encoding = opts.encoding ?? 'utf-8';
	const noise = opts.noise ?? 0;
	const record = generateRecord(seed, { template: opts.template, year: opts.year, index: opts.index });
	const rng = createRng(deriveSeed(seed, RENDER_STREAM));
	const text =
		opts.format === 'html'
			? renderHtml(record, rng, noise, { charset: encoding, style: opts.htmlStyle })
			: opts.format === 'markdown'
				? renderMarkdown(record, rng, noise)
				: opts.format === 'glued'
					? renderGlued(record, rng)
					: opts.format === 'wrapped'
						? renderWrapped(record, rng, opts.wrapped)
						: opts.format === 'displaced'
							? renderDisplaced(record, rng, opts.displaced)
							: renderText(record, rng, noise);
	return {
		record,
		bytes: encodeDocument(text, encoding, { bom: opts.bom }),
		fileName: syntheticFileName(opts.index ?? seed, record.year, opts.format),
		text,
		format: opts.format,
		encoding
	};
}

export { createRng, deriveSeed, type Rng } from './random';
export { generateRecord, requestRowsFor, YEAR_RANGE, type GenerateRecordOptions } from './record';
export { encodeDocument, type DocumentEncoding, type EncodeOptions } from './encode';
export { renderHtml, renderMarkdown, renderText, type HtmlOptions, type HtmlStyle } from './render';
export { renderGlued } from './glued';
export { renderWrapped, type WrappedFaults } from './wrapped';
export { renderDisplaced, type DisplacedFaults } from './displaced';
export { NOISE_KINDS, resolveNoise, type NoiseInput, type NoiseKind, type NoiseOptions } from './noise';
export { SYNTHETIC_NOTICE, statisticsPeriod } from './outline';
export { proseStatements, statedCells, type ProseStatement } from './prose';
