import { defineConfig } from 'vitest/config';

// Unit tests of the frontend's pure code (no DOM): `npm test`. The browser tests under
// tests/browser cover the rendered sidebar in a real JupyterLab.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 20000
  }
});
