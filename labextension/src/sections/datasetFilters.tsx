import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataplaneModel } from '../model';
import { DatasetOrigin } from '../types';
import { ORIGIN_LABELS, ORIGIN_SHORT_LABELS } from './datasetItem';

const ORIGINS = Object.keys(ORIGIN_LABELS) as DatasetOrigin[];

/**
 * Search box and origin toggles of the datasets list. Both go to the server's query; with no
 * origin toggled on, every origin is shown.
 */
export function DatasetFilters(props: { model: DataplaneModel }): JSX.Element {
  const { model } = props;
  return (
    <div className="jp-Dataplane-filters">
      <InputGroup
        className="jp-Dataplane-search"
        type="search"
        placeholder="Search datasets by name"
        aria-label="Search datasets by name"
        value={model.search}
        rightIcon="ui-components:search"
        onChange={event => void model.setSearch(event.target.value)}
      />
      <div className="jp-Dataplane-originFilters" role="group" aria-label="Origin">
        {ORIGINS.map(origin => {
          const pressed = model.origins.includes(origin);
          return (
            <button
              key={origin}
              type="button"
              className={`jp-Dataplane-originToggle${pressed ? ' jp-mod-active' : ''}`}
              data-origin={origin}
              aria-pressed={pressed}
              title={
                pressed
                  ? `Showing datasets from “${ORIGIN_LABELS[origin]}”; click to stop filtering on it`
                  : `Show only datasets from “${ORIGIN_LABELS[origin]}” (and other toggled origins)`
              }
              onClick={() => void model.toggleOrigin(origin)}
            >
              {ORIGIN_SHORT_LABELS[origin]}
            </button>
          );
        })}
      </div>
    </div>
  );
}
