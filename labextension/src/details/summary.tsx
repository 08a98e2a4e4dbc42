import * as React from 'react';

import { wordHints } from '../hints';
import { IDataset, IDatasetStatistics } from '../types';
import {
  formatBytes,
  formatDateTime,
  formatNumber,
  formatPercent,
  humanize,
  UNKNOWN
} from './format';

/** Props of {@link Summary}. */
export interface ISummaryProps {
  dataset: IDataset;
  statistics: IDatasetStatistics | null;
}

/** The row count shown: exact, or `≈ n` while it is the first look's estimate (#13). */
export function rowsLabel(
  statistics: IDatasetStatistics | null | undefined,
  fallback: number | null | undefined
): string {
  const exact = statistics?.summary?.rows;
  const estimated = exact === undefined && statistics?.rows_estimated === true;
  return (estimated ? '≈ ' : '') + formatNumber(exact ?? statistics?.rows ?? fallback);
}

/**
 * Rows, columns, size, origin, creation and the import's warnings. The status is not repeated
 * here: the chip beside the title says it, once (as in the notebook panel).
 */
export function Summary(props: ISummaryProps): JSX.Element {
  const { dataset, statistics } = props;
  const summary = statistics?.summary;
  const fields: [string, string, string][] = [
    [
      'rows',
      'Rows',
      rowsLabel(statistics, dataset.rows)
    ],
    [
      'columns',
      'Columns',
      formatNumber(summary?.columns ?? statistics?.columns_count ?? dataset.columns)
    ],
    ['size', 'Size', formatBytes(summary?.size_bytes ?? statistics?.size_bytes ?? dataset.size_bytes)],
    ['origin', 'Origin', humanize(dataset.origin)],
    ['source', 'Source', describeSource(dataset)],
    ['created', 'Created', formatDateTime(dataset.created_at)]
  ];
  const format = readAs(dataset);
  if (format) {
    fields.splice(5, 0, ['format', 'Read as', format]); // after the source
  }
  if (dataset.created_by) {
    fields.push(['created_by', 'Created by', dataset.created_by]);
  }
  if (summary) {
    fields.push(
      [
        'missing',
        'Missing cells',
        `${formatNumber(summary.missing_cells)} (${formatPercent(summary.missing_cells_pct)})`
      ],
      [
        'duplicates',
        'Duplicate rows',
        `${formatNumber(summary.duplicate_rows)} (${formatPercent(summary.duplicate_rows_pct)})`
      ],
      ['types', 'Column types', describeTypes(summary.types)]
    );
  }
  const warnings = (dataset.warnings ?? []).map(w => wordHints(describeWarning(w), dataset.hints));
  return (
    <section className="jp-Dataplane-detailsSummary">
      <table className="jp-Dataplane-keyValues">
        <tbody>
          {fields.map(([key, label, value]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td data-field={key}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {warnings.length > 0 && (
        <div className="jp-Dataplane-warnings">
          <h4>Import warnings</h4>
          <ul>
            {warnings.map((text, index) => (
              <li key={index}>{text}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** "file sales.csv" or "datasource weekly". */
export function describeSource(dataset: IDataset): string {
  const source = (dataset.source ?? {}) as { file?: unknown; datasource?: unknown };
  if (source.datasource) {
    return `datasource ${String(source.datasource)}`;
  }
  if (source.file) {
    return `file ${String(source.file)}`;
  }
  return UNKNOWN;
}

/** How a CSV file was read (what was given or detected), as the import recorded it. */
export interface IReadFormat {
  separator?: string | null;
  decimal?: string | null;
  encoding?: string | null;
  quotechar?: string | null;
  escapechar?: string | null;
  header?: boolean | null;
  header_rows?: number | null;
  skip_lines?: number | null;
  record_delimiter?: string | null;
}

/** A character as the forms take it back: a tab as \t, line ends as \r\n. */
function shownChar(value: string): string {
  return `“${value.replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}”`;
}

/**
 * Every setting the import used, each overridable in the retry form or a new upload:
 * "separator “;”, decimal “,”, encoding utf-8, quote “"”, header of 1 line, 2 lines skipped
 * before it". Null for a dataset that was not read from a CSV file.
 */
export function describeFormat(format: IReadFormat | null | undefined): string | null {
  if (!format) {
    return null;
  }
  const parts: string[] = [];
  if (format.separator) {
    parts.push(`separator ${shownChar(format.separator)}`);
  }
  if (format.decimal) {
    parts.push(`decimal ${shownChar(format.decimal)}`);
  }
  if (format.encoding) {
    parts.push(`encoding ${format.encoding}`);
  }
  if (format.quotechar) {
    parts.push(`quote ${shownChar(format.quotechar)}`);
  }
  if (format.escapechar) {
    parts.push(`escape ${shownChar(format.escapechar)}`);
  }
  if (format.header === false) {
    parts.push('no header');
  } else if (format.header) {
    const lines = format.header_rows ?? 1;
    parts.push(`header of ${lines} line${lines === 1 ? '' : 's'}`);
  }
  if (format.skip_lines) {
    parts.push(`${format.skip_lines} line${format.skip_lines === 1 ? '' : 's'} skipped before it`);
  }
  if (format.record_delimiter && format.record_delimiter !== '\n') {
    parts.push(`line ends ${shownChar(format.record_delimiter)}`);
  }
  return parts.length > 0 ? parts.join(', ') : null;
}

function readAs(dataset: IDataset): string | null {
  const source = (dataset.source ?? {}) as { format?: IReadFormat };
  return describeFormat(source.format);
}

/** "2 numeric, 1 datetime": the kinds that occur, in the statistics' order. */
export function describeTypes(types: Record<string, number>): string {
  const present = Object.entries(types).filter(([, count]) => count > 0);
  return present.map(([kind, count]) => `${count} ${kind}`).join(', ') || UNKNOWN;
}

/** An import warning as text (the importer stores `{message, ...}`). */
export function describeWarning(warning: Record<string, unknown>): string {
  return typeof warning.message === 'string' ? warning.message : JSON.stringify(warning);
}
