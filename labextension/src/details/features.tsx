import * as React from 'react';

import { IFigure } from '../charts';
import { IFeatureOwner } from '../client';
import { errorMessage, notifyError } from '../notifications';
import { IFeatureOptions, IImagePreview, ITensorView } from '../types';
import { Plot } from './plot';
import { IDatasetViewProps, IProjectViewProps } from './props';
import { DataTable } from './table';
import { ChartThemeContext } from './theme';
import { useRequest } from './useRequest';

/** Milliseconds without a change before the preview is redrawn with the options being edited. */
const PREVIEW_DELAY = 250;
const TRANSFORMATIONS = ['resize', 'crop', 'pad', 'none'] as const;
const COLOR_MODES = ['grayscale', 'rgb', 'rgba'] as const;
/** The largest width or height of an example, in pixels. */
const MAX_SIZE = 8192;

/**
 * The controls of the options, in their order: a choice among values (the transformation, the
 * color mode) or a size in pixels (width, height).
 */
const CONTROLS: readonly (
  | { key: 'transformation' | 'color_mode'; label: string; className: string; choices: readonly string[] }
  | { key: 'width' | 'height'; label: string; className: string; choices?: undefined }
)[] = [
  { key: 'transformation', label: 'Transformation', className: 'jp-Dataplane-transformation', choices: TRANSFORMATIONS },
  { key: 'width', label: 'Width', className: 'jp-Dataplane-width' },
  { key: 'height', label: 'Height', className: 'jp-Dataplane-height' },
  { key: 'color_mode', label: 'Color mode', className: 'jp-Dataplane-colorMode', choices: COLOR_MODES }
];

/** The options being edited (not saved yet). */
export interface IDraft {
  transformation: string;
  width: number;
  height: number;
  color_mode: string;
  fill: string;
}

/** The editable fields of stored options. */
export function draftOf(options: IFeatureOptions): IDraft {
  return {
    transformation: options.transformation,
    width: options.size[0],
    height: options.size[1],
    color_mode: options.color_mode,
    fill: options.fill ?? '#000000'
  };
}

/** Whether the draft differs from the stored options. */
export function isChanged(draft: IDraft, options: IFeatureOptions): boolean {
  return JSON.stringify(draft) !== JSON.stringify(draftOf(options));
}

/** A line saying where the options in force come from. */
export function provenance(options: IFeatureOptions): string {
  if (options.is_default) {
    return 'Defaults chosen from the column\u2019s statistics (not saved yet)';
  }
  const by = options.set_by ? ` by ${options.set_by}` : '';
  const at = options.set_at ? ` on ${new Date(options.set_at).toLocaleString()}` : '';
  return `Version ${options.version}, set${by}${at}`;
}

/** Props of {@link ImageFeatures}. */
export interface IImageFeaturesProps extends IProjectViewProps {
  owner: IFeatureOwner;
}

/**
 * Transformation and Color mode of an image column (or folder): the controls, and original vs
 * transformed thumbnails of a few rows, redrawn as the controls change; "Save" stores a version.
 */
