/** PBKDF2 iterations for new secrets and the minimum accepted, compiled in by vite.config.ts (600,000 in every build). */
declare const __KDF_ITERATIONS__: number;
