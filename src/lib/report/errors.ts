/**
 * Why a file could not become a record. Thrown by the parser, caught by the
 * CLI (one line on stderr) and by the upload page (a message beside the file).
 */
export type ReportErrorCode =
	| 'empty' // no bytes, or only whitespace
	| 'binary' // not text, HTML, or a supported document format
	| 'unsupported_format' // a document format without an adapter yet (e.g. PDF, Word)
	| 'too_large' // over the size limit
	| 'inflated_too_large' // a zip or PDF whose compressed parts inflate past the cap (a "zip bomb")
	| 'too_many_entries' // a zip with more parts than any Word document has
	| 'too_many_pages' // a PDF with more pages than any report has
	| 'not_report' // no sign of a 政府信息公开工作年度报告 (also 解读 pages, half-year statistics)
	| 'pre2019' // a report from before the 2019 tables: no standard tables
	| 'no_tables' // a report without readable standard tables (images, narrative only)
	| 'no_numbers' // the tables are there but carry no numbers (a copy of the blank template)
	| 'truncated' // a table starts but stops before its last rows
	| 'no_year' // the reporting year cannot be found
	| 'no_agency' // the reporting body cannot be found
	| 'unreadable'; // the file itself could not be read

export class ReportError extends Error {
	readonly code: ReportErrorCode;
	constructor(code: ReportErrorCode, message: string) {
		super(message);
		this.name = 'ReportError';
		this.code = code;
	}
}

export function isReportError(e: unknown): e is ReportError {
	return e instanceof ReportError;
}
