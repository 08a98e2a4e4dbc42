import { checkIcon, deleteIcon, editIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ConnectorForm } from '../forms/connectorForm';
import { showForm } from '../forms/formDialog';
import { SourcesModel } from '../sourcesModel';
import { IConnector } from '../types';
import { ItemActions, ItemTest, SourcesSection } from './sourcesSection';

/** Open the connector form in a dialog: a new connector, or `saved` to edit it. */
export async function editConnector(
  sources: SourcesModel,
  saved?: IConnector
): Promise<boolean> {
  return showForm({
    title: saved ? `Edit connector '${saved.name}'` : 'New connector',
    body: new ConnectorForm(sources, saved),
    acceptLabel: 'Save'
  });
}

/** The connectors of the current project: credentials and addresses of external systems. */
export class ConnectorsSection extends SourcesSection {
  constructor(sources: SourcesModel) {
    super(sources, {
      label: 'Connectors',
      newLabel: 'New connector',
      className: 'jp-Dataplane-connectors'
    });
  }

  protected readonly emptyText =
    'No connectors yet: a connector holds the address and credentials of a database, FTP/SFTP server or bucket.';

  protected async create(): Promise<void> {
    await editConnector(this.sources);
  }

  protected renderList(): JSX.Element {
    const connectors = this.sources.connectors;
    if (connectors.length === 0) {
      return this.empty;
    }
    return (
      <ul className="jp-Dataplane-list">
        {connectors.map(connector => this.renderItem(connector))}
      </ul>
    );
  }

  private renderItem(connector: IConnector): JSX.Element {
    const { sources } = this;
    const project = sources.project as string;
    const name = connector.name;
    return (
      <li key={connector.id} className="jp-Dataplane-item jp-Dataplane-connector" data-name={name}>
        <div className="jp-Dataplane-itemRow">
          <span className="jp-Dataplane-itemName">{name}</span>
          <ItemActions
            actions={[
              {
                icon: checkIcon,
                tooltip: 'Test connection',
                className: 'jp-Dataplane-test',
                onClick: () =>
                  void this.runTest(name, () => sources.client.testConnector(project, name))
              },
              {
                icon: editIcon,
                tooltip: 'Edit',
                className: 'jp-Dataplane-edit',
                onClick: () =>
                  void this.edit(name, () => editConnector(sources, connector))
              },
              {
                icon: deleteIcon,
                tooltip: 'Delete',
                className: 'jp-Dataplane-delete',
                onClick: () =>
                  void this.confirmDelete('connector', name, () =>
                    sources.client.deleteConnector(project, name)
                  )
              }
            ]}
          />
        </div>
        <div className="jp-Dataplane-itemDetail">
          <span className="jp-Dataplane-kind">
            {sources.kind(connector.kind)?.label ?? connector.kind}
          </span>
          {describeAddress(connector)}
        </div>
        <ItemTest state={this.tests.get(name)} />
      </li>
    );
  }
}

/** "bob@ftp.example:21", else the first plain fields: where a connector points, never secrets. */
export function describeAddress(connector: IConnector): string {
  const config = connector.config;
  const host = config.host ? String(config.host) : '';
  if (host) {
    const user = config.username ? `${config.username}@` : '';
    const port = config.port ? `:${config.port}` : '';
    return `${user}${host}${port}`;
  }
  for (const key of ['endpoint_url', 'database', 'project', 'region']) {
    if (config[key]) {
      return String(config[key]);
    }
  }
  return '';
}
