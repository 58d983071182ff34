/**
 * A record rendered as a document the way real ones look: a plain-text copy of
 * a web page (tables as tab-separated lines or markdown pipe tables) or a full
 * HTML page with site chrome and rowspan/colspan tables, optionally in the
 * markup Word leaves behind. Layout choices come from `rng`; the noise options
 * add the meaning-preserving dirt of real documents and are all off at 0.
 */
import type { CompleteRecord } from '../report/schema';
import type { DocumentEncoding } from './encode';
import { expandGrid, type Cell, type TableGrid } from './layout';
import { formatValue, noisyLabel, resolveNoise, type NoiseInput, type NoiseOptions, type ValueStyle } from './noise';
import { reportOutline, type ReportOutline } from './outline';
import type { Rng } from './random';

export { encodeDocument, type DocumentEncoding, type EncodeOptions } from './encode';

interface CellContext {
	rng: Rng;
	noise: NoiseOptions;
	valueStyle: ValueStyle;
}

function cellContext(rng: Rng, noiseInput: NoiseInput): CellContext {
	return { rng, noise: resolveNoise(noiseInput), valueStyle: { plusSign: rng.chance(0.3) } };
}

/** What a cell shows, noise included; '' is a blank cell. */
function cellString(cell: Cell, ctx: CellContext): string {
	return cell.role === 'value' ? formatValue(cell.value, cell.kind, ctx.noise, ctx.rng, ctx.valueStyle) : noisyLabel(cell.text, ctx.noise, ctx.rng);
}

// ---------------------------------------------------------------- plain text and markdown

export type TableMarkup = 'tabs' | 'markdown';

/**
 * One line per grid row, cells separated by tabs. A span leaves empty fields
 * where it covers the grid, as a copied web table does; `trimCovered` drops
 * such fields at the end of a line (never a blank value cell).
 */
function tabTableLines(grid: TableGrid, ctx: CellContext, trimCovered: boolean): string[] {
	return expandGrid(grid).map((row) => {
		const fields = row.map((cell) => (cell ? cellString(cell, ctx) : null));
		if (trimCovered) while (fields.length > 0 && fields[fields.length - 1] === null) fields.pop();
		return fields.map((field) => field ?? '').join('\t');
	});
}

function markdownTableLines(grid: TableGrid, ctx: CellContext): string[] {
	const [head, ...body] = expandGrid(grid).map((row) => row.map((cell) => (cell ? cellString(cell, ctx) : '')));
	const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
	return [line(head), line(head.map(() => '---')), ...body.map(line)];
}

function renderPlain(record: CompleteRecord, rng: Rng, noiseInput: NoiseInput, markup: TableMarkup): string {
	const ctx = cellContext(rng, noiseInput);
	const outline = reportOutline(record, rng, ctx.noise);
	const trimCovered = rng.chance(0.5);
	const markdownHeading = rng.pick(['## ', '**']);
	const heading = (text: string): string => (markup === 'tabs' ? text : markdownHeading === '**' ? `**${text}**` : `${markdownHeading}${text}`);

	const lines: string[] = [markup === 'tabs' ? outline.title : `# ${outline.title}`, '', outline.dateLine, outline.notice, ''];
	for (const block of outline.blocks) {
		if (block.kind === 'heading') lines.push(heading(block.text), '');
		else if (block.kind === 'paragraph') lines.push(block.text, '');
		else lines.push(...(markup === 'tabs' ? tabTableLines(block.grid, ctx, trimCovered) : markdownTableLines(block.grid, ctx)), '');
	}
	if (outline.signature.length > 0) lines.push(...outline.signature, '');
	return lines.join('\n');
}

/** A plain-text copy of the report page; tables as tab-separated lines. */
export function renderText(record: CompleteRecord, rng: Rng, noise: NoiseInput = 0): string {
	return renderPlain(record, rng, noise, 'tabs');
}

/** The same text with markdown headings and pipe tables (`| 规章 | 0 | 0 | 0 |`), as PDF extractors emit. */
export function renderMarkdown(record: CompleteRecord, rng: Rng, noise: NoiseInput = 0): string {
	return renderPlain(record, rng, noise, 'markdown');
}

// ---------------------------------------------------------------- HTML

export type HtmlStyle = 'plain' | 'word';

