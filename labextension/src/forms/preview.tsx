import * as React from 'react';

import { IDatasourcePreview } from '../types';

/** Rows of a preview worth showing in a dialog. */
const PREVIEW_ROWS = 5;

/** The columns (name and type) and first rows of a successful datasource test. */
export function PreviewTable(props: { preview: IDatasourcePreview }): JSX.Element {
  const columns = props.preview.columns ?? [];
  const rows = (props.preview.rows ?? []).slice(0, PREVIEW_ROWS);
  const node = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    node.current?.scrollIntoView({ block: 'nearest' });
  }, [props.preview]);
  return (
    <div className="jp-Dataplane-preview" ref={node}>
      <table>
        <thead>
          <tr>
            {columns.map(column => (
              <th key={column.name} title={column.type}>
                <span className="jp-Dataplane-previewName">{column.name}</span>
                <span className="jp-Dataplane-previewType">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{formatCell(cell)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A cell as text; missing values stay visibly empty. */
export function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) {
    return '';
  }
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}
