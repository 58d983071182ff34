/**
 * Whole numbers written out in Chinese numerals, as a person writes them
 * (十二, 一百零八, 一万零五百): the tests' own writer, apart from the
 * parser's reader (src/lib/report/numbers.ts), so each checks the other.
 */
const DIGITS = '零一二三四五六七八九';
const PLACES = ['千', '百', '十', ''];

/** 1 to 9,999: each place a digit and its unit, one 零 for places skipped between two written ones. */
function section(n: number): string {
	const digits = [Math.floor(n / 1000) % 10, Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
	let out = '';
	let skipped = false;
	digits.forEach((d, i) => {
		if (d === 0) {
			skipped ||= out !== '';
			return;
		}
		if (skipped) out += '零';
		skipped = false;
		out += DIGITS[d] + PLACES[i];
	});
	return out;
}

/** 0 to 99,999,999 in Chinese numerals; 10 to 19 start with 十, as they are written. */
export function chineseOf(n: number): string {
	if (!Number.isInteger(n) || n < 0 || n >= 1e8) throw new Error(`chineseOf: ${n} is out of range`);
	if (n === 0) return '零';
	const high = Math.floor(n / 1e4);
	const low = n % 1e4;
	let out = high ? `${section(high)}万` : '';
	if (low) out += (high && low < 1000 ? '零' : '') + section(low);
	return out.replace(/^一十/, '十');
}
