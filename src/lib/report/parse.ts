import type { ReportDocument } from './document';
import { decodeBytes } from './decode';
import { ReportError } from './errors';
import { htmlAdapter, looksLikeHtml } from './adapters/html';
import { checkRecord } from './checks';
import { looksGlued, unglue } from './mapping/glued';
import { mapTables, missingRequestRows, type MappedTables } from './mapping/index';
import { looksPre2019, readMetadata } from './metadata';
import { looksTraditional, toSimplified } from './normalize';
import { SCHEMA_VERSION, TABLE_TITLES, type ParsedReport, type ReportIssue, type ReportRecord } from './schema';
import { looksCellPerLine, textAdapter } from './adapters/text';

/** Reports are kilobytes to a few megabytes; anything past this is not one. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** A plain-text copy of a report is tens of kilobytes; past this it is something else. */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;

export type Format = 'html' | 'text' | 'pdf' | 'docx' | 'doc' | 'image' | 'binary';

/** The format from the bytes themselves (the file name is only a hint). */
export function detectFormat(bytes: Uint8Array, fileName = ''): Format {
	const b = bytes;
	if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'pdf'; // %PDF
	if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'docx'; // zip
	if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'doc'; // OLE
	if (
		(b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) ||
		(b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
		(b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46)
	)
		return 'image'; // PNG, JPEG, GIF
	const utf16 = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
	if (!utf16) {
		const n = Math.min(b.length, 8192);
		let control = 0;
		for (let i = 0; i < n; i++) {
			const c = b[i];
			if (c === 0) return 'binary';
			if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) control++;
		}
		if (n > 0 && control / n > 0.05) return 'binary';
	}
	return /\.(html?|shtml|xhtml|jsp|aspx?|php)$/i.test(fileName) ? 'html' : 'text';
}

const FORMAT_NAMES: Record<Format, string> = {
	html: 'HTML',
	text: '文本',
	pdf: 'PDF',
	docx: 'Word (.docx)',
	doc: 'Word (.doc)',
	image: '图片',
	binary: '二进制'
};

/**
 * Adapters for formats that need more than decoding (PDF, Word). They are
 * asynchronous (pdf.js, unzip) and register here; each turns bytes into the
 * same ReportDocument as the text and HTML adapters. A format without an
 * adapter is refused with a clear message.
 */
export type DocumentAdapter = (bytes: Uint8Array, fileName: string) => Promise<ReportDocument>;
export const documentAdapters: Partial<Record<Format, DocumentAdapter>> = {};

