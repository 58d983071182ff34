/**
 * How each cell of a parsed record was read, and where it stands in the
 * document: `parse --json` prints it as the top-level `provenance`, ingest
 * keeps it in `facts`. `read`: taken as printed. `inferred`: the layout left
 * several readings and the tables' arithmetic kept one, or the report's own
 * prose did (then `reason` quotes the sentence that decided). `ambiguous`: several
 * readings survive (the layout's favourite is taken; `alternatives` lists the
 * others), or none does and the layout's favourite is only a guess.
 */

export type How = 'read' | 'inferred' | 'ambiguous';

export interface CellProvenance {
	how: How;
	table: '二' | '三' | '四';
	/** The row label as the document prints it. */
	row: string;
	/** The record's column key. */
	column: string;
	/** 1-based page, for formats with pages. */
	page?: number;
	/** Other values the cell could have (ambiguous cells). */
	alternatives?: number[];
	/** What decided an inferred cell other than the arithmetic: the prose's sentence (正文：“…”). */
	reason?: string;
}

/** Keyed by the cell's path in the record: "active.licensing.decisions", "requests.granted.natural", "review.total". */
export type Provenance = Record<string, CellProvenance>;

/** How one value cell of a row was decided, by position in the row. */
export interface CellReading {
	how: How;
	alternatives?: number[];
	reason?: string;
}

/** Readings decided before mapping (glued text), keyed `${table}:${rowKey}`. */
export type Readings = Map<string, CellReading[]>;

export function readingKey(table: '二' | '三' | '四', row: string): string {
	return `${table}:${row}`;
}
