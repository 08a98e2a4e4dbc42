import * as React from 'react';

import { DataplaneClient } from '../client';
import { FormError, FormWidget, Labelled, SelectRow, TextRow } from '../forms/common';
import { ISubmittable } from '../forms/formDialog';
import { errorMessage, notifySuccess } from '../notifications';
import {
  ISchedule,
  IScheduleTarget,
  ISchedulePreview,
  IScheduleTiming,
  createSchedule,
  previewSchedule,
  updateSchedule
} from './api';

type Kind = 'cron' | 'every' | 'at';

const KINDS = [
  { label: 'Cron line, in a time zone', value: 'cron' },
  { label: 'Every N seconds', value: 'every' },
  { label: 'Once, at a date and time', value: 'at' }
];

/** The input of each kind's timing: its label and an example. */
const TIMING_INPUTS: Record<Kind, { label: string; placeholder: string }> = {
  cron: { label: 'Cron line', placeholder: 'minute hour day month weekday, e.g. 0 6 * * MON' },
  every: { label: 'Every (seconds)', placeholder: '3600' },
  at: { label: 'At', placeholder: '2027-01-04T06:00 (in the time zone below)' }
};

/** The browser's IANA zones (for the time zone suggestions), and its own zone. */
function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['UTC'];
}

/** "2027-01-04T06:00:00+01:00" → "Mon 2027-01-04 06:00:00 (+01:00)" */
export function formatLocal(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(.*)$/.exec(iso);
  if (!match) {
    return iso;
  }
  const day = new Date(`${match[1]}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    timeZone: 'UTC'
  });
  const offset = match[3] === '+00:00' || match[3] === 'Z' ? 'UTC' : match[3];
  return `${day} ${match[1]} ${match[2]} (${offset})`;
}

/**
 * A new schedule of a pipeline or a datasource refresh, or an existing one to edit (`existing`:
 * the form starts from its name, timing and retries, and saving changes it in place). While the
 * user types, the server reads the timing back: a human reading of the cron line ("At 06:00, only
 * on Monday (Europe/Paris)") and the next five fire times in the schedule's zone, or the field
 * that is wrong.
 */
export class ScheduleForm extends FormWidget implements ISubmittable {
  constructor(
    private readonly client: DataplaneClient,
    private readonly project: string,
    private readonly target: IScheduleTarget,
    private readonly existing: ISchedule | null = null
  ) {
    super('jp-Dataplane-scheduleForm');
    this._timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    if (existing) {
      this._name = existing.name;
      this._kind = existing.kind;
      this._timings = {
        cron: existing.cron ?? this._timings.cron,
        every: existing.every ? String(existing.every) : this._timings.every,
        at: existing.at ?? ''
      };
      this._timezone = existing.timezone;
      this._retries = String(existing.retries);
      this._retryDelay = String(existing.retry_delay);
    }
    this._schedulePreview();
  }

  async submit(): Promise<boolean> {
    let retries = 0;
    let retryDelay = 60;
    if (this._retries.trim()) {
      retries = Number(this._retries);
      if (!Number.isInteger(retries) || retries < 0) {
        return this.fail('Retries: give a whole number, 0 or more.');
      }
    }
    if (this._retryDelay.trim()) {
      retryDelay = Number(this._retryDelay);
      if (!(retryDelay >= 0)) {
        return this.fail('Retry delay: give a number of seconds, 0 or more.');
      }
    }
    return this.send(async () => {
      if (this.existing) {
        const name = this._name.trim();
        const updated = await updateSchedule(this.client, this.project, this.existing.id, {
          name: name && name !== this.existing.name ? name : null,
          ...this._timing(),
          params: null,
          retries,
          retry_delay: retryDelay
        });
        notifySuccess(`Schedule '${updated.name}' updated: ${updated.description}`);
        return;
      }
      const saved = await createSchedule(this.client, this.project, {
        name: this._name.trim() || null,
        pipeline: this.target.type === 'pipeline' ? this.target.name : null,
        datasource: this.target.type === 'datasource' ? this.target.name : null,
        ...this._timing(),
        params: {},
        enabled: true,
        retries,
        retry_delay: retryDelay
      });
      notifySuccess(`Schedule '${saved.name}' saved: ${saved.description}`);
    });
  }

  protected render(): JSX.Element {
    const kind = this._kind;
    return (
      <div className="jp-Dataplane-formBody">
        <p className="jp-Dataplane-formIntro">
          {this.target.type === 'datasource'
            ? `Each time it fires, datasource '${this.target.name}' is imported into a new dataset snapshot.`
            : `Each time it fires, pipeline '${this.target.name}' runs.`}
        </p>
        <TextRow
          label="Name"
          name="name"
          value={this._name}
          placeholder={`default: ${this.target.name} schedule`}
          onChange={value => this.set(() => (this._name = value))}
        />
        <SelectRow
          label="When"
          name="kind"
          value={kind}
          options={KINDS}
          onChange={value => this._change(() => (this._kind = value as Kind))}
        />
        <TextRow
          key={kind}
          label={TIMING_INPUTS[kind].label}
          name={kind}
          value={this._timings[kind]}
          placeholder={TIMING_INPUTS[kind].placeholder}
          onChange={value => this._change(() => (this._timings[kind] = value))}
        />
        {kind !== 'every' && (
          <Labelled label="Time zone">
            <input
              className="jp-mod-styled"
              name="timezone"
              list="jp-Dataplane-zones"
              autoComplete="off"
              spellCheck={false}
              value={this._timezone}
              onChange={event => {
                const value = event.target.value;
                this._change(() => (this._timezone = value));
              }}
            />
            <datalist id="jp-Dataplane-zones">
              {this._zones.map(zone => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </Labelled>
        )}
        <SchedulePreviewBox preview={this._preview} error={this._previewError} />
        <TextRow
          label="Retries"
          name="retries"
          value={this._retries}
          placeholder="0: a failed run is not tried again"
          onChange={value => this.set(() => (this._retries = value))}
        />
        <TextRow
          label="Retry delay (s)"
          name="retry_delay"
          value={this._retryDelay}
          placeholder="60"
          onChange={value => this.set(() => (this._retryDelay = value))}
        />
        <FormError message={this.error} />
      </div>
    );
  }

  private _timing(): IScheduleTiming {
    const timezone = this._timezone.trim() || 'UTC';
    switch (this._kind) {
      case 'cron':
        return { cron: this._timings.cron, every: null, at: null, timezone };
      case 'every':
        return { cron: null, every: Number(this._timings.every) || null, at: null, timezone: 'UTC' };
      default:
        return { cron: null, every: null, at: this._timings.at.trim() || null, timezone };
    }
  }

  private _change(change: () => void): void {
    this.set(change);
    this._schedulePreview();
  }

  /** Ask the server what the timing means, 250 ms after the last keystroke. */
  private _schedulePreview(): void {
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => void this._loadPreview(), 250);
  }

  private async _loadPreview(): Promise<void> {
    const asked = ++this._asked;
    try {
      const preview = await previewSchedule(this.client, this.project, this._timing());
      if (asked === this._asked) {
        this.set(() => {
          this._preview = preview;
          this._previewError = null;
        });
      }
    } catch (error) {
      if (asked === this._asked) {
        this.set(() => {
          this._preview = null;
          this._previewError = errorMessage(error);
        });
      }
    }
  }

  private _asked = 0;
  private _kind: Kind = 'cron';
  private _name = '';
  private _preview: ISchedulePreview | null = null;
  private _previewError: string | null = null;
  private _retries = '';
  private _retryDelay = '';
  private _timer = 0;
  /** The timing of each kind as typed: switching kinds keeps what was typed for the others. */
  private _timings: Record<Kind, string> = { cron: '0 6 * * MON', every: '3600', at: '' };
  private _timezone: string;
  private _zones = zones();
}

/** The server's reading of a timing: "At 06:00, only on Monday (Europe/Paris)" and the next five. */
export function SchedulePreviewBox(props: {
  preview: ISchedulePreview | null;
  error: string | null;
}): JSX.Element {
  if (props.error) {
    return (
      <div className="jp-Dataplane-schedulePreview jp-mod-error" role="status">
        {props.error}
      </div>
    );
  }
  if (!props.preview) {
    return <div className="jp-Dataplane-schedulePreview">Reading the schedule…</div>;
  }
  return (
    <div className="jp-Dataplane-schedulePreview" role="status">
      <div className="jp-Dataplane-scheduleReading">{props.preview.description}</div>
      <div className="jp-Dataplane-scheduleNextLabel">Next fire times:</div>
      <ol className="jp-Dataplane-scheduleNext">
        {props.preview.local_next_runs.map(time => (
          <li key={time}>{formatLocal(time)}</li>
        ))}
      </ol>
    </div>
  );
}
