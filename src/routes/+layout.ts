import { unpackSnapshot } from '$lib/db/snapshot-pack';
import type { LayoutLoad } from './$types';

// Every page is prerendered (adapter-static, strict).
export const prerender = true;

// The snapshot travels packed in the HTML (its agency list grows with the dataset); pages get it whole.
export const load: LayoutLoad = ({ data }) => ({ ...data, snapshot: unpackSnapshot(data.snapshot) });
