import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataplaneModel } from './model';

/** Re-renders its children whenever the model's state changes. */
export abstract class ModelView extends ReactWidget {
  constructor(protected readonly model: DataplaneModel) {
    super();
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.stateChanged}>
        {() => this.renderState()}
      </UseSignal>
    );
  }

  protected abstract renderState(): JSX.Element;
}

