// Loaded with `node --import`: records the URL of every ES module (and CommonJS package entry
// imported from one) the process loads, one per line, in the file RECORD_IMPORTS_FILE names.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url);
