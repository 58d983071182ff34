// Worker entry: TypeScript sources need tsx's loader inside the worker too.
import { register } from 'tsx/esm/api';
register();
await import('./rows-task.ts');
