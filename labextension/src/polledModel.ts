import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import { Signal } from '@lumino/signaling';

import { DataplaneClient } from './client';

/**
 * State read from the server by a poll: one tick is `_fetch`, which sets `error` and `loading`
 * and emits `_changed`. `active` tells whether a view shows the state; by default the poll
 * stands by while it is inactive (and while the browser tab is hidden).
 */
export abstract class PolledModel implements IDisposable {
  constructor(client: DataplaneClient, options: PolledModel.IPollOptions) {
    this.client = client;
    this._poll = new Poll({
      auto: options.auto,
      factory: () => this._fetch(),
      frequency: options.frequency,
      name: options.name,
      standby: options.standby ?? (() => (this._active ? 'when-hidden' : true))
    });
  }

  /** The REST client the model reads through. */
  readonly client: DataplaneClient;

  /** Message of the last failed refresh, or null when it succeeded. */
  get error(): string | null {
    return this._error;
  }

  /** True until the first refresh has finished, whatever its outcome. */
  get loading(): boolean {
    return this._loading;
  }

  /** Whether a view shows the model; polling stands by otherwise (by default). */
  get active(): boolean {
    return this._active;
  }
  set active(value: boolean) {
    if (value === this._active) {
      return;
    }
    this._active = value;
    if (value) {
      void this.refresh();
    }
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Fetch now instead of waiting for the next poll tick. */
  async refresh(): Promise<void> {
    // Not `poll.refresh()`: it is dropped while the poll is still in its `refreshed` phase
    // (until the previous refresh's tick is rescheduled), and the answer for the project picked
    // before then would show instead of the one picked since.
    await this._poll.schedule({ interval: Poll.IMMEDIATE, phase: 'refreshed' });
    await this._poll.tick.catch(() => undefined);
  }

  /** Stop polling and disconnect every signal of the model. */
  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  /** One poll tick. Rejects on failure so that the poll backs off. */
  protected abstract _fetch(): Promise<void>;

  protected _active = false;
  protected _changed = new Signal<this, void>(this);
  protected _error: string | null = null;
  protected _loading = true;
  protected _poll: Poll;
}

export namespace PolledModel {
  /** How the model's poll runs. */
  export interface IPollOptions {
    /** Whether the poll starts by itself (else at the first `refresh`). */
    auto: boolean;
    /** Interval, backoff and maximum of the poll at first. */
    frequency: IPoll.Frequency;
    /** Name of the poll (shown when debugging). */
    name: string;
    /** When the poll stands by; by default while the model is not active. */
    standby?: () => boolean | Poll.Standby;
  }
}
