import { fileUploadIcon, runningIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CommandIDs } from '../commands/sourceIds';
import { DatasourceForm } from '../forms/datasourceForm';
import { SourcesModel } from '../sourcesModel';
import { TargetSchedules, createScheduleFor } from '../schedules/scheduleList';
import { IDatasource } from '../types';
import { IItemAction, SourcesSection, describeEntries } from './sourcesSection';

/** The datasources of the current project: a connector plus what to read through it. */
export class DatasourcesSection extends SourcesSection<IDatasource> {
  /**
   * @param execute runs a command by id (importing goes through the command the datasets
   *   section uses too)
   */
  constructor(
    sources: SourcesModel,
    private readonly execute: (id: string, args: Record<string, string>) => void
  ) {
    super(sources, {
      what: 'datasource',
      resource: sources.client.datasources,
      emptyText:
        'No datasources yet: a datasource points at a table, a query or a file through a connector.',
      testTooltip: 'Test: read the first rows',
      deleteConsequence: 'Datasets imported from it stay.'
    });
  }

  protected get items(): readonly IDatasource[] {
    return this.sources.datasources;
  }

  protected form(saved?: IDatasource): DatasourceForm {
    return new DatasourceForm(this.sources, saved);
  }

  protected renderList(): JSX.Element {
    this._renders += 1; // each refresh of the sources also reloads the schedules shown
    return super.renderList();
  }

  private _renders = 0;

  protected itemActions(datasource: IDatasource, project: string): IItemAction[] {
    const name = datasource.name;
    return [
      {
        icon: fileUploadIcon,
        tooltip: 'Import as a dataset',
        className: 'jp-Dataplane-import',
        onClick: () => this.execute(CommandIDs.importFromDatasource, { project, datasource: name })
      },
      {
        icon: runningIcon,
        tooltip: 'Schedule a refresh (a new dataset snapshot each time)',
        className: 'jp-Dataplane-schedule-new',
        onClick: () =>
          void createScheduleFor(this.sources.client, project, { type: 'datasource', name })
      }
    ];
  }

  protected renderDetail(datasource: IDatasource): JSX.Element {
    return (
      <>
        {datasource.connector}: {describeEntries(datasource.locator)}
      </>
    );
  }

  protected renderMore(datasource: IDatasource, project: string): JSX.Element {
    return (
      <TargetSchedules
        client={this.sources.client}
        project={project}
        target={{ type: 'datasource', name: datasource.name }}
        version={this._renders}
      />
    );
  }
}
