import { deleteIcon, editIcon, runningIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import * as React from 'react';

import { DataplaneClient } from '../client';
import { formatInZone, statusClass } from '../details/format';
import { confirmDelete } from '../dialogs';
import { showForm } from '../forms/formDialog';
import { notifyError, notifySuccess } from '../notifications';
import { ISchedule, IScheduleTarget, deleteSchedule, listSchedules, setPaused } from './api';
import { ScheduleForm } from './scheduleForm';

/** Emitted after any schedule is created, paused, resumed or deleted from the page. */
export const schedulesChanged = new Signal<object, void>({});

/** Open the form of a new schedule of `target`; true when one was saved. */
export async function createScheduleFor(
  client: DataplaneClient,
  project: string,
  target: IScheduleTarget
): Promise<boolean> {
  const saved = await showForm({
    title: `Schedule ${target.type} '${target.name}'`,
    body: new ScheduleForm(client, project, target),
    acceptLabel: 'Save schedule'
  });
  if (saved) {
    schedulesChanged.emit();
  }
  return saved;
}

/** Open the form of an existing schedule; true when it was changed. */
export async function editSchedule(
  client: DataplaneClient,
  project: string,
  target: IScheduleTarget,
  schedule: ISchedule
): Promise<boolean> {
  const saved = await showForm({
    title: `Edit schedule '${schedule.name}'`,
    body: new ScheduleForm(client, project, target, schedule),
    acceptLabel: 'Save schedule'
  });
  if (saved) {
    schedulesChanged.emit();
  }
  return saved;
}

/** A UTC instant shown in the schedule's zone: "Mon 2026-12-07 06:00 (Europe/Paris)". */
export function inZone(iso: string | null | undefined, zone: string): string {
  return formatInZone(iso, zone);
}

const STATUS_LABELS: Record<string, string> = {
  fired: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  retried: 'retrying',
  skipped_overlap: 'skipped (overlap)',
  skipped_missed: 'missed'
};

/**
 * The schedules of one pipeline or datasource, under its item in the sidebar: what each reads
 * ("At 06:00, only on Monday (Europe/Paris)"), its next run, its last status, pause/resume and
 * delete. Reloads when `version` changes (the sidebar's refresh) and after its own actions.
 */
export function TargetSchedules(props: {
  client: DataplaneClient;
  project: string;
  target: IScheduleTarget;
  version: number;
}): JSX.Element | null {
  const { client, project, target } = props;
  const [schedules, setSchedules] = React.useState<ISchedule[]>([]);
  const [own, setOwn] = React.useState(0);
  React.useEffect(() => {
    const bump = (): void => setOwn(n => n + 1);
    schedulesChanged.connect(bump);
    return () => {
      schedulesChanged.disconnect(bump);
    };
  }, []);
  React.useEffect(() => {
    let live = true;
    listSchedules(client, project, target)
      .then(found => live && setSchedules(found))
      .catch(() => live && setSchedules([]));
    return () => {
      live = false;
    };
  }, [client, project, target.type, target.name, props.version, own]);
  if (schedules.length === 0) {
    return null;
  }
  const toggle = async (schedule: ISchedule): Promise<void> => {
    try {
      await setPaused(client, project, schedule.name, schedule.enabled);
      notifySuccess(`Schedule '${schedule.name}' ${schedule.enabled ? 'paused' : 'resumed'}`);
    } catch (error) {
      notifyError(`Could not ${schedule.enabled ? 'pause' : 'resume'} '${schedule.name}'`, error);
    }
    schedulesChanged.emit();
  };
  const remove = async (schedule: ISchedule): Promise<void> => {
    const question = `Delete schedule '${schedule.name}'? The runs it started stay.`;
    if (!(await confirmDelete('Delete schedule', question))) {
      return;
    }
    try {
      await deleteSchedule(client, project, schedule.name);
    } catch (error) {
      notifyError(`Could not delete '${schedule.name}'`, error);
    }
    schedulesChanged.emit();
  };
  return (
    <ul className="jp-Dataplane-schedules">
      {schedules.map(schedule => {
        const state = schedule.disabled_reason
          ? 'disabled'
          : !schedule.enabled
            ? 'paused'
            : schedule.next_run
              ? `next ${inZone(schedule.next_run, schedule.timezone)}`
              : 'done';
        const upcoming = schedule.next_runs ?? [];
        return (
          <li key={schedule.id} className="jp-Dataplane-schedule" data-name={schedule.name}>
            <div className="jp-Dataplane-scheduleRow">
              <runningIcon.react tag="span" elementSize="small" className="jp-Dataplane-scheduleIcon" />
              <span className="jp-Dataplane-scheduleName" title={schedule.name}>
                {schedule.name}
              </span>
              <button
                className="jp-Dataplane-scheduleToggle jp-mod-styled"
                disabled={!!schedule.disabled_reason}
                onClick={() => void toggle(schedule)}
              >
                {schedule.enabled ? 'Pause' : 'Resume'}
              </button>
              <button
                className="jp-Dataplane-scheduleEdit jp-mod-styled"
                title="Edit this schedule: name, timing, retries"
                onClick={() => void editSchedule(client, project, target, schedule)}
              >
                <editIcon.react tag="span" elementSize="small" />
              </button>
              <button
                className="jp-Dataplane-scheduleDelete jp-mod-styled"
                title="Delete this schedule"
                onClick={() => void remove(schedule)}
              >
                <deleteIcon.react tag="span" elementSize="small" />
              </button>
            </div>
            <div className="jp-Dataplane-scheduleLine">
              <span className="jp-Dataplane-scheduleDetail">{schedule.description}</span>
              {' · '}
              <span className={`jp-Dataplane-scheduleState jp-mod-${schedule.enabled ? 'on' : 'off'}`}>
                {state}
                {schedule.disabled_reason ? `: ${schedule.disabled_reason}` : ''}
              </span>
              {schedule.last_status && (
                <>
                  {' · last: '}
                  <span className={statusClass(schedule.last_status)} title="How its last tick went">
                    {STATUS_LABELS[schedule.last_status] ?? schedule.last_status}
                  </span>
                </>
              )}
            </div>
            {upcoming.length > 0 && (
              <details className="jp-Dataplane-scheduleUpcoming">
                <summary>
                  Next {upcoming.length} fire times ({schedule.timezone})
                </summary>
                <ol className="jp-Dataplane-scheduleNext">
                  {upcoming.map(time => (
                    <li key={time}>{formatInZone(time, schedule.timezone, false)}</li>
                  ))}
                </ol>
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
}
