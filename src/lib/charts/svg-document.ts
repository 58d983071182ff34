/**
 * A small document for drawing Plot's SVG where there is no browser: at
 * prerender, so the overview's first charts are in the HTML before any
 * JavaScript runs. Plot takes it as its `document` option. It holds only what
 * Plot (through d3-selection) and the chart builders call: elements, text,
 * attributes, inline styles, tree edits, and markup out (`outerHTML`).
 * Events do nothing: the page's own Plot redraws the chart, live, once it
 * has loaded. Anything else it is asked for is missing, and fails loudly.
 */

const XHTML = 'http://www.w3.org/1999/xhtml';
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
/** Attributes of positions and shapes, whose numbers are written to 2 decimals (a hundredth of a pixel): Plot's 188.66666666666669 makes the HTML a third longer. */
const GEOMETRY = new Set(['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'viewBox', 'points']);
const shorter = (v: string) => v.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100));
/** fontSize → font-size (Plot assigns inline styles by their DOM names). */
const kebab = (name: string) => (name.includes('-') ? name : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

abstract class SvgNode {
	parentNode: SvgElement | null = null;
	childNodes: SvgNode[] = [];
	abstract readonly nodeType: number;
	constructor(readonly ownerDocument: SvgDocument) {}

	get firstChild(): SvgNode | null {
		return this.childNodes[0] ?? null;
	}
	get lastChild(): SvgNode | null {
		return this.childNodes.at(-1) ?? null;
	}
	get nextSibling(): SvgNode | null {
		const siblings = this.parentNode?.childNodes;
		return siblings ? (siblings[siblings.indexOf(this) + 1] ?? null) : null;
	}
	get previousSibling(): SvgNode | null {
		const siblings = this.parentNode?.childNodes;
		return siblings ? (siblings[siblings.indexOf(this) - 1] ?? null) : null;
	}
	remove(): void {
		this.parentNode?.removeChild(this);
	}
	abstract get textContent(): string;
	abstract toMarkup(): string;
}

class SvgText extends SvgNode {
	readonly nodeType = TEXT_NODE;
	constructor(
		doc: SvgDocument,
		public data: string
	) {
		super(doc);
	}
	get textContent(): string {
		return this.data;
	}
	set textContent(v: string) {
		this.data = v;
	}
	get nodeValue(): string {
		return this.data;
	}
	cloneNode(): SvgText {
		return new SvgText(this.ownerDocument, this.data);
	}
	toMarkup(): string {
		return escapeText(this.data);
	}
}

/** An element's inline style: Plot assigns properties by DOM name (`fontSize`), d3 calls setProperty. */
class InlineStyle {
	[name: string]: unknown;
	constructor() {
		Object.defineProperty(this, 'declared', { value: new Map<string, string>(), enumerable: false });
	}
	private get map(): Map<string, string> {
		return (this as unknown as { declared: Map<string, string> }).declared;
	}
	setProperty(name: string, value: string | null): void {
		if (value === null || value === '') this.map.delete(name);
		else this.map.set(name, String(value));
	}
	removeProperty(name: string): void {
		this.map.delete(name);
	}
	getPropertyValue(name: string): string {
		return this.map.get(name) ?? '';
	}
	/** The declarations as the style attribute writes them: assigned properties, then set ones. */
	get cssText(): string {
		const out = new Map<string, string>();
		for (const [k, v] of Object.entries(this)) if (v !== null && v !== undefined && v !== '') out.set(kebab(k), String(v));
		for (const [k, v] of this.map) out.set(k, v);
		return [...out].map(([k, v]) => `${k}: ${v};`).join(' ');
	}
}
for (const name of ['setProperty', 'removeProperty', 'getPropertyValue']) Object.defineProperty(InlineStyle.prototype, name, { enumerable: false });

class SvgElement extends SvgNode {
	readonly nodeType = ELEMENT_NODE;
	readonly attributes = new Map<string, string>();
	#style = new InlineStyle();
	/** Plot hangs its scales and value on the svg node; kept as plain properties. */
	[extra: string]: unknown;
	constructor(
		doc: SvgDocument,
		readonly namespaceURI: string,
		readonly localName: string
	) {
		super(doc);
	}
	get tagName(): string {
		return this.namespaceURI === XHTML ? this.localName.toUpperCase() : this.localName;
	}
	get nodeName(): string {
		return this.tagName;
	}
	get children(): SvgElement[] {
		return this.childNodes.filter((n): n is SvgElement => n instanceof SvgElement);
	}
	get ownerSVGElement(): SvgElement | null {
		let p = this.parentNode;
		while (p && p.localName !== 'svg') p = p.parentNode;
		return p;
	}
	get style(): InlineStyle {
		return this.#style;
	}
	set style(css: string) {
		this.#style = new InlineStyle();
		for (const decl of String(css).split(';')) {
			const i = decl.indexOf(':');
			if (i > 0) this.#style.setProperty(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
		}
	}

	setAttribute(name: string, value: unknown): void {
		this.attributes.set(name, String(value));
	}
	setAttributeNS(_ns: string | null, name: string, value: unknown): void {
		this.setAttribute(name, value);
	}
	getAttribute(name: string): string | null {
		return this.attributes.get(name) ?? null;
	}
	getAttributeNS(_ns: string | null, name: string): string | null {
		return this.getAttribute(name);
	}
	hasAttribute(name: string): boolean {
		return this.attributes.has(name);
	}
	removeAttribute(name: string): void {
		this.attributes.delete(name);
	}
	removeAttributeNS(_ns: string | null, name: string): void {
		this.removeAttribute(name);
	}

	insertBefore<T extends SvgNode>(node: T, ref: SvgNode | null): T {
		if (node.ownerDocument !== this.ownerDocument) throw new Error('svg-document: a node of another document');
		node.remove();
		const at = ref ? this.childNodes.indexOf(ref) : -1;
		if (ref && at < 0) throw new Error('svg-document: insertBefore a node that is not a child');
		this.childNodes.splice(at < 0 ? this.childNodes.length : at, 0, node);
		node.parentNode = this;
		return node;
	}
	appendChild<T extends SvgNode>(node: T): T {
		return this.insertBefore(node, null);
	}
	removeChild<T extends SvgNode>(node: T): T {
		const i = this.childNodes.indexOf(node);
		if (i < 0) throw new Error('svg-document: removeChild of a node that is not a child');
		this.childNodes.splice(i, 1);
		node.parentNode = null;
		return node;
	}
	append(...nodes: (SvgNode | string)[]): void {
		for (const n of nodes) this.appendChild(typeof n === 'string' ? this.ownerDocument.createTextNode(n) : n);
	}
	replaceChildren(...nodes: (SvgNode | string)[]): void {
		for (const n of [...this.childNodes]) this.removeChild(n);
		this.append(...nodes);
	}
	replaceWith(node: SvgNode): void {
		const parent = this.parentNode;
		if (!parent) return;
		parent.insertBefore(node, this);
		parent.removeChild(this);
	}
	cloneNode(deep = false): SvgElement {
		const copy = new SvgElement(this.ownerDocument, this.namespaceURI, this.localName);
		for (const [k, v] of this.attributes) copy.attributes.set(k, v);
		copy.style = this.style.cssText;
		if (deep) for (const c of this.childNodes) copy.appendChild((c as SvgElement | SvgText).cloneNode(true));
		return copy;
	}

	get textContent(): string {
		return this.childNodes.map((c) => c.textContent).join('');
	}
	set textContent(v: string | null) {
		this.replaceChildren(...(v ? [v] : []));
	}

	// A static drawing: nothing listens.
	addEventListener(): void {}
	removeEventListener(): void {}
	dispatchEvent(): boolean {
		return true;
	}

	toMarkup(): string {
		const attrs = new Map(this.attributes);
		const css = this.style.cssText;
		if (css) attrs.set('style', [attrs.get('style'), css].filter(Boolean).join(' '));
		const open = `<${this.localName}${[...attrs].map(([k, v]) => ` ${k}="${escapeAttr(GEOMETRY.has(k) ? shorter(v) : v)}"`).join('')}`;
		return this.childNodes.length ? `${open}>${this.childNodes.map((c) => c.toMarkup()).join('')}</${this.localName}>` : `${open}/>`;
	}
	/** The element as HTML holds inline SVG (foreign content: empty elements close themselves). */
	get outerHTML(): string {
		return this.toMarkup();
	}
}

/** What Plot needs of a document: a root to create from, elements and text nodes. */
export class SvgDocument {
	readonly documentElement: SvgElement;
	readonly defaultView = { Event: class {} };
	constructor() {
		this.documentElement = new SvgElement(this, XHTML, 'html');
	}
	createElementNS(ns: string | null, name: string): SvgElement {
		const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
		return new SvgElement(this, ns ?? XHTML, local);
	}
	createElement(name: string): SvgElement {
		return new SvgElement(this, XHTML, name.toLowerCase());
	}
	createTextNode(data: string): SvgText {
		return new SvgText(this, String(data));
	}
}

/** A document for a chart builder's `document` option, typed as the DOM's (Plot reads only what SvgDocument has). */
export function svgDocument(): Document {
	return new SvgDocument() as unknown as Document;
}

/**
 * The markup of a node drawn on an svgDocument(). Without `style`, the svg's
 * own `<style>` (Plot's rules for its class, the same in every chart it draws)
 * is left out: a page of many drawings needs it once, not 18 times.
 */
export function markupOf(node: Element, { style = true }: { style?: boolean } = {}): string {
	if (!(node instanceof SvgElement)) throw new Error('markupOf: not drawn on an svgDocument()');
	if (style) return node.outerHTML;
	const copy = (node as SvgElement).cloneNode(true);
	for (const c of copy.children) if (c.localName === 'style') copy.removeChild(c);
	return copy.outerHTML;
}
