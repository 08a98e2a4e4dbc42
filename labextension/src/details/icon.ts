import { LabIcon } from '@jupyterlab/ui-components';

import detailsSvg from '../../style/icons/dataset-details.svg';

/** Icon of a dataset's details tab. */
export const datasetDetailsIcon = new LabIcon({
  name: 'dataplane-jupyter:dataset-details',
  svgstr: detailsSvg
});
