import { checkIcon, deleteIcon, editIcon, fileUploadIcon, runningIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CommandIDs } from '../commands/sourceIds';
import { DatasourceForm } from '../forms/datasourceForm';
import { showForm } from '../forms/formDialog';
import { SourcesModel } from '../sourcesModel';
import { TargetSchedules, createScheduleFor } from '../schedules/scheduleList';
import { IDatasource } from '../types';
import { ItemActions, ItemTest, SourcesSection, describeEntries } from './sourcesSection';

/** Open the datasource form in a dialog: a new datasource, or `saved` to edit it. */
export async function editDatasource(
  sources: SourcesModel,
  saved?: IDatasource
): Promise<boolean> {
  return showForm({
    title: saved ? `Edit datasource '${saved.name}'` : 'New datasource',
    body: new DatasourceForm(sources, saved),
    acceptLabel: 'Save'
  });
}

/** The datasources of the current project: a connector plus what to read through it. */
export class DatasourcesSection extends SourcesSection {
  /**
   * @param execute runs a command by id (importing goes through the command the datasets
   *   section uses too)
   */
  constructor(
    sources: SourcesModel,
    private readonly execute: (id: string, args: Record<string, string>) => void
  ) {
    super(sources, {
      label: 'Datasources',
      newLabel: 'New datasource',
      className: 'jp-Dataplane-datasources'
    });
  }

  protected readonly emptyText =
    'No datasources yet: a datasource points at a table, a query or a file through a connector.';

  protected async create(): Promise<void> {
    await editDatasource(this.sources);
  }

  protected renderList(): JSX.Element {
    this._renders += 1; // each refresh of the sources also reloads the schedules shown
    const datasources = this.sources.datasources;
    if (datasources.length === 0) {
      return this.empty;
    }
    return (
      <ul className="jp-Dataplane-list">
        {datasources.map(datasource => this.renderItem(datasource))}
      </ul>
    );
  }

  private _renders = 0;

  private renderItem(datasource: IDatasource): JSX.Element {
    const { sources } = this;
    const project = sources.project as string;
    const name = datasource.name;
    return (
      <li key={datasource.id} className="jp-Dataplane-item jp-Dataplane-datasource" data-name={name}>
        <div className="jp-Dataplane-itemRow">
          <span className="jp-Dataplane-itemName">{name}</span>
          <ItemActions
            actions={[
              {
                icon: fileUploadIcon,
                tooltip: 'Import as a dataset',
                className: 'jp-Dataplane-import',
                onClick: () =>
                  this.execute(CommandIDs.importFromDatasource, { project, datasource: name })
              },
              {
                icon: runningIcon,
                tooltip: 'Schedule a refresh (a new dataset snapshot each time)',
                className: 'jp-Dataplane-schedule-new',
                onClick: () =>
                  void createScheduleFor(sources.client, project, { type: 'datasource', name })
              },
              {
                icon: checkIcon,
                tooltip: 'Test: read the first rows',
                className: 'jp-Dataplane-test',
                onClick: () =>
                  void this.runTest(name, () => sources.client.testDatasource(project, name))
              },
              {
                icon: editIcon,
                tooltip: 'Edit',
                className: 'jp-Dataplane-edit',
                onClick: () =>
                  void this.edit(name, () => editDatasource(sources, datasource))
              },
              {
                icon: deleteIcon,
                tooltip: 'Delete',
                className: 'jp-Dataplane-delete',
                onClick: () =>
                  void this.confirmDelete(
                    'datasource',
                    name,
                    () => sources.client.deleteDatasource(project, name),
                    'Datasets imported from it stay.'
                  )
              }
            ]}
          />
        </div>
        <div className="jp-Dataplane-itemDetail">
          <span className="jp-Dataplane-kind">
            {sources.kind(datasource.kind)?.label ?? datasource.kind}
          </span>
          {datasource.connector}: {describeEntries(datasource.locator)}
        </div>
        <ItemTest state={this.tests.get(name)} />
        <TargetSchedules
          client={sources.client}
          project={project}
          target={{ type: 'datasource', name }}
          version={this._renders}
        />
      </li>
    );
  }
}
