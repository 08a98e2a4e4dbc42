import { IPipelineProblem } from '../types';

/**
 * Steps as a YAML document the server reads back unchanged: block style, each value written as
 * JSON (every JSON value is valid YAML), so no YAML library is needed in the browser.
 */
export function stepsToYaml(steps: ReadonlyArray<Record<string, unknown>>): string {
  return steps
    .map(step =>
      Object.entries(step)
        .map(([key, value], index) => `${index === 0 ? '- ' : '  '}${key}: ${JSON.stringify(value)}`)
        .join('\n')
    )
    .join('\n') + '\n';
}

/** A starting document for a new pipeline. */
export const NEW_PIPELINE_YAML = `# One step per item: name, kind (read, sql, python, notebook, predict, export) and its fields.
- name: source
  kind: read
  dataset: my_dataset
- name: cleaned
  kind: sql
  query: select * from source
`;

/**
 * The 1-based line of the YAML document where a problem's step starts (its \`name:\` line, else
 * the index-th list item), so the editor can show the message next to it.
 */
export function problemLine(yaml: string, problem: IPipelineProblem): number | null {
  const lines = yaml.split('\n');
  if (problem.step) {
    const escaped = problem.step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(^|[\\s{,-])name:\\s*["']?${escaped}["']?\\s*($|[,}])`);
    const found = lines.findIndex(line => pattern.test(line));
    if (found >= 0) {
      return found + 1;
    }
  }
  if (problem.index !== null && problem.index !== undefined) {
    let items = -1;
    for (let i = 0; i < lines.length; i++) {
      if (/^-\s/.test(lines[i])) {
        items += 1;
        if (items === problem.index) {
          return i + 1;
        }
      }
    }
  }
  return null;
}
