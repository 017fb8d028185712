import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { generateKeyPairSync } from 'node:crypto';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';

// Two projects: pure modules and Node CLIs run in Node; everything that needs the
// Worker, D1 and R2 runs inside workerd through the Workers pool (miniflare).
export default defineConfig(
  async (): Promise<ViteUserConfig> => ({
    test: {
      // The JSON report is what .ci/run counts to print its "N passed, N failed" line.
      reporters: ['default', ['json', { outputFile: '.wrangler/vitest-report.json' }]],
      projects: [
        {
          test: {
            name: 'node',
            environment: 'node',
            include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'r2-seed/**/*.test.ts', 'test/node/**/*.test.ts', 'test/browser/**/*.test.ts'],
            exclude: ['**/*.worker.test.ts', 'node_modules/**'],
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations('migrations'),
                  ADMIN_TOKEN: 'test-admin-token',
                  SCORING_DAILY_LIMIT: '3',
                  // A fresh receipt key per run: tests verify receipts against /.well-known/jwks.json, never a fixed key.
                  RECEIPT_SIGNING_KEY: JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
                  // Property-based tests draw anew on every local run; CI replays a fixed seed so whether a
                  // submission lands does not hinge on the draw. FUZZ_SEED=<n> replays a reported failure.
                  FUZZ_SEED: process.env.FUZZ_SEED ?? (process.env.CI ? '1' : String(Date.now() % 2 ** 31)),
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['src/**/*.worker.test.ts', 'test/worker/**/*.test.ts'],
            setupFiles: ['test/worker/apply-migrations.ts'],
            testTimeout: 60_000,
          },
        },
      ],
    },
  }),
);
