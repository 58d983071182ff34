export * from './schema';
export { ReportError, isReportError, type ReportErrorCode } from './errors';
export { parseReport, parseDocument, detectFormat, documentAdapters, MAX_INPUT_BYTES, type Format } from './parse';
export { checkRecord } from './checks';
export type { ReportDocument, Table, Cell } from './document';