export function ImageFeatures(props: IImageFeaturesProps): JSX.Element {
  const { client, project, owner } = props;
  const [options, setOptions] = React.useState<IFeatureOptions | null>(null);
  const [draft, setDraft] = React.useState<IDraft | null>(null);
  const [preview, setPreview] = React.useState<IImagePreview | null>(null);
  const [previewError, setPreviewError] = React.useState<string | null>(null);
  const [loadError, setLoadError] = React.useState<string | null>(null);
  const [saving, setSaving] = React.useState(false);

  useRequest(
    () => client.getFeatureOptions(project, owner),
    found => {
      setOptions(found);
      setDraft(draftOf(found));
    },
    error => setLoadError(errorMessage(error)),
    [client, project, owner.id, owner.column]
  );

  React.useEffect(() => {
    if (draft === null) {
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      client
        .previewImages(project, owner, {
          rows: 6,
          transformation: draft.transformation,
          size: `${draft.width}x${draft.height}`,
          color_mode: draft.color_mode,
          fill: draft.fill
        })
        .then(found => {
          if (!cancelled) {
            setPreview(found);
            setPreviewError(null);
          }
        })
        .catch(error => !cancelled && setPreviewError(errorMessage(error)));
    }, PREVIEW_DELAY);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [client, project, owner.id, owner.column, draft]);

  if (loadError !== null) {
    return <p className="jp-Dataplane-notice jp-Dataplane-warn">{loadError}</p>;
  }
  if (options === null || draft === null) {
    return <p className="jp-Dataplane-empty">Loading feature options…</p>;
  }
  const change = (fields: Partial<IDraft>) => setDraft({ ...draft, ...fields });
  const save = async () => {
    setSaving(true);
    try {
      const saved = await client.setFeatureOptions(project, owner, {
        transformation: draft.transformation as IFeatureOptions['transformation'],
        size: [draft.width, draft.height],
        color_mode: draft.color_mode as IFeatureOptions['color_mode'],
        fill: draft.fill
      });
      setOptions(saved);
      setDraft(draftOf(saved));
    } catch (error) {
      notifyError('Could not save the feature options', error);
    } finally {
      setSaving(false);
    }
  };
  const changed = isChanged(draft, options);
  return (
    <div className="jp-Dataplane-features" data-owner={owner.column ?? owner.id}>
      <h4>Feature options</h4>
      <p className="jp-Dataplane-notice jp-Dataplane-featuresProvenance">
        {provenance(options)}
      </p>
      {options.is_default && (
        <ul className="jp-Dataplane-featuresReasons">
          {Object.entries(options.reasons ?? {}).map(([field, why]) => (
            <li key={field}>
              <b>{field}</b>: {why}
            </li>
          ))}
        </ul>
      )}
      <div className="jp-Dataplane-inline jp-Dataplane-featureControls">
        {CONTROLS.map(control =>
          control.choices ? (
            <ChoiceField
              key={control.key}
              label={control.label}
              className={control.className}
              choices={control.choices}
              value={draft[control.key]}
              onChange={value => change({ [control.key]: value })}
            />
          ) : (
            <NumberField
              key={control.key}
              label={control.label}
              className={control.className}
              min={1}
              max={MAX_SIZE}
              value={draft[control.key]}
              onChange={value => change({ [control.key]: value || 1 })}
            />
          )
        )}
        {draft.transformation === 'pad' && (
          <label>
            Fill
            <input
              className="jp-Dataplane-fill"
              type="color"
              value={draft.fill.length === 7 ? draft.fill : '#000000'}
              onChange={event => change({ fill: event.target.value })}
            />
          </label>
        )}
        <button
          className="jp-Button jp-mod-accept jp-mod-styled jp-Dataplane-saveOptions"
          disabled={saving || (!changed && !options.is_default)}
          onClick={() => void save()}
          title="Store these options as a new version (nothing else is recomputed)"
        >
          {options.is_default && !changed ? 'Save the defaults' : `Save as version ${options.version + 1}`}
        </button>
        <button
          className="jp-Button jp-mod-reject jp-mod-styled"
          disabled={!changed}
          onClick={() => setDraft(draftOf(options))}
        >
          Reset
        </button>
      </div>
      <p className="jp-Dataplane-notice">
        Each example: {draft.height}×{draft.width}×
        {draft.color_mode === 'grayscale' ? 1 : draft.color_mode === 'rgb' ? 3 : 4} float32 in [0, 1]
        {changed ? ' (preview of unsaved options)' : ''}
      </p>
      {previewError !== null && (
        <p className="jp-Dataplane-notice jp-Dataplane-warn jp-Dataplane-previewError">{previewError}</p>
      )}
      {preview !== null && <PreviewGrid preview={preview} />}
    </div>
  );
}

/** Props of a labelled control holding a `T`. */
interface IFieldProps<T> {
  label: string;
  className: string;
  value: T;
  onChange: (value: T) => void;
}

