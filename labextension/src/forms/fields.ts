/**
 * Form logic shared by the connector, datasource and exporter forms: labels, initial values,
 * validation and the request payloads built from the field descriptions the server gives
 * (`GET connector-kinds`). Pure functions, no DOM, so that they are unit-tested directly.
 */
import type { IConnectorKind, IField } from '../types';

/** Value of one input: text for text-like fields, a flag for `bool` fields. */
export type FieldValue = string | boolean;

/** The inputs of a form, by field name. */
export type FieldValues = Record<string, FieldValue>;

/** What the server says about a saved connector: its plain fields and which secrets are set. */
export interface ISavedFields {
  config: Record<string, unknown>;
  secrets_set: readonly string[];
}

const WORDS: Record<string, string> = {
  bigquery: 'BigQuery',
  id: 'ID',
  json: 'JSON',
  sql: 'SQL',
  tls: 'TLS',
  url: 'URL'
};

/** "endpoint_url" → "Endpoint URL": the server gives names, not labels. */
export function fieldLabel(name: string): string {
  const words = name
    .split('_')
    .filter(word => word.length > 0)
    .map(word => WORDS[word] ?? word);
  if (words.length === 0) {
    return name;
  }
  const [first, ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/**
 * The inputs' starting values. Secrets always start empty: the server never returns them, and
 * an empty secret on edit means "keep the current one".
 */
export function initialValues(
  fields: readonly IField[],
  saved: Record<string, unknown> = {}
): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    const value = saved[field.name];
    if (field.kind === 'bool') {
      values[field.name] = value === true || value === 'true';
    } else if (field.secret || value === undefined || value === null) {
      values[field.name] = '';
    } else {
      values[field.name] = String(value);
    }
  }
  return values;
}

/** Whether an input holds nothing. Spaces count as nothing, except in secrets. */
export function isBlank(field: IField, value: FieldValue | undefined): boolean {
  if (value === undefined) {
    return true;
  }
  if (typeof value === 'boolean') {
    return false;
  }
  return field.secret ? value === '' : value.trim() === '';
}

/**
 * The first problem of the inputs, as a sentence naming the field, or null when there is none.
 *
 * @param kept secret fields that may stay empty because the server already holds a value
 */
export function validateValues(
  fields: readonly IField[],
  values: FieldValues,
  kept: readonly string[] = []
): string | null {
  for (const field of fields) {
    const value = values[field.name];
    if (isBlank(field, value)) {
      if (field.required && !(field.secret && kept.includes(field.name))) {
        return `${fieldLabel(field.name)} is required.`;
      }
      continue;
    }
    if (field.kind === 'int' && !/^-?\d+$/.test(String(value).trim())) {
      return `${fieldLabel(field.name)} must be a whole number.`;
    }
  }
  return null;
}

/** The value the server expects: numbers for `int`, flags for `bool`, trimmed plain text. */
export function convertValue(field: IField, value: FieldValue): unknown {
  if (field.kind === 'bool') {
    return value === true;
  }
  const text = String(value);
  if (field.kind === 'int') {
    return Number(text.trim());
  }
  return field.secret ? text : text.trim();
}

/** Fields of a new object: every input that holds something, converted. */
export function createPayload(
  fields: readonly IField[],
  values: FieldValues
): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (!isBlank(field, value)) {
      payload[field.name] = convertValue(field, value as FieldValue);
    }
  }
  return payload;
}

/**
 * Fields of an edit (`PATCH`): only what changed. An empty secret is left out, so the server
 * keeps it; a plain field emptied by the user is sent as null, which clears it.
 */
export function updatePayload(
  fields: readonly IField[],
  values: FieldValues,
  saved: ISavedFields
): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    const before = saved.config[field.name];
    if (isBlank(field, value)) {
      if (!field.secret && before !== undefined && before !== null && before !== '') {
        payload[field.name] = null;
      }
      continue;
    }
    const converted = convertValue(field, value as FieldValue);
    if (field.secret || !sameValue(converted, before)) {
      payload[field.name] = converted;
    }
  }
  return payload;
}

function sameValue(value: unknown, before: unknown): boolean {
  if (typeof value === 'boolean') {
    return value === (before === true);
  }
  return before !== undefined && before !== null && String(before) === String(value);
}

