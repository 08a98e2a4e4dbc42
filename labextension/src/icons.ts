import { LabIcon } from '@jupyterlab/ui-components';

import dataplaneSvg from '../style/icons/dataplane.svg';

/** Icon of the data sidebar tab. */
export const dataplaneIcon = new LabIcon({
  name: 'dataplane-jupyter:data',
  svgstr: dataplaneSvg
});
