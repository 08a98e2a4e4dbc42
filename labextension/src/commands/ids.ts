/**
 * Ids of the commands the datasets section runs. Those marked "external" belong to other
 * plugins of this package; the section shows their actions only while they are registered.
 */
export const DatasetCommandIDs = {
  upload: 'dataplane:upload-dataset',
  refresh: 'dataplane:refresh',
  rename: 'dataplane:rename-dataset',
  download: 'dataplane:download-dataset',
  delete: 'dataplane:delete-dataset',
  openInNotebook: 'dataplane:open-dataset-in-notebook',
  /** Args `{project, dataset}`; a form that imports a failed dataset again with other options. */
  retry: 'dataplane:retry-import',
  /** Args `{project, dataset}`; starts computing the dataset's embeddings. */
  computeEmbeddings: 'dataplane:compute-embeddings',
  /** External: args `{project, dataset, tab?}`; opens the dataset's details tab. */
  openDetails: 'dataplane:open-dataset-details',
  /** External: args `{project}`; a dialog that imports a datasource as a dataset. */
  importFromDatasource: 'dataplane:import-from-datasource',
  /** External: args `{project, dataset}`; a dialog that exports the dataset. */
  export: 'dataplane:export-dataset'
} as const;
