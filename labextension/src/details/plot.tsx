import type * as Plotly from 'plotly.js-dist-min';
import * as React from 'react';

import { IFigure, loadPlotly, PlotlyModule } from '../charts';
import { errorMessage } from '../notifications';

/** Props of {@link Plot}. */
export interface IPlotProps {
  figure: IFigure;
  className?: string;
  /** A point was clicked. */
  onClick?: (event: Plotly.PlotMouseEvent) => void;
  /** A lasso or box selection ended (an empty list when it was cleared). */
  onSelected?: (points: Plotly.PlotDatum[]) => void;
}

const CONFIG: Partial<Plotly.Config> = {
  displaylogo: false,
  responsive: false,
  modeBarButtonsToRemove: ['sendDataToCloud']
};

/**
 * A plotly chart. plotly.js is loaded on first use; the chart is redrawn with `Plotly.react`
 * when `figure` changes (pass a memoised figure) and resized with its container.
 */
export function Plot(props: IPlotProps): JSX.Element {
  const node = React.useRef<HTMLDivElement>(null);
  const handlers = React.useRef(props);
  handlers.current = props;
  const [error, setError] = React.useState<string | null>(null);
  const [drawn, setDrawn] = React.useState(false);

  React.useEffect(() => {
    let cancelled = false;
    loadPlotly()
      .then(async plotly => {
        const element = node.current;
        if (cancelled || element === null) {
          return;
        }
        const plot = await plotly.react(element, props.figure.data, props.figure.layout, CONFIG);
        bindEvents(plot, handlers);
        setError(null);
        setDrawn(true);
      })
      .catch(reason => !cancelled && setError(errorMessage(reason)));
    return () => {
      cancelled = true;
    };
  }, [props.figure]);

  React.useEffect(() => {
    const element = node.current;
    if (element === null) {
      return;
    }
    let plotly: PlotlyModule | null = null;
    void loadPlotly().then(module => (plotly = module));
    // The main area resizes without a window resize event, so plotly's own resizing misses it.
    const observer = new ResizeObserver(() => {
      if (plotly && element.classList.contains('js-plotly-plot') && element.offsetWidth > 0) {
        plotly.Plots.resize(element);
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plotly?.purge(element);
    };
  }, []);

  return (
    <div className={`jp-Dataplane-plot ${props.className ?? ''}`}>
      {!drawn && !error && <p className="jp-Dataplane-notice">Drawing the chart…</p>}
      {/* The chart's height is kept while it loads, so the page does not jump. */}
      <div ref={node} style={{ minHeight: props.figure.layout.height }} />
      {error && <p className="jp-Dataplane-notice jp-Dataplane-error">Could not draw the chart: {error}</p>}
    </div>
  );
}

function bindEvents(
  plot: Plotly.PlotlyHTMLElement,
  handlers: React.MutableRefObject<IPlotProps>
): void {
  plot.removeAllListeners('plotly_click');
  plot.removeAllListeners('plotly_selected');
  plot.removeAllListeners('plotly_deselect');
  plot.on('plotly_click', event => handlers.current.onClick?.(event));
  plot.on('plotly_selected', event => handlers.current.onSelected?.(event?.points ?? []));
  plot.on('plotly_deselect', () => handlers.current.onSelected?.([]));
}
