import { MainAreaWidget } from '@jupyterlab/apputils';
import {
  downloadIcon,
  refreshIcon,
  ToolbarButton,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { IChartTheme, readTheme } from '../charts';
import { DataplaneClient } from '../client';
import { downloadURL, startDownload } from './download';
import { datasetDetailsIcon } from './icon';
import { IDataset } from '../types';
import { ColumnsTab } from './columns';
import { defaultColorColumn } from './columnStats';
import { EmbeddingsTab } from './embeddings';
import { GeneralTab } from './general';
import { hasLineage, LineageTab } from './lineage';
import { DatasetDetailsModel } from './model';
import { rejectedCount, RejectedRowsTab } from './rejected';
import { SampleTab } from './sample';
import { ChartThemeContext, OpenDatasetContext } from './theme';
import { statusClass } from './format';
import { OwningWidget } from '../view';

/** The tabs of the details page, in order. */
export const DETAILS_TABS = [
  'General',
  'Columns',
  'Sample',
  'Embeddings',
  'Rejected rows',
  'Lineage'
] as const;

/** One of {@link DETAILS_TABS}. */
export type DetailsTab = (typeof DETAILS_TABS)[number];

/** The content of a details tab: header, then General, Columns, Sample, Embeddings, and Rejected
 * rows and Lineage when they apply. */
export class DatasetDetailsView extends OwningWidget {
  constructor(
    readonly model: DatasetDetailsModel,
    private readonly _openDataset: (project: string, dataset: string) => void = () => undefined,
    tab: DetailsTab = 'General'
  ) {
    super();
    this.own(model);
    this.addClass('jp-Dataplane-details');
    this._theme = readTheme();
    this.showTab(tab);
  }

  /** The tab shown. */
  get tab(): DetailsTab {
    return this._tab;
  }

  /** Show one of the tabs; Embeddings opens on the map when the embeddings are computed. */
  showTab(tab: DetailsTab): void {
    this._tab = tab;
    if (tab === 'Embeddings') {
      this._exploreRequests++;
    }
    this.update();
  }

  /** Read the theme's colours again and redraw the charts in them. */
  themeChanged(): void {
    this._theme = readTheme();
    this.update();
  }

  render(): JSX.Element {
    return (
      <ChartThemeContext.Provider value={this._theme}>
        <OpenDatasetContext.Provider value={this._openDataset}>
          <UseSignal signal={this.model.stateChanged}>
            {() => (
              <DetailsPage
                model={this.model}
                tab={this._tab}
                exploreRequest={this._exploreRequests}
                onTab={tab => {
                  this._tab = tab;
                  this.update();
                }}
              />
            )}
          </UseSignal>
        </OpenDatasetContext.Provider>
      </ChartThemeContext.Provider>
    );
  }

  private _exploreRequests = 0;
  private _tab: DetailsTab = 'General';
  private _theme: IChartTheme;
}

function DetailsPage(props: {
  model: DatasetDetailsModel;
  tab: DetailsTab;
  /** Counts the requests for the embeddings map (see `showTab`). */
  exploreRequest: number;
  onTab: (tab: DetailsTab) => void;
}): JSX.Element {
  const { model, tab } = props;
  const dataset = model.dataset;
  if (dataset === null) {
    return (
      <p className={`jp-Dataplane-notice ${model.error ? 'jp-Dataplane-error' : ''}`}>
        {model.error ? `Could not load the dataset: ${model.error}` : 'Loading…'}
      </p>
    );
  }
  return (
    <>
      <DetailsHeader dataset={dataset} error={model.error} />
      {dataset.status === 'ready' || dataset.status === 'computing_statistics' ? (
        <>
          <div className="jp-Dataplane-tabs" role="tablist">
            {DETAILS_TABS.filter(name => shownTab(name, dataset)).map(name => (
              <button
                key={name}
                role="tab"
                aria-selected={name === tab}
                data-tab={name}
                className={`jp-Dataplane-tab ${name === tab ? 'jp-mod-current' : ''}`}
                onClick={() => props.onTab(name)}
              >
                {name === 'Rejected rows' ? `Rejected rows (${rejectedCount(dataset)})` : name}
              </button>
            ))}
          </div>
          <div className="jp-Dataplane-tabPanel" role="tabpanel" data-tab={tab}>
            <TabContent
              tab={tab}
              model={model}
              dataset={dataset}
              exploreRequest={props.exploreRequest}
            />
          </div>
        </>
      ) : (
        <p className="jp-Dataplane-notice">
          {dataset.status === 'failed'
            ? 'The import failed: there is nothing to show.'
            : 'The data is being copied: the details appear when it is done.'}
        </p>
      )}
    </>
  );
}

/** Rejected rows only when the import set some aside; Lineage only when a pipeline run made it. */
function shownTab(name: DetailsTab, dataset: IDataset): boolean {
  if (name === 'Rejected rows') {
    return rejectedCount(dataset) > 0;
  }
  if (name === 'Lineage') {
    return hasLineage(dataset);
  }
  return true;
}

function TabContent(props: {
  tab: DetailsTab;
  model: DatasetDetailsModel;
  dataset: IDataset;
  exploreRequest: number;
}): JSX.Element {
  const { tab, model, dataset } = props;
  const statistics = model.statistics;
  const place = { client: model.client, project: model.project, dataset: dataset.id };
  switch (tab) {
    case 'General':
      return <GeneralTab dataset={dataset} statistics={statistics} />;
    case 'Columns':
      return statistics ? (
        <ColumnsTab {...place} statistics={statistics} />
      ) : (
        <p className="jp-Dataplane-notice">Loading the statistics…</p>
      );
    case 'Sample':
      return <SampleTab {...place} />;
    case 'Rejected rows':
      return <RejectedRowsTab {...place} />;
    case 'Lineage':
      return dataset.lineage ? (
        <LineageTab project={model.project} lineage={dataset.lineage} />
      ) : (
        <p className="jp-Dataplane-notice">No pipeline run made this dataset.</p>
      );
    case 'Embeddings':
      return (
        <EmbeddingsTab
          {...place}
          dataset={dataset}
          columns={statistics?.columns.map(column => column.name) ?? []}
          defaultColor={statistics ? defaultColorColumn(statistics.columns) : null}
          onChanged={() => void model.refresh()}
          exploreRequest={props.exploreRequest}
        />
      );
  }
}

function DetailsHeader(props: { dataset: IDataset; error: string | null }): JSX.Element {
  const { dataset, error } = props;
  const progress =
    dataset.status === 'copying' && dataset.progress
      ? ` ${Math.round(dataset.progress * 100)}%`
      : '';
  return (
    <header className="jp-Dataplane-detailsHeader">
      <h2 className="jp-Dataplane-detailsTitle">{dataset.name}</h2>
      <span
        className={statusClass(dataset.status)}
        title={dataset.status_label}
      >
        {dataset.status_label + progress}
      </span>
      {dataset.error && <p className="jp-Dataplane-notice jp-Dataplane-error">{dataset.error}</p>}
      {error && (
        <p className="jp-Dataplane-notice jp-Dataplane-error">Could not refresh: {error}</p>
      )}
    </header>
  );
}

/** A main-area tab showing one dataset's details. */
export class DatasetDetailsWidget extends MainAreaWidget<DatasetDetailsView> {
  constructor(options: DatasetDetailsWidget.IOptions) {
    const model = new DatasetDetailsModel({
      client: options.client,
      project: options.project,
      dataset: options.record.id,
      record: options.record
    });
    super({ content: new DatasetDetailsView(model, options.openDataset, options.tab) });
    this.project = options.project;
    this.datasetId = options.record.id;
    this.addClass('jp-Dataplane-detailsPanel');
    this.title.icon = datasetDetailsIcon;
    this.title.closable = true;
    this._setTitle(options.record.name);
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: 'Refresh',
        onClick: () => void model.refresh()
      })
    );
    for (const format of ['csv', 'parquet'] as const) {
      this.toolbar.addItem(
        `download-${format}`,
        new ToolbarButton({
          icon: downloadIcon,
          label: format === 'csv' ? 'CSV' : 'Parquet',
          tooltip: `Download the dataset as ${format === 'csv' ? 'CSV' : 'Parquet'}`,
          onClick: () => startDownload(downloadURL(options.client, options.project, this.datasetId, format))
        })
      );
    }
    model.stateChanged.connect(this._onStateChanged, this);
  }

  /** Project of the dataset. */
  readonly project: string;
  /** Id of the dataset (its name may change). */
  readonly datasetId: string;

  /** Follow a rename made elsewhere. */
  private _onStateChanged(model: DatasetDetailsModel): void {
    const name = model.dataset?.name;
    if (name && name !== this.title.label) {
      this._setTitle(name);
    }
  }

  private _setTitle(name: string): void {
    this.title.label = name;
    this.title.caption = `Dataset ${name} (project ${this.project})`;
  }
}

export namespace DatasetDetailsWidget {
  export interface IOptions {
    client: DataplaneClient;
    project: string;
    /** The dataset's record, as just fetched. */
    record: IDataset;
    /** Open another dataset's details (a selection saved from the embeddings map). */
    openDataset?: (project: string, dataset: string) => void;
    /** The tab shown first; General by default. */
    tab?: DetailsTab;
  }
}
