/**
 * The report as a sequence of blocks (title, prose, the three tables), shared by
 * the text, markdown and HTML renderers. The prose is written for this project
 * and only mentions numbers that agree with the record.
 */
import { TABLE_TITLES, type CompleteRecord } from '../report/schema';
import { activeGrid, casesGrid, requestsGrid, type TableGrid } from './layout';
import type { NoiseOptions } from './noise';
import type { Rng } from './random';
import { proseSentences, proseStatements } from './prose';

export type Block = { kind: 'heading'; text: string } | { kind: 'paragraph'; text: string } | { kind: 'table'; grid: TableGrid };

export interface ReportOutline {
	title: string;
	/** The posting date line, e.g. 发布日期：2024-01-20 (the year after the reported one). */
	dateLine: string;
	/** The line that marks the document as generated. */
	notice: string;
	blocks: Block[];
	/** The agency and date under the last section, as on a signed report. */
	signature: string[];
	/** Title of the agency's report for the year before (for "related links"). */
	previousTitle: string;
}

export const SYNTHETIC_NOTICE = '（本报告为 Nianbao 生成的合成样例数据，非真实机关报告。）';

export function statisticsPeriod(year: number): string {
	return `本报告所列数据统计期限自${year}年1月1日起至${year}年12月31日止。`;
}

export function reportTitle(agency: string, year: number, rng: Rng): string {
	const forms = [
		`${agency}${year}年政府信息公开工作年度报告`,
		`${year}年${agency}政府信息公开工作年度报告`,
		`${agency}${year}年度政府信息公开工作年度报告`,
		`${agency}${year}年政府信息公开年度报告`
	];
	return rng.weighted(forms, [5, 2, 2, 1]);
}

/** "样例市第3局2023年…" → "样例市第3局 2023 年…", as some pages print it. */
function spaceOutYear(title: string, year: number): string {
	return title.replace(`${year}年`, ` ${year} 年`).trim();
}

interface PostingDate {
	year: number;
	month: number;
	day: number;
}

function postingDate(year: number, rng: Rng): PostingDate {
	return { year: year + 1, month: rng.int(1, 3), day: rng.int(1, 28) };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function dateLine(date: PostingDate, agency: string, rng: Rng): string {
	const iso = `${date.year}-${pad2(date.month)}-${pad2(date.day)}`;
	return rng.pick([`发布日期：${iso}`, `发布时间：${date.year}年${pad2(date.month)}月${pad2(date.day)}日`, `日期：${iso}\u3000来源：${agency}`]);
}

function total(record: CompleteRecord, row: 'new_received' | 'carried_over' | 'total_processed' | 'carried_forward'): number {
	return record.requests[row]?.total ?? 0;
}

function introParagraph(record: CompleteRecord, rng: Rng): string {
	const basis = rng.pick([
		'本报告依照《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定和上级政务公开工作要求编写，',
		'根据《中华人民共和国政府信息公开条例》第五十条的要求，结合本机关工作实际，编写本报告，'
	]);
	const parts =
		'分为总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。';
	const contact = rng.pick([`如对本报告有疑问，请与${record.agency}办公室联系。`, '本报告电子版可在本机关门户网站政府信息公开专栏查阅。']);
	return basis + parts + statisticsPeriod(record.year) + contact;
}

function overviewParagraphs(record: CompleteRecord, rng: Rng): string[] {
	const published = rng.int(40, 4000);
	const basic = rng.int(5, Math.max(5, Math.floor(published / 3)));
	const trainings = rng.int(1, 6);
	const said = proseStatements(record);
	return [
		`（一）主动公开。全年通过门户网站政府信息公开专栏发布各类信息${published}条，其中机构职能、政策文件、规划计划等基础信息${basic}条，` +
			rng.pick(['做到应公开尽公开。', '各栏目内容按要求及时更新。']) +
			proseSentences(said.active),
		`（二）依申请公开。本年度新收政府信息公开申请${total(record, 'new_received')}件，上年结转${total(record, 'carried_over')}件，` +
			`办结${total(record, 'total_processed')}件，结转下年度继续办理${total(record, 'carried_forward')}件，均在法定期限内作出答复。` +
			proseSentences(said.requests),
		'（三）政府信息管理。' +
			rng.pick(['公文在起草阶段即明确公开属性，拟不公开的须说明理由，发布前逐件审查。', '定期清理已公开的政策文件，对失效、废止文件作出标注。']),
		'（四）政府信息公开平台建设。' + rng.pick(['优化门户网站公开专栏的栏目设置，完善站内检索功能。', '政务新媒体与门户网站同步发布重要信息，方便公众查阅。']),
		`（五）监督保障。将政务公开工作纳入年度目标考核，全年组织业务培训${trainings}次，` + rng.pick(['及时回应社会关切。', '接受社会公众监督。'])
	];
}

function problemsParagraph(record: CompleteRecord, rng: Rng): string {
	const problem = rng.pick([
		'本年度政府信息公开工作仍存在一些不足：部分栏目更新不够及时，政策解读形式较为单一。',
		'工作中仍有薄弱环节：依申请公开答复文书的规范性有待提高，工作人员业务能力需进一步加强。'
	]);
	return `${problem}${record.year + 1}年，将加强栏目日常维护，丰富解读形式，组织专题培训，持续提升公开质量。`;
}

function otherMattersParagraph(record: CompleteRecord, rng: Rng): string {
	if (record.template === '2019') return '本年度无其他需要报告的事项。';
	return rng.chance(0.7) ? '本年度未收取政府信息公开信息处理费。' : `依据《政府信息公开信息处理费管理办法》，本年度收取信息处理费${rng.int(1, 20) * 100}元。`;
}

function reviewHeading(rng: Rng): string {
	return rng.pick([`四、${TABLE_TITLES['四']}`, '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况']);
}

function tableBlock(grid: TableGrid | null): Block[] {
	return grid ? [{ kind: 'table', grid }] : [];
}

export function reportOutline(record: CompleteRecord, rng: Rng, noise: NoiseOptions): ReportOutline {
	const baseTitle = reportTitle(record.agency, record.year, rng);
	const title = rng.chance(noise.labelSpaces) ? spaceOutYear(baseTitle, record.year) : baseTitle;
	const date = postingDate(record.year, rng);
	const blocks: Block[] = [
		{ kind: 'paragraph', text: introParagraph(record, rng) },
		{ kind: 'heading', text: '一、总体情况' },
		...overviewParagraphs(record, rng).map((text): Block => ({ kind: 'paragraph', text })),
		{ kind: 'heading', text: `二、${TABLE_TITLES['二']}` },
		...tableBlock(activeGrid(record)),
		{ kind: 'heading', text: `三、${TABLE_TITLES['三']}` },
		...tableBlock(requestsGrid(record)),
		{ kind: 'heading', text: reviewHeading(rng) },
		...tableBlock(casesGrid(record)),
		{ kind: 'heading', text: '五、存在的主要问题及改进情况' },
		{ kind: 'paragraph', text: problemsParagraph(record, rng) },
		{ kind: 'heading', text: '六、其他需要报告的事项' },
		{ kind: 'paragraph', text: otherMattersParagraph(record, rng) }
	];
	const signature = rng.chance(0.6) ? [record.agency, `${date.year}年${date.month}月${date.day}日`] : [];
	return {
		title,
		dateLine: dateLine(date, record.agency, rng),
		notice: SYNTHETIC_NOTICE,
		blocks,
		signature,
		previousTitle: `${record.agency}${record.year - 1}年政府信息公开工作年度报告`
	};
}
