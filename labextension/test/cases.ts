import { expect } from 'vitest';

/** Check a function against a table of cases: `{ input: expected output }`. */
export function expectCases<T>(fn: (input: string) => T, cases: Record<string, T>): void {
  for (const [input, expected] of Object.entries(cases)) {
    expect(fn(input), input).toBe(expected);
  }
}
