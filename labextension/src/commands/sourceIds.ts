/** Ids of the commands about connectors, datasources and exporters. */
export namespace CommandIDs {
  /** Args `{project: string, datasource?: string}`: pick a datasource and import it as a dataset. */
  export const importFromDatasource = 'dataplane:import-from-datasource';
  /** Args `{project: string, dataset: string}`: export a dataset with an exporter. */
  export const exportDataset = 'dataplane:export-dataset';
}
