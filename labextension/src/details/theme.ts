import * as React from 'react';

import { IChartTheme, readTheme } from '../charts';

/**
 * The chart colours of the current JupyterLab theme. The details widget provides a new value
 * when the theme changes, so that memoised figures are rebuilt in the new colours.
 */
export const ChartThemeContext = React.createContext<IChartTheme>(
  typeof document === 'undefined' ? fallbackTheme() : readTheme()
);

function fallbackTheme(): IChartTheme {
  return {
    paper: '#ffffff',
    font: '#000000',
    mutedFont: '#666666',
    grid: '#e0e0e0',
    accent: '#1976d2',
    fontFamily: 'sans-serif',
    fontSize: 13
  };
}

/** Opens another dataset's details tab (the command's doing); nothing outside a details tab. */
export const OpenDatasetContext = React.createContext<
  (project: string, dataset: string) => void
>(() => undefined);
