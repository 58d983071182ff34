import { unpackSnapshot } from '$lib/db/snapshot-pack';
import type { PageLoad } from './$types';

// The snapshot travels packed in the HTML (its agency list grows with the dataset); views get it whole.
export const load: PageLoad = ({ data }) => ({ ...data, snapshot: unpackSnapshot(data.snapshot) });
