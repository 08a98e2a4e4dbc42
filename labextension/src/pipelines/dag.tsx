import * as React from 'react';

/** Colour of a step by its status in a run (grey before any run). */
export const STEP_COLORS: Record<string, string> = {
  pending: '#bdbdbd',
  running: '#1e88e5',
  succeeded: '#2e7d32',
  reused: '#81c784',
  failed: '#c62828',
  cancelled: '#ef6c00',
  skipped: '#e0e0e0',
  none: '#90a4ae'
};

/** A step as the DAG needs it. */
export interface IDagStep {
  name: string;
  kind: string;
  inputs: string[];
}

/** The steps a step reads: `input` (one name or a list), or for `sql` the step names its query mentions. */
export function stepInputs(step: Record<string, unknown>, names: readonly string[]): string[] {
  if (step.kind === 'sql') {
    const query = String(step.query ?? '');
    return names.filter(
      name => name !== step.name && new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`).test(query)
    );
  }
  const input = step.input;
  if (Array.isArray(input)) {
    return input.map(String);
  }
  return input ? [String(input)] : [];
}

/** Steps of a definition with their inputs. */
export function dagSteps(steps: ReadonlyArray<Record<string, unknown>>): IDagStep[] {
  const names = steps.map(step => String(step.name));
  return steps.map(step => ({
    name: String(step.name),
    kind: String(step.kind),
    inputs: stepInputs(step, names).filter(name => names.includes(name))
  }));
}

/** Column = depth (longest path from a source), row = place among the steps of that depth. */
export function layoutDag(steps: readonly IDagStep[]): Map<string, { col: number; row: number }> {
  const byName = new Map(steps.map(step => [step.name, step]));
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) {
      return known;
    }
    const parents = (byName.get(name)?.inputs ?? []).filter(p => !seen.has(p));
    const value = parents.length
      ? 1 + Math.max(...parents.map(p => depthOf(p, new Set([...seen, name]))))
      : 0;
    depth.set(name, value);
    return value;
  };
  const rows = new Map<number, number>();
  const positions = new Map<string, { col: number; row: number }>();
  for (const step of steps) {
    const col = depthOf(step.name, new Set());
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    positions.set(step.name, { col, row });
  }
  return positions;
}

const COL = 150;
const ROW = 80;
const RADIUS = 16;

/** The DAG as SVG: arrows from inputs, nodes coloured by status, name and kind under each. */
export function DagView(props: {
  steps: readonly IDagStep[];
  statuses: Record<string, string>;
}): JSX.Element {
  const positions = layoutDag(props.steps);
  const cols = Math.max(0, ...[...positions.values()].map(p => p.col)) + 1;
  const rows = Math.max(0, ...[...positions.values()].map(p => p.row)) + 1;
  const at = (name: string) => {
    const p = positions.get(name) ?? { col: 0, row: 0 };
    return { x: 60 + p.col * COL, y: 30 + p.row * ROW };
  };
  return (
    <svg
      className="jp-Dataplane-dag"
      width={cols * COL + 20}
      height={rows * ROW + 20}
      role="img"
      aria-label="pipeline steps"
    >
      <defs>
        <marker id="jp-Dataplane-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#9e9e9e" />
        </marker>
      </defs>
      {props.steps.flatMap(step =>
        step.inputs.map(input => {
          const from = at(input);
          const to = at(step.name);
          const dx = to.x - from.x;
          const dy = to.y - from.y;
          const length = Math.hypot(dx, dy) || 1;
          return (
            <line
              key={`${input}->${step.name}`}
              x1={from.x + (dx / length) * RADIUS}
              y1={from.y + (dy / length) * RADIUS}
              x2={to.x - (dx / length) * (RADIUS + 3)}
              y2={to.y - (dy / length) * (RADIUS + 3)}
              stroke="#9e9e9e"
              strokeWidth={1.5}
              markerEnd="url(#jp-Dataplane-arrow)"
            />
          );
        })
      )}
      {props.steps.map(step => {
        const { x, y } = at(step.name);
        const status = props.statuses[step.name] ?? 'none';
        return (
          <g
            key={step.name}
            className="jp-Dataplane-dagNode"
            data-step={step.name}
            data-status={status}
          >
            <title>{`${step.name} (${step.kind}): ${status === 'none' ? 'not run' : status}`}</title>
            <circle cx={x} cy={y} r={RADIUS} fill={STEP_COLORS[status] ?? STEP_COLORS.none} stroke="#424242" />
            <text x={x} y={y + RADIUS + 14} textAnchor="middle" className="jp-Dataplane-dagName">
              {step.name}
            </text>
            <text x={x} y={y + RADIUS + 27} textAnchor="middle" className="jp-Dataplane-dagKind">
              {step.kind}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
