import { DataplaneClient, projectPath } from '../client';
import type * as api from '../schema';

export type ISchedule = api.DescribeSchedule;
export type IScheduleRun = api.DescribeScheduleRun;
export type ISchedulePreview = api.SchedulePreview;
export type ICreateSchedule = api.CreateSchedule;
export type IScheduleTiming = api.ScheduleTiming;
export type IUpdateSchedule = api.UpdateSchedule;

/** What a schedule runs: a pipeline, or a datasource it refreshes into a new dataset. */
export interface IScheduleTarget {
  type: 'pipeline' | 'datasource';
  name: string;
}

/** `GET projects/{p}/schedules?pipeline=|datasource=` */
export async function listSchedules(
  client: DataplaneClient,
  project: string,
  target?: IScheduleTarget
): Promise<ISchedule[]> {
  const query = target ? `?${target.type}=${encodeURIComponent(target.name)}` : '';
  const data = await client.request<api.ListSchedulesResponse>('GET', projectPath(project, 'schedules') + query);
  return data.schedules;
}

/** `POST projects/{p}/schedules` */
export function createSchedule(
  client: DataplaneClient,
  project: string,
  body: ICreateSchedule
): Promise<ISchedule> {
  return client.request('POST', projectPath(project, 'schedules'), body);
}

/** `PATCH projects/{p}/schedules/{s}`: a new timing replaces the old one; paused stays paused. */
export function updateSchedule(
  client: DataplaneClient,
  project: string,
  schedule: string,
  body: IUpdateSchedule
): Promise<ISchedule> {
  return client.request('PATCH', projectPath(project, 'schedules', schedule), body);
}

/** `POST projects/{p}/schedules/preview`: a human reading and the next fire times. */
export function previewSchedule(
  client: DataplaneClient,
  project: string,
  timing: IScheduleTiming
): Promise<ISchedulePreview> {
  return client.request('POST', projectPath(project, 'schedules', 'preview'), timing);
}

/** `POST projects/{p}/schedules/{s}/pause` or `/resume` */
export function setPaused(
  client: DataplaneClient,
  project: string,
  schedule: string,
  paused: boolean
): Promise<ISchedule> {
  return client.request('POST', projectPath(project, 'schedules', schedule, paused ? 'pause' : 'resume'));
}

/** `DELETE projects/{p}/schedules/{s}` */
export function deleteSchedule(client: DataplaneClient, project: string, schedule: string): Promise<void> {
  return client.request('DELETE', projectPath(project, 'schedules', schedule));
}

/** `GET projects/{p}/schedules/{s}/runs` */
export async function listScheduleRuns(
  client: DataplaneClient,
  project: string,
  schedule: string,
  limit = 20
): Promise<IScheduleRun[]> {
  const data = await client.request<api.ListScheduleRunsResponse>(
    'GET',
    `${projectPath(project, 'schedules', schedule, 'runs')}?limit=${limit}`
  );
  return data.runs;
}