function textDocument(bytes: Uint8Array, fileName: string): ReportDocument {
	const { text: raw } = decodeBytes(bytes);
	if (!raw.trim()) throw new ReportError('empty', '文件为空（没有文字）');
	if (/\.(json|jsonl|ndjson)$/i.test(fileName) || /^\s*[[{]\s*"/.test(raw.slice(0, 64)))
		throw new ReportError('not_report', 'JSON 数据不是报告文档；schema.md 格式的记录请用 ingest 导入');
	const isHtml = /\.(html?|shtml|xhtml)$/i.test(fileName) || looksLikeHtml(raw);
	if (!isHtml && bytes.length > MAX_TEXT_BYTES)
		throw new ReportError(
			'too_large',
			`文本文件过大（${(bytes.length / 1048576).toFixed(1)} MB，文本报告上限 ${MAX_TEXT_BYTES / 1048576} MB），不像一份年度报告`
		);
	if (!isHtml) return textAdapter(looksTraditional(raw) ? toSimplified(raw) : raw);
	// A page's script is judged by its text, not its markup (nearly all of a CMS page's characters, and scanning
	// them was a twentieth of the parse): a 繁體 page is converted and read again.
	const doc = htmlAdapter(raw);
	return looksTraditional([...doc.titles, ...doc.lines]) ? htmlAdapter(toSimplified(raw)) : doc;
}

function checkSize(bytes: Uint8Array): void {
	if (bytes.length === 0) throw new ReportError('empty', '文件为空（0 字节）');
	if (bytes.length > MAX_INPUT_BYTES)
		throw new ReportError('too_large', `文件过大（${(bytes.length / 1048576).toFixed(1)} MB，上限 ${MAX_INPUT_BYTES / 1048576} MB），不像一份年度报告`);
}

function refuse(format: Format): never {
	if (format === 'binary') throw new ReportError('binary', '二进制文件，不是文本、HTML、PDF 或 Word 报告');
	if (format === 'image') throw new ReportError('binary', '图片文件，不是报告文本（扫描件或截图需要先做文字识别 OCR，本工具不支持）');
	throw new ReportError('unsupported_format', `暂不支持 ${FORMAT_NAMES[format]} 格式`);
}

/**
 * One text or HTML report's bytes → the normalized record and the issues
 * found, synchronously. Throws ReportError (a code and a plain message) when
 * the file cannot become a record. For any format use parseReportFile.
 */
export function parseReport(bytes: Uint8Array, fileName = ''): ParsedReport {
	checkSize(bytes);
	const format = detectFormat(bytes, fileName);
	if (format !== 'html' && format !== 'text') refuse(format);
	return parseDocument(textDocument(bytes, fileName));
}

/** Any supported format (text, HTML, and the registered document adapters). */
export async function parseReportFile(bytes: Uint8Array, fileName = ''): Promise<ParsedReport> {
	return parseDocument(await readDocument(bytes, fileName));
}

/** Any supported format → its document (prose and tables), for callers that read the prose too (a report's scope). */
export async function readDocument(bytes: Uint8Array, fileName = ''): Promise<ReportDocument> {
	checkSize(bytes);
	const format = detectFormat(bytes, fileName);
	if (format === 'html' || format === 'text') return textDocument(bytes, fileName);
	const adapter = documentAdapters[format];
	if (!adapter) refuse(format);
	return adapter(bytes, fileName);
}

/** The report-level half of the parser: document → record. */
export function parseDocument(doc: ReportDocument): ParsedReport {
	const { tables, readingIssues } = readTables(doc);
	const meta = readMetadata(doc.titles, doc.lines);
	const { found } = tables;
	const anyTable = found.active || found.requests || found.cases;

	if (!anyTable) {
		const title = meta.titles[0];
		if (title?.kind === 'interpretation') throw new ReportError('not_report', `这是年度报告的解读页，不是报告本身（${title.line.slice(0, 60)}）`);
		if (title?.kind === 'half_year') throw new ReportError('not_report', `这是半年度统计，不是年度报告（${title.line.slice(0, 60)}）`);
		if ((meta.year !== undefined && meta.year <= 2018) || looksPre2019(doc.lines))
			throw new ReportError('pre2019', `没有标准表格（2019 年以前的格式？）no standard tables (pre-2019 format?)${meta.year ? `，报告年度 ${meta.year}` : ''}`);
		if (looksGlued(doc.lines))
			throw new ReportError('no_tables', '表格的单元格连成了一串（如“行政许可3960181”），无法可靠地拆分数字；请改用原网页、PDF 或 Word 文件');
		if (meta.titles.some((t) => t.kind === 'report')) throw new ReportError('no_tables', '找不到三张标准表格（表格可能是图片，或报告只有文字）');
		throw new ReportError('not_report', '不是政府信息公开工作年度报告：没有报告标题，也没有标准表格');
	}
	const halfYear = halfYearTitle(doc);
	if (halfYear) throw new ReportError('not_report', `这是半年或季度的统计，不是年度报告（${halfYear}）`);
	if (tables.allBlank) {
		// The numbers are there, a cell to a line, but not where a row can be told (headings not in the template's order).
		if (looksCellPerLine(doc.lines))
			throw new ReportError(
				'no_tables',
				'表格的每个单元格各占一行，且表头的列序与模板不同或缺少行标签，无法确定每个数字属于哪一行、哪一列；请改用原网页、PDF 或 Word 文件'
			);
		throw new ReportError('no_numbers', '表格里没有任何数字（像是空白的报告格式模板）');
	}

	const missing = missingRequestRows(tables.requests);
	if (found.requests && missing.length > 0) throw new ReportError('truncated', `表三不完整：缺少 ${missing.join('、')}（表格被截断？）`);

	if (meta.year === undefined) throw new ReportError('no_year', '找不到报告年度（标题和统计期限里都没有年份）');
	if (!meta.agency) throw new ReportError('no_agency', '找不到报告机关（没有“…年政府信息公开工作年度报告”标题）');

	const issues: ReportIssue[] = [...meta.issues, ...tables.issues, ...readingIssues];
	for (const [table, present] of [
		['二', found.active],
		['三', found.requests],
		['四', found.cases]
	] as const) {
		const reported = issues.some((i) => i.code === 'table_missing' && i.where?.table === table);
		if (!present && !reported)
			issues.push({ code: 'table_missing', severity: 'warning', message: `没有找到表${table}（${TABLE_TITLES[table]}），相应字段为 null`, where: { table } });
	}

	const record: ReportRecord = {
		schema: SCHEMA_VERSION,
		agency: meta.agency,
		year: meta.year,
		template: tables.template,
		active: tables.active,
		requests: tables.requests,
		review: tables.review,
		litigation_direct: tables.litigation_direct,
		litigation_after_review: tables.litigation_after_review
	};
	// A rule that fails over a cell we did not read as printed is our doubt, not the report's (checks.ts).
	issues.push(...checkRecord(record, tables.provenance));
	return { ...record, issues, provenance: tables.provenance };
}

/**
 * The tables as the document lays them out; where no table was found and the
 * cells ran together (a page-to-text dump), the run-together reading, which
 * says how each cell was decided.
 */
function readTables(doc: ReportDocument): { tables: MappedTables; readingIssues: ReportIssue[] } {
	const tables = mapTables(doc);
	const { found } = tables;
	if (found.active || found.requests || found.cases || !looksGlued(doc.lines)) return { tables, readingIssues: [] };
	const glued = unglue(doc);
	const read = mapTables(glued.doc, glued.readings);
	if (!read.found.requests) return { tables, readingIssues: [] };
	return { tables: read, readingIssues: glued.issues };
}

/** A half-year or quarterly statistics page has the tables but is not the annual report. */
function halfYearTitle(doc: ReportDocument): string | undefined {
	const head = [...doc.titles, ...doc.lines.slice(0, 40)];
	for (const line of head) {
		// Every pattern below holds 半 or 季: most lines are out before any string is built.
		if (!line.includes('半') && !line.includes('季')) continue;
		const s = line.replace(/\s+/g, '');
		if (s.length > 120) continue;
		if (/(上半年|下半年|半年度|第[一二三四1-4]季度|前三季度).{0,30}(政府信息公开|政务公开|信息公开)|(政府信息公开|政务公开).{0,20}(上半年|半年度|季度)/.test(s))
			return s.slice(0, 60);
	}
	return undefined;
}