export interface HtmlOptions {
	/** The charset the page declares; pass the encoding the bytes will have. Default utf-8. */
	charset?: DocumentEncoding;
	/** Plain CMS markup or Word-exported markup (class=MsoNormal, <font>, <o:p>). Default: at random. */
	style?: HtmlStyle;
}

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface HtmlContext extends CellContext {
	style: HtmlStyle;
}

function pad(content: string, ctx: HtmlContext): string {
	if (!ctx.rng.chance(ctx.noise.nbspPadding)) return content;
	const nbsp = '&nbsp;'.repeat(ctx.rng.int(1, 2));
	return ctx.rng.chance(0.5) ? nbsp + content : content + nbsp;
}

/** Word sometimes breaks one number into two runs: <span>12</span><span>3</span> is 123. */
function numberRuns(shown: string, ctx: HtmlContext): string {
	const chars = [...shown];
	const run = (text: string): string => `<span lang=EN-US>${escapeHtml(text)}</span>`;
	if (ctx.style !== 'word') return escapeHtml(shown);
	if (chars.length < 2 || !ctx.rng.chance(ctx.noise.splitNumbers)) return run(shown);
	const at = ctx.rng.int(1, chars.length - 1);
	return run(chars.slice(0, at).join('')) + run(chars.slice(at).join(''));
}

function cellContent(cell: Cell, ctx: HtmlContext): string {
	const shown = cellString(cell, ctx);
	if (shown === '') return ctx.style === 'word' || ctx.rng.chance(0.5) ? '&nbsp;' : '';
	if (cell.role === 'value') return pad(numberRuns(shown, ctx), ctx);
	const label = escapeHtml(shown);
	return pad(ctx.style === 'word' && ctx.rng.chance(0.5) ? `<font face="宋体">${label}</font>` : label, ctx);
}

function spanAttributes(cell: Cell, quote: string): string {
	const rowspan = cell.rowspan > 1 ? ` rowspan=${quote}${cell.rowspan}${quote}` : '';
	const colspan = cell.colspan > 1 ? ` colspan=${quote}${cell.colspan}${quote}` : '';
	return rowspan + colspan;
}

const WORD_CELL_STYLE = 'border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt';

function htmlCell(cell: Cell, ctx: HtmlContext): string {
	const content = cellContent(cell, ctx);
	if (ctx.style === 'plain') {
		const strong = cell.role === 'title' ? `<strong>${content}</strong>` : content;
		return `<td${spanAttributes(cell, '"')}>${strong}</td>`;
	}
	const width = 64 * cell.colspan;
	return (
		`<td width=${width}${spanAttributes(cell, '')} valign=center style="width:${width * 0.75}pt;${WORD_CELL_STYLE}">` +
		`<p class=MsoNormal align=center style="text-align:center"><span style="font-size:10.5pt;font-family:宋体">${content}</span></p></td>`
	);
}

function htmlTable(grid: TableGrid, ctx: HtmlContext): string {
	const open =
		ctx.style === 'plain'
			? '<table border="1" cellspacing="0" cellpadding="0" width="100%">'
			: '<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 style="width:450.0pt;border-collapse:collapse;border:none">';
	const rows = grid.rows.map((row) => `<tr>${row.map((cell) => htmlCell(cell, ctx)).join('')}</tr>`);
	return [open, '<tbody>', ...rows, '</tbody>', '</table>'].join('\n');
}

function htmlHeading(text: string, ctx: HtmlContext): string {
	return ctx.style === 'plain'
		? `<p style="text-indent:2em;"><strong>${escapeHtml(text)}</strong></p>`
		: `<p class=MsoNormal style="text-indent:32.0pt"><b><span style="font-size:16.0pt;font-family:黑体">${escapeHtml(text)}</span></b><o:p></o:p></p>`;
}

function htmlParagraph(text: string, ctx: HtmlContext, align = ''): string {
	const alignStyle = align ? `text-align:${align};` : 'text-indent:2em;';
	return ctx.style === 'plain'
		? `<p style="${alignStyle}">${escapeHtml(text)}</p>`
		: `<p class=MsoNormal style="${alignStyle}line-height:28.0pt"><span style="font-size:16.0pt;font-family:仿宋_GB2312">${escapeHtml(text)}</span><o:p></o:p></p>`;
}