/**
 * What "Test" can check while editing a saved connector.
 *
 * - `saved`: nothing changed, test the saved connector on the server;
 * - `unsaved`: test the inputs as they are (every secret the server holds was typed again);
 * - `needs-secrets`: the inputs changed but the test would lack a secret the server keeps.
 */
export type EditTestTarget = 'saved' | 'unsaved' | 'needs-secrets';

/** Which test an edited connector's "Test" button runs (see `EditTestTarget`). */
export function editTestTarget(
  fields: readonly IField[],
  values: FieldValues,
  saved: ISavedFields
): EditTestTarget {
  if (Object.keys(updatePayload(fields, values, saved)).length === 0) {
    return 'saved';
  }
  const missing = fields.some(
    field =>
      field.secret &&
      saved.secrets_set.includes(field.name) &&
      isBlank(field, values[field.name])
  );
  return missing ? 'needs-secrets' : 'unsaved';
}

/** One way of pointing at data with a connector kind: a table, a query, a file in a bucket... */
export interface ILocatorMode {
  id: string;
  label: string;
  /** Locator fields this mode shows. */
  fields: readonly string[];
  /** Fields this mode needs, beyond those the server marks required. */
  required: readonly string[];
}

/** How a datasource or an exporter uses a connector's locator fields. */
export type LocatorPurpose = 'datasource' | 'exporter';

/**
 * Kinds whose locator fields are alternatives (the server accepts table or query, bucket + path
 * or dataset + table): the form asks which one first, so that it shows only the fields that go
 * together. Kinds not listed show all their locator fields.
 */
const LOCATOR_MODES: Record<string, readonly ILocatorMode[]> = {
  sql: [
    { id: 'table', label: 'Table', fields: ['table', 'database'], required: ['table'] },
    { id: 'query', label: 'SQL query', fields: ['query'], required: ['query'] }
  ],
  gcp: [
    {
      id: 'bucket',
      label: 'File in a bucket',
      fields: ['bucket', 'path', 'separator', 'encoding'],
      required: ['bucket', 'path']
    },
    {
      id: 'bigquery',
      label: 'BigQuery table',
      fields: ['dataset', 'table'],
      required: ['dataset', 'table']
    },
    { id: 'query', label: 'BigQuery query', fields: ['query'], required: ['query'] }
  ]
};

/**
 * An exporter writes a table or a file: the server refuses a query as a destination, and writes
 * text in UTF-8 whatever the locator's encoding says.
 */
const NOT_DESTINATIONS = ['query', 'encoding'];

function usable(kind: IConnectorKind, purpose: LocatorPurpose): IField[] {
  return kind.locator_fields.filter(
    field => purpose === 'datasource' || !NOT_DESTINATIONS.includes(field.name)
  );
}

/** The ways a kind can point at data, for a datasource or an exporter; at least one. */
export function locatorModes(
  kind: IConnectorKind,
  purpose: LocatorPurpose
): ILocatorMode[] {
  const names = usable(kind, purpose).map(field => field.name);
  const modes = (LOCATOR_MODES[kind.kind] ?? []).filter(mode =>
    mode.fields.some(name => names.includes(name))
  );
  if (modes.length > 0) {
    return modes;
  }
  return [{ id: 'all', label: kind.label, fields: names, required: [] }];
}

/** The fields a mode shows, in the server's order, marked required where the mode needs them. */
export function modeFields(
  kind: IConnectorKind,
  mode: ILocatorMode,
  purpose: LocatorPurpose
): IField[] {
  return usable(kind, purpose)
    .filter(field => mode.fields.includes(field.name))
    .map(field =>
      mode.required.includes(field.name) ? { ...field, required: true } : field
    );
}

/** The mode a saved locator was written in: the first whose fields it fills. */
export function guessMode(
  modes: readonly ILocatorMode[],
  locator: Record<string, unknown>
): ILocatorMode {
  const filled = (name: string): boolean =>
    locator[name] !== undefined && locator[name] !== null && locator[name] !== '';
  return modes.find(mode => mode.required.some(filled)) ?? modes[0];
}
