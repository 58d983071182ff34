export * from './schema';
export { ReportError, isReportError, type ReportErrorCode } from './errors';
export {
	parseReport,
	parseReportFile,
	parseDocument,
	readDocument,
	detectFormat,
	documentAdapters,
	MAX_INPUT_BYTES,
	type Format,
	type DocumentAdapter
} from './parse';
export { checkRecord } from './checks';
export type { ReportDocument, Table, Cell } from './document';
export { validateRecord, toRecord } from './validate';
export { proseIssues, PROSE_CODE } from './prose';
