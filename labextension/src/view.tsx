import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { DisposableSet, IDisposable } from '@lumino/disposable';
import * as React from 'react';

import { DataplaneModel } from './model';

/** A React widget that disposes what it owns (its model, a cache, a menu) when it is disposed. */
export abstract class OwningWidget extends ReactWidget {
  /** Dispose `item` with the widget (before the widget itself); returns it. */
  protected own<T extends IDisposable>(item: T): T {
    this._owned.add(item);
    return item;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._owned.dispose();
    super.dispose();
  }

  private _owned = new DisposableSet();
}

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