function articleBody(outline: ReportOutline, ctx: HtmlContext): string[] {
	const parts = [htmlParagraph(outline.notice, ctx)];
	for (const block of outline.blocks) {
		if (block.kind === 'heading') parts.push(htmlHeading(block.text, ctx));
		else if (block.kind === 'paragraph') parts.push(htmlParagraph(block.text, ctx));
		else parts.push(htmlTable(block.grid, ctx));
	}
	parts.push(...outline.signature.map((line) => htmlParagraph(line, ctx, 'right')));
	return parts;
}

function charsetMeta(charset: DocumentEncoding, rng: Rng): string {
	if (charset === 'utf-8') {
		return rng.pick(['<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">']);
	}
	return rng.pick(['<meta charset="gbk">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">']);
}

/** Related links: last year's report of the same agency, which must not decide the year. */
function relatedLinks(outline: ReportOutline, agency: string): string {
	return [
		'<div class="related">',
		'<h3>相关链接</h3>',
		'<ul>',
		`<li><a href="../prev/index.html">${escapeHtml(outline.previousTitle)}</a></li>`,
		`<li><a href="../guide/index.html">${escapeHtml(agency)}政府信息公开指南</a></li>`,
		'<li><a href="../system/index.html">政府信息公开制度</a></li>',
		'</ul>',
		'</div>'
	].join('\n');
}

function siteHeader(agency: string): string {
	return [
		'<div class="header">',
		`<div class="site-name">${escapeHtml(agency)}门户网站</div>`,
		'<ul class="nav">',
		'<li><a href="/">首页</a></li>',
		'<li><a href="/zwgk/">政务公开</a></li>',
		'<li><a href="/zfxxgk/">政府信息公开</a></li>',
		'<li><a href="/bsfw/">办事服务</a></li>',
		'<li><a href="/hdjl/">互动交流</a></li>',
		'</ul>',
		'<form class="search" action="/search"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form>',
		'</div>',
		'<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; <a href="/zfxxgk/ndbg/">政府信息公开年报</a> &gt; 正文</div>'
	].join('\n');
}

function siteFooter(agency: string): string {
	return [
		'<div class="footer">',
		'<p><a href="/zfxxgk/">政府信息公开</a> | <a href="/sitemap/">网站地图</a> | <a href="/contact/">联系我们</a></p>',
		`<p>主办单位：${escapeHtml(agency)}\u3000地址：示范路1号\u3000邮编：000000</p>`,
		'<p>网站标识码：0000000000　示范ICP备00000000号</p>',
		'</div>'
	].join('\n');
}

const PAGE_STYLE =
	'body{font-family:sans-serif;margin:0}.header,.location,.article,.related,.footer{max-width:1000px;margin:0 auto}' +
	'.nav li{display:inline-block;margin-right:1em}.article-content table{border-collapse:collapse}.article-content td{padding:4px}';

/** A full HTML page: chrome, breadcrumb, the report in an article div, related links, footer. */
export function renderHtml(record: CompleteRecord, rng: Rng, noise: NoiseInput = 0, opts: HtmlOptions = {}): string {
	const base = cellContext(rng, noise);
	const ctx: HtmlContext = { ...base, style: opts.style ?? (rng.chance(0.4) ? 'word' : 'plain') };
	const outline = reportOutline(record, rng, ctx.noise);
	const meta = charsetMeta(opts.charset ?? 'utf-8', rng);
	const relatedFirst = rng.chance(0.3);
	const related = relatedLinks(outline, record.agency);
	const page = [
		'<!DOCTYPE html>',
		'<html lang="zh-CN">',
		'<head>',
		meta,
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(outline.title)}_${escapeHtml(record.agency)}门户网站</title>`,
		`<style>${PAGE_STYLE}</style>`,
		'</head>',
		'<body>',
		siteHeader(record.agency),
		...(relatedFirst ? [related] : []),
		'<div class="article">',
		`<h1 class="article-title">${escapeHtml(outline.title)}</h1>`,
		`<div class="article-info">${escapeHtml(outline.dateLine)}</div>`,
		'<div class="article-content" id="zoom">',
		...articleBody(outline, ctx),
		'</div>',
		'</div>',
		...(relatedFirst ? [] : [related]),
		siteFooter(record.agency),
		'<script>var siteId = "sample";</script>',
		'</body>',
		'</html>',
		''
	];
	return page.join('\n');
}
