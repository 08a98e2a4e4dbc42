import { Button, HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import * as React from 'react';

import { DataplaneClient } from '../client';
import { notifyError } from '../notifications';
import { IComputeEmbeddings, IDataset, IEmbeddingsRecord, IJob } from '../types';
import { EmbeddingsExplorer } from './explorer';
import { formatValue } from './format';
import { InlineForm } from './inlineForm';
import { IProjectViewProps } from './props';

/** Props of {@link EmbeddingsTab}. */
export interface IEmbeddingsTabProps extends IProjectViewProps {
  dataset: IDataset;
  /** Names of the dataset's columns (to colour the map by). */
  columns: string[];
  /** The column the map is coloured by until the user picks one (none: null). */
  defaultColor?: string | null;
  /** The dataset record may have changed (embeddings started, computed or failed). */
  onChanged: () => void;
  /**
   * Changes each time the map is asked for (the sidebar's "Explore embeddings"): computed
   * embeddings then show at once, without the "Explore" step.
   */
  exploreRequest?: number;
}

/** Jobs that will not change any more. */
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Compute the dataset's embeddings, follow the job, then explore them: the platform's
 * "compute embeddings or explore them if already computed".
 */
export function EmbeddingsTab(props: IEmbeddingsTabProps): JSX.Element {
  const { dataset } = props;
  const record = dataset.embeddings ?? null;
  const [exploring, setExploring] = React.useState((props.exploreRequest ?? 0) > 0);
  React.useEffect(() => {
    if (props.exploreRequest) {
      setExploring(true);
    }
  }, [props.exploreRequest]);
  const [startedJob, setStartedJob] = React.useState<string | null>(null);
  // The record says "computing" until it is fetched again after the job ended.
  const [finishedJob, setFinishedJob] = React.useState<string | null>(null);
  const recorded = record?.status === 'computing' ? (record.job_id ?? null) : null;
  const jobId = startedJob ?? recorded;

  if (dataset.status !== 'ready') {
    return (
      <p className="jp-Dataplane-notice">
        Embeddings can be computed once the dataset is ready to be used.
      </p>
    );
  }
  if (jobId !== null && jobId === finishedJob) {
    return <p className="jp-Dataplane-notice">Loading the embeddings…</p>;
  }
  if (jobId !== null) {
    return (
      <JobProgress
        client={props.client}
        jobId={jobId}
        onDone={job => {
          setFinishedJob(job.id);
          setStartedJob(null);
          if (job.status !== 'succeeded') {
            notifyError('Computing the embeddings failed', job.error ?? job.message);
          }
          props.onChanged();
        }}
      />
    );
  }
  if (record?.status === 'ready') {
    return exploring ? (
      <EmbeddingsExplorer
        client={props.client}
        project={props.project}
        dataset={dataset}
        columns={props.columns}
        defaultColor={props.defaultColor ?? null}
      />
    ) : (
      <div className="jp-Dataplane-embeddingsReady">
        <p className="jp-Dataplane-notice">
          Embeddings computed: {describeRecord(record)}.
        </p>
        <Button className="jp-mod-styled jp-mod-accept jp-Dataplane-explore" onClick={() => setExploring(true)}>
          Explore
        </Button>
        <ComputeForm {...props} label="Compute again" onStarted={setStartedJob} />
      </div>
    );
  }
  return (
    <div className="jp-Dataplane-embeddingsNone">
      <p className={`jp-Dataplane-notice ${record?.status === 'failed' ? 'jp-Dataplane-error' : ''}`}>
        {record?.status === 'failed'
          ? `The last computation failed: ${formatValue(record.error)}`
          : 'No embeddings yet: computing them maps every row (or a sample of the rows) to 3-D, where similar rows lie close together.'}
      </p>
      <ComputeForm {...props} label="Compute embeddings" onStarted={setStartedJob} />
    </div>
  );
}

/** "PCA, all 12 rows embedded, seed 0" or "UMAP, 50,000 of 120,000 rows embedded, seed 0". */
export function describeRecord(record: IEmbeddingsRecord): string {
  const parts = [String(record.method ?? 'unknown method').toUpperCase()];
  const { rows, sample_size: embedded } = record;
  if (typeof embedded === 'number' && typeof rows === 'number') {
    parts.push(
      embedded < rows
        ? `${formatValue(embedded)} of ${formatValue(rows)} rows embedded (a seeded sample)`
        : `all ${formatValue(rows)} rows embedded`
    );
  }
  if (record.seed !== undefined) {
    parts.push(`seed ${formatValue(record.seed)}`);
  }
  if (typeof record.note === 'string' && record.note) {
    parts.push(record.note);
  }
  return parts.join(', ');
}

const METHODS: IComputeEmbeddings['method'][] = ['auto', 'pca', 'umap', 'tsne'];

function ComputeForm(
  props: IEmbeddingsTabProps & { label: string; onStarted: (job: string) => void }
): JSX.Element {
  const [method, setMethod] = React.useState<IComputeEmbeddings['method']>('auto');
  const [sampleSize, setSampleSize] = React.useState('50000');
  const [busy, setBusy] = React.useState(false);
  const size = Number(sampleSize);
  const valid = Number.isInteger(size) && size >= 2;
  const start = async (): Promise<void> => {
    setBusy(true);
    try {
      const job = await props.client.computeEmbeddings(props.project, props.dataset.id, {
        method,
        sample_size: size
      });
      props.onStarted(job.id);
      props.onChanged();
    } catch (error) {
      notifyError('Could not start computing the embeddings', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <InlineForm
      className="jp-Dataplane-computeForm"
      onSubmit={() => void start()}
      submit={props.label}
      submitClass="jp-Dataplane-compute"
      disabled={busy || !valid}
    >
      <label>
        Method{' '}
        <HTMLSelect
          value={method}
          onChange={event => setMethod(event.target.value as IComputeEmbeddings['method'])}
          options={METHODS.map(value => ({ label: value ?? '', value: value ?? '' }))}
        />
      </label>
      <label>
        Rows at most{' '}
        <InputGroup
          type="number"
          min={2}
          value={sampleSize}
          onChange={event => setSampleSize(event.target.value)}
          className="jp-Dataplane-sampleSize"
        />
      </label>
    </InlineForm>
  );
}

/** A job's progress, polled until it finishes; then `onDone` once. */
function JobProgress(props: {
  client: DataplaneClient;
  jobId: string;
  onDone: (job: IJob) => void;
}): JSX.Element {
  const [job, setJob] = React.useState<IJob | null>(null);
  const onDone = React.useRef(props.onDone);
  onDone.current = props.onDone;
  React.useEffect(() => {
    const poll: Poll = new Poll({
      factory: async () => {
        const found = await props.client.getJob(props.jobId);
        setJob(found);
        if (FINISHED.has(found.status)) {
          poll.dispose();
          onDone.current(found);
        }
      },
      frequency: { interval: 1000, backoff: true, max: 30 * 1000 },
      name: `dataplane-jupyter:embeddings-job:${props.jobId}`,
      standby: 'when-hidden'
    });
    return () => poll.dispose();
  }, [props.client, props.jobId]);
  const percent = Math.round((job?.progress ?? 0) * 100);
  return (
    <div className="jp-Dataplane-jobProgress" data-job={props.jobId}>
      <p className="jp-Dataplane-notice">Computing embeddings… {percent}%</p>
      <progress max={1} value={job?.progress ?? 0} />
      {job?.message && <p className="jp-Dataplane-notice">{job.message}</p>}
    </div>
  );
}
