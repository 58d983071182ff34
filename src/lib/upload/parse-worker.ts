/// <reference lib="webworker" />
/**
 * The report parser in a Web Worker: the page stays responsive while files
 * are read. Same code as the CLI (parseReportFile with the PDF and Word
 * adapters); nothing leaves the browser.
 */
import { configurePdf, registerDocumentAdapters } from '../report/adapters/index';
import { readScopeStatement } from '../agencies/scope';
import { isReportError, parseDocument, proseIssues, readDocument } from '../report/index';
import { toRecord } from '../report/validate';
import type { ParseConfig, ParseRequest, ParseResponse } from './protocol';

registerDocumentAdapters();

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<ParseConfig | ParseRequest>) => {
	const msg = event.data;
	if (msg.type === 'config') {
		configurePdf({ cMapUrl: msg.cMapUrl, standardFontDataUrl: msg.standardFontDataUrl });
		return;
	}
	const t0 = performance.now();
	let reply: ParseResponse;
	try {
		const doc = await readDocument(new Uint8Array(msg.bytes), msg.name);
		const { issues, provenance, ...rest } = parseDocument(doc);
		issues.push(...proseIssues(doc.lines, rest));
		reply = {
			id: msg.id,
			ok: true,
			name: msg.name,
			record: toRecord(rest),
			issues,
			provenance,
			scope: readScopeStatement(doc.lines),
			ms: performance.now() - t0
		};
	} catch (e) {
		reply = isReportError(e)
			? { id: msg.id, ok: false, name: msg.name, code: e.code, error: e.message, ms: performance.now() - t0 }
			: {
					id: msg.id,
					ok: false,
					name: msg.name,
					code: 'internal',
					error: `解析器内部错误：${e instanceof Error ? e.message : String(e)}`,
					ms: performance.now() - t0
				};
	}
	scope.postMessage(reply);
};
