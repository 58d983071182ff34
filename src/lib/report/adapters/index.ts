import { docAdapter, docxAdapter } from './docx';
import { documentAdapters } from '../parse';
import { pdfAdapter } from './pdf/index';

/**
 * Register the PDF and Word adapters in `documentAdapters` (parse.ts). Call
 * once at start-up, from the CLI and from the browser; parseReportFile then
 * accepts .pdf, .docx and .doc (.doc is refused with a message asking for a
 * .docx). pdf.js and mammoth are imported only when a file of that format
 * arrives. Idempotent.
 *
 * Browser set-up (before the first PDF): configurePdf({ cMapUrl,
 * standardFontDataUrl, workerSrc }) with URLs the app serves itself.
 */
export function registerDocumentAdapters(): void {
	documentAdapters.pdf ??= pdfAdapter;
	documentAdapters.docx ??= docxAdapter;
	documentAdapters.doc ??= docAdapter;
}

export { configurePdf, type PdfOptions } from './pdf/index';