/** A labelled choice among fixed values. */
function ChoiceField(props: IFieldProps<string> & { choices: readonly string[] }): JSX.Element {
  return (
    <label>
      {props.label}
      <select
        className={props.className}
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
      >
        {props.choices.map(name => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled number input; `onChange` gets the typed text as a number (NaN when not one). */
function NumberField(props: IFieldProps<number> & { min: number; max: number }): JSX.Element {
  return (
    <label>
      {props.label}
      <input
        className={props.className}
        type="number"
        min={props.min}
        max={props.max}
        value={props.value}
        onChange={event => props.onChange(Number(event.target.value))}
      />
    </label>
  );
}

function PreviewGrid(props: { preview: IImagePreview }): JSX.Element {
  return (
    <DataTable className="jp-Dataplane-previewGrid" headers={['row', 'original', 'as the model gets it']}>
      {props.preview.items.map(item => (
        <tr key={item.row} data-row={item.row}>
          <td>{item.row}</td>
          <td>
            {item.original ? (
              <figure>
                <img className="jp-Dataplane-original" src={item.original} alt={`row ${item.row}, original`} />
                <figcaption>
                  {item.original_size ? `${item.original_size[0]}×${item.original_size[1]}` : ''}{' '}
                  {item.original_mode ?? ''}
                </figcaption>
              </figure>
            ) : (
              '—'
            )}
          </td>
          <td>
            {item.transformed ? (
              <img
                className="jp-Dataplane-transformed"
                src={item.transformed}
                alt={`row ${item.row}, transformed`}
              />
            ) : (
              <span className="jp-Dataplane-warn">zeros: {item.error}</span>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Props of {@link TensorViewer}. */
export interface ITensorViewerProps extends IDatasetViewProps {
  column: string;
  rows: number;
}

/** The plotly figure of a line or heatmap tensor view (row, mean and spread). */
export function tensorFigure(view: ITensorView, accent: string, font: string): IFigure | null {
  const layout = {
    height: 260,
    margin: { l: 40, r: 10, t: 30, b: 30 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: font }
  };
  if (view.view === 'line') {
    const values = view.values as number[];
    const mean = view.mean as number[];
    const std = view.std as number[];
    const x = values.map((_, i) => i * view.stride);
    return {
      data: [
        { x, y: mean.map((m, i) => m + std[i]), mode: 'lines', line: { width: 0 }, showlegend: false, hoverinfo: 'skip' },
        { x, y: mean.map((m, i) => m - std[i]), mode: 'lines', line: { width: 0 }, fill: 'tonexty', fillcolor: 'rgba(128,128,128,0.25)', name: 'mean ± std' },
        { x, y: mean, mode: 'lines', line: { color: '#888', dash: 'dot' }, name: 'mean' },
        { x, y: values, mode: 'lines', line: { color: accent }, name: `row ${view.row}` }
      ] as IFigure['data'],
      layout: { ...layout, title: { text: `row ${view.row}` } }
    };
  }
  if (view.view === 'heatmap') {
    return {
      data: [
        { z: view.values as number[][], type: 'heatmap', colorscale: 'Viridis', name: 'row', xaxis: 'x', yaxis: 'y' },
        { z: view.mean as number[][], type: 'heatmap', colorscale: 'Viridis', showscale: false, xaxis: 'x2', yaxis: 'y2' },
        { z: view.std as number[][], type: 'heatmap', colorscale: 'Greys', showscale: false, xaxis: 'x3', yaxis: 'y3' }
      ] as IFigure['data'],
      layout: {
        ...layout,
        grid: { rows: 1, columns: 3, pattern: 'independent' },
        annotations: ['row', 'mean', 'spread (std)'].map((text, i) => ({
          text,
          showarrow: false,
          xref: 'paper',
          yref: 'paper',
          x: (i + 0.5) / 3,
          y: 1.12
        })),
        yaxis: { autorange: 'reversed' },
        yaxis2: { autorange: 'reversed' },
        yaxis3: { autorange: 'reversed' }
      } as IFigure['layout']
    };
  }
  return null;
}

/**
 * One row of a tensor column drawn by its dimensions (1-D line, 2-D heatmap, 3-D with 1/3/4
 * channels as an image, higher: a slice picker), with the per-position mean and spread.
 */
export function TensorViewer(props: ITensorViewerProps): JSX.Element {
  const { client, project, dataset, column } = props;
  const theme = React.useContext(ChartThemeContext);
  const [row, setRow] = React.useState(0);
  const [index, setIndex] = React.useState<number[]>([]);
  const [view, setView] = React.useState<ITensorView | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  useRequest(
    () => client.getTensorView(project, dataset, column, row, index),
    found => {
      setView(found);
      setError(null);
    },
    reason => setError(errorMessage(reason)),
    [client, project, dataset, column, row, index.join(',')]
  );
  const figure = React.useMemo(
    () => (view ? tensorFigure(view, theme.accent, theme.font) : null),
    [view, theme]
  );
  const lead = view && view.view === 'heatmap' ? view.shape.length - 2 : 0;
  return (
    <div className="jp-Dataplane-tensorView" data-view={view?.view ?? ''}>
      <h4>Tensor view</h4>
      <div className="jp-Dataplane-inline">
        <NumberField
          label="Row"
          className="jp-Dataplane-tensorRow"
          min={0}
          max={Math.max(props.rows - 1, 0)}
          value={row}
          onChange={value => setRow(Math.max(0, value || 0))}
        />
        {view && <span>shape {view.shape.join('×') || 'scalar'}</span>}
        {Array.from({ length: lead }, (_, axis) => (
          <NumberField
            key={axis}
            label={`dim ${axis}`}
            className="jp-Dataplane-sliceIndex"
            min={0}
            max={(view?.shape[axis] ?? 1) - 1}
            value={index[axis] ?? 0}
            onChange={value => {
              const next = [...index];
              while (next.length < lead) {
                next.push(0);
              }
              next[axis] = Math.max(0, value || 0);
              setIndex(next);
            }}
          />
        ))}
      </div>
      {error !== null && <p className="jp-Dataplane-notice jp-Dataplane-warn">{error}</p>}
      {view?.view === 'scalar' && (
        <p>
          row {view.row}: {String(view.values)} · mean {String(view.mean)} · std {String(view.std)}
        </p>
      )}
      {view?.view === 'image' && (
        <div className="jp-Dataplane-tensorImages">
          {[
            ['row', view.image],
            ['mean', view.mean_image],
            ['spread (std)', view.std_image]
          ].map(([label, src]) => (
            <figure key={label}>
              <img src={src ?? ''} alt={`${label} of ${column}`} />
              <figcaption>{label}</figcaption>
            </figure>
          ))}
        </div>
      )}
      {figure && <Plot figure={figure} className="jp-Dataplane-tensorChart" />}
      {view && (
        <p className="jp-Dataplane-notice">
          Mean and spread over the first {view.stat_rows.toLocaleString()} rows
          {view.stride > 1 ? `; every ${view.stride}th position shown` : ''}.
        </p>
      )}
    </div>
  );
}
