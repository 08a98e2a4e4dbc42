import { LabIcon } from '@jupyterlab/ui-components';

import dataplaneSvg from '../style/icons/dataplane.svg';
import embeddingsSvg from '../style/icons/embeddings.svg';

/** Icon of the data sidebar tab. */
export const dataplaneIcon = new LabIcon({
  name: 'dataplane-jupyter:data',
  svgstr: dataplaneSvg
});

/** Icon of the embeddings action of a dataset row: a scatter of points. */
export const embeddingsIcon = new LabIcon({
  name: 'dataplane-jupyter:embeddings',
  svgstr: embeddingsSvg
});
