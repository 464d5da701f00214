// Lint = typescript-eslint + hooks rules + the one-way dependency direction
// (README "How the pieces fit"): domain <- db <- queries <- features <- app; src/ui is shared;
// features read and write through src/queries, never src/db (its types excepted);
// server/ (the lab server) imports only src/domain.
import { readdirSync } from 'node:fs';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// Packages that tie code to React, storage or the browser runtime.
const FRAMEWORK_PACKAGES = ['react', 'react-dom', 'react-router', 'react-hook-form', 'dexie', 'dexie-react-hooks', '@tanstack'];

// One zone per feature folder: src/features/X imports nothing from another src/features/Y.
// Read at lint time, so a new feature folder is covered without editing this file.
const featureFolders = (() => {
  try {
    return readdirSync(new URL('./src/features/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return []; // no features yet
  }
})();

export default defineConfig(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'coverage/', 'bench-results/'] },

  { files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'] },
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Cannot tell Function.prototype.apply from a domain method named apply(state, command).
      'prefer-spread': 'off',
    },
  },

  // Hooks rules only where React lives; src/domain must not use React at all (see below),
  // and a pure helper there named use… is not a hook.
  {
    files: ['src/**/*.{ts,tsx}', 'tests/features/**/*.{ts,tsx}'],
    ignores: ['src/domain/**'],
    ...reactHooks.configs.flat.recommended,
  },

  {
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
          conditionNames: ['import', 'browser', 'default'],
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/domain',
              from: './src',
              except: ['./domain'],
              message: 'src/domain is pure and imports nothing else from src: time, user and storage are passed in.',
            },
            {
              target: './src/domain',
              from: FRAMEWORK_PACKAGES.map((name) => `./node_modules/${name}`),
              message: 'src/domain imports no React, Dexie or TanStack.',
            },
            {
              target: './src/db',
              from: './src',
              except: ['./db', './domain', './crypto'],
              message: 'src/db depends only on src/domain and src/crypto.',
            },
            {
              target: './src/crypto',
              from: './src',
              except: ['./crypto'],
              message: 'src/crypto is Web Crypto only and imports nothing else from src.',
            },
            {
              target: './src/ui',
              from: ['./src/features', './src/db'],
              message: 'src/ui is shared presentation: pass data in as props.',
            },
            {
              target: './src/queries',
              from: ['./src/ui', './src/features', './src/app'],
              message: 'src/queries is data access for the UI and imports no UI: components use queries, not the other way round.',
            },
            {
              target: './server',
              from: './src',
              except: ['./domain'],
              message: 'The lab server imports src/domain (types, zod schemas) and nothing else from src: no Dexie, React or browser code.',
            },
            {
              target: './src',
              from: './server',
              message: 'The app never imports the lab server: it talks to it over HTTP.',
            },
            ...featureFolders.map((name) => ({
              target: `./src/features/${name}`,
              from: './src/features',
              except: [`./${name}`],
              message: 'Features do not import each other: move shared code to src/ui, src/domain or src/db.',
            })),
          ],
        },
      ],
    },
  },

  // Features read and write through src/queries (keys, cache, refresh on change), never a
  // repository directly; a db type (a row shape) may still be named. A worker has no query
  // cache to go through: it reads what it was sent for itself (the 3D view's file chunks).
  {
    files: ['src/features/**/*.{ts,tsx}'],
    ignores: ['src/features/**/*-worker.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+db(/|$)',
              allowTypeImports: true,
              message: 'Features do not import src/db values: read and write through a hook or query in src/queries (import type is fine).',
            },
          ],
        },
      ],
    },
  },

  // Belt and braces for packages: no-restricted-paths skips imports it cannot resolve
  // (e.g. type-only packages), this catches them by name.
  {
    files: ['src/domain/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(${FRAMEWORK_PACKAGES.join('|')})(\\/|$)`,
              message: 'src/domain imports no React, Dexie or TanStack.',
            },
          ],
        },
      ],
    },
  },
);
