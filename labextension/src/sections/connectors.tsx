import { ConnectorForm } from '../forms/connectorForm';
import { SourcesModel } from '../sourcesModel';
import { IConnector } from '../types';
import { SourcesSection } from './sourcesSection';

/** The connectors of the current project: credentials and addresses of external systems. */
export class ConnectorsSection extends SourcesSection<IConnector> {
  constructor(sources: SourcesModel) {
    super(sources, {
      what: 'connector',
      resource: sources.client.connectors,
      emptyText:
        'No connectors yet: a connector holds the address and credentials of a database, FTP/SFTP server or bucket.',
      testTooltip: 'Test connection'
    });
  }

  protected get items(): readonly IConnector[] {
    return this.sources.connectors;
  }

  protected form(saved?: IConnector): ConnectorForm {
    return new ConnectorForm(this.sources, saved);
  }

  protected renderDetail(connector: IConnector): string {
    return describeAddress(connector);
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
