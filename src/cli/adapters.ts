/**
 * Registers the document adapters that need more than decoding (PDF, Word)
 * where they exist. Until then parseReportFile refuses those formats clearly.
 */
export function registerAdapters(): void {}
