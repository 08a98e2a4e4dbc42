import * as React from 'react';

/** Props of {@link DataTable}. */
export interface IDataTableProps {
  /** Class of the table besides `jp-Dataplane-table`. */
  className: string;
  /** The cells of the header row. */
  headers: readonly string[];
  /** The rows of the body. */
  children: React.ReactNode;
  /** The row the table is about, for tables of one row's neighbours. */
  'data-row'?: number;
}

/** A table of the details views: a header row, then the rows given as children. */
export function DataTable(props: IDataTableProps): JSX.Element {
  const { className, headers, children, ...attributes } = props;
  return (
    <table className={`jp-Dataplane-table ${className}`} {...attributes}>
      <thead>
        <tr>
          {headers.map((header, index) => (
            <th key={index}>{header}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
