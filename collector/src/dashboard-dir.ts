import { fileURLToPath } from 'node:url';

/**
 * The built dashboard, found relative to this file: `collector/src/` and `collector/dist/` are
 * both two levels below the repository root, next to `dashboard/dist/`.
 */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));
