// The fuzz worker's entry (scripts/fuzz.ts starts one per target): a worker does not inherit every host's
// TypeScript loader, so it loads worker.ts through tsx's scoped loader itself (as hardware/nfc does).
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
