import * as React from 'react';

import { notifyError } from '../notifications';
import { IDataset, IListRejectedRowsResponse } from '../types';
import { startDownload } from './download';
import { formatNumber } from './format';
import { IDatasetViewProps } from './props';
import { DataTable } from './table';
import { useRequest } from './useRequest';

/** Rejected rows shown in the tab (the download has them all). */
export const REJECTED_ROWS = 200;

/** How many rows the import set aside (stored in the dataset's source). */
export function rejectedCount(dataset: IDataset): number {
  const count = (dataset.source ?? {})['rejected_rows'];
  return typeof count === 'number' ? count : 0;
}

/** Props of {@link RejectedRowsTab}. */
export type IRejectedRowsTabProps = IDatasetViewProps;

/** The rows the import did not take, verbatim: line, reason and the raw text. */
export function RejectedRowsTab(props: IRejectedRowsTabProps): JSX.Element {
  const { client, project, dataset } = props;
  const [page, setPage] = React.useState<IListRejectedRowsResponse | null>(null);
  useRequest(
    () => client.getRejectedRows(project, dataset, REJECTED_ROWS),
    setPage,
    error => notifyError('Could not load the rejected rows', error),
    [client, project, dataset]
  );
  if (page === null) {
    return <p className="jp-Dataplane-notice">Loading the rejected rows…</p>;
  }
  const shown =
    page.total > page.rows.length ? ` (the first ${formatNumber(page.rows.length)} shown)` : '';
  return (
    <div className="jp-Dataplane-detailsRejected">
      <p className="jp-Dataplane-notice">
        {page.total === 1 ? '1 row was' : `${formatNumber(page.total)} rows were`} not imported
        {shown}; {page.total === 1 ? 'it is' : 'they are'} kept here as in the file.{' '}
        <button
          className="jp-Dataplane-linkButton"
          onClick={() => startDownload(client.rejectedRowsDownloadUrl(project, dataset))}
        >
          Download as CSV
        </button>
      </p>
      <DataTable className="jp-Dataplane-rejectedTable" headers={['Line', 'Reason', 'Raw text']}>
        {page.rows.map(row => (
          <tr key={row.line}>
            <td className="jp-Dataplane-number">{row.line}</td>
            <td>{row.reason}</td>
            <td>
              <pre className="jp-Dataplane-raw">{row.raw}</pre>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
