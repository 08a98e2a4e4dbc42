import { describe, expect, it } from 'vitest';

import {
  createPayload,
  editTestTarget,
  fieldLabel,
  guessMode,
  initialValues,
  locatorModes,
  modeFields,
  updatePayload,
  validateValues
} from '../src/forms/fields';
import type { IConnectorKind, IField } from '../src/types';
import { expectCases } from './cases';

/** Field descriptions as `GET connector-kinds` gives them (FTP and SQL, trimmed). */
function field(name: string, extra: Partial<IField> = {}): IField {
  return { name, description: '', kind: 'str', required: false, secret: false, ...extra };
}

const FTP_FIELDS: IField[] = [
  field('host', { required: true }),
  field('port', { kind: 'int' }),
  field('username'),
  field('password', { secret: true }),
  field('tls', { kind: 'bool' })
];

const SQL: IConnectorKind = {
  kind: 'sql',
  label: 'SQL',
  fields: [field('host'), field('password', { secret: true }), field('url', { secret: true })],
  locator_fields: [field('table'), field('database'), field('query', { kind: 'text' })]
};

const FTP: IConnectorKind = {
  kind: 'ftp',
  label: 'FTP',
  fields: FTP_FIELDS,
  locator_fields: [field('path', { required: true }), field('separator'), field('encoding')]
};

const GCP: IConnectorKind = {
  kind: 'gcp',
  label: 'GCP',
  fields: [field('service_account_json', { secret: true, kind: 'file' })],
  locator_fields: [
    field('bucket'),
    field('path'),
    field('dataset'),
    field('table'),
    field('query', { kind: 'text' }),
    field('separator'),
    field('encoding')
  ]
};

describe('fieldLabel', () => {
  it('turns names into labels with the usual acronyms', () => {
    expectCases(fieldLabel, {
      host: 'Host',
      endpoint_url: 'Endpoint URL',
      access_key_id: 'Access key ID',
      service_account_json: 'Service account JSON',
      bigquery_endpoint_url: 'BigQuery endpoint URL'
    });
  });
});

describe('initialValues', () => {
  it('never pre-fills a secret, even when the server sent one', () => {
    const values = initialValues(FTP_FIELDS, {
      host: 'ftp.example',
      port: 21,
      password: 'leaked',
      tls: true
    });
    expect(values).toEqual({ host: 'ftp.example', port: '21', username: '', password: '', tls: true });
  });

  it('starts a new form empty, flags off', () => {
    expect(initialValues(FTP_FIELDS)).toEqual({
      host: '',
      port: '',
      username: '',
      password: '',
      tls: false
    });
  });
});

describe('validateValues', () => {
  it('names the first required field left empty', () => {
    const values = initialValues(FTP_FIELDS);
    expect(validateValues(FTP_FIELDS, values)).toBe('Host is required.');
    values.host = '   ';
    expect(validateValues(FTP_FIELDS, values)).toBe('Host is required.');
    values.host = 'ftp.example';
    expect(validateValues(FTP_FIELDS, values)).toBeNull();
  });

  it('refuses a port that is not a whole number', () => {
    const values = { ...initialValues(FTP_FIELDS), host: 'h', port: '21a' };
    expect(validateValues(FTP_FIELDS, values)).toBe('Port must be a whole number.');
  });

  it('lets a required secret stay empty when the server keeps one', () => {
    const fields = [field('key', { secret: true, required: true })];
    expect(validateValues(fields, { key: '' })).toBe('Key is required.');
    expect(validateValues(fields, { key: '' }, ['key'])).toBeNull();
  });
});

describe('createPayload', () => {
  it('sends what was typed, converted, and leaves empty inputs out', () => {
    const values = { host: ' ftp.example ', port: '2121', username: '', password: ' p w ', tls: false };
    expect(createPayload(FTP_FIELDS, values)).toEqual({
      host: 'ftp.example',
      port: 2121,
      password: ' p w ',
      tls: false
    });
  });
});

describe('updatePayload', () => {
  const saved = { config: { host: 'ftp.example', port: 21, username: 'bob', tls: false }, secrets_set: ['password'] };

  it('leaves an empty secret out, so that the server keeps it', () => {
    const values = initialValues(FTP_FIELDS, saved.config);
    expect(updatePayload(FTP_FIELDS, values, saved)).toEqual({});
    expect('password' in updatePayload(FTP_FIELDS, values, saved)).toBe(false);
  });

  it('sends a secret typed again and the plain fields that changed', () => {
    const values = { ...initialValues(FTP_FIELDS, saved.config), password: 'new', port: '2121' };
    expect(updatePayload(FTP_FIELDS, values, saved)).toEqual({ password: 'new', port: 2121 });
  });

  it('clears a plain field the user emptied', () => {
    const values = { ...initialValues(FTP_FIELDS, saved.config), username: '' };
    expect(updatePayload(FTP_FIELDS, values, saved)).toEqual({ username: null });
  });
});

describe('editTestTarget', () => {
  const saved = { config: { host: 'ftp.example', port: 21 }, secrets_set: ['password'] };

  it('tests the saved connector while nothing changed', () => {
    expect(editTestTarget(FTP_FIELDS, initialValues(FTP_FIELDS, saved.config), saved)).toBe('saved');
  });

  it('needs the secrets again to test changed inputs', () => {
    const values = { ...initialValues(FTP_FIELDS, saved.config), port: '2121' };
    expect(editTestTarget(FTP_FIELDS, values, saved)).toBe('needs-secrets');
    expect(editTestTarget(FTP_FIELDS, { ...values, password: 'pw' }, saved)).toBe('unsaved');
  });
});

describe('locator modes', () => {
  it('offers table or query for SQL, each with its own required field', () => {
    const modes = locatorModes(SQL, 'datasource');
    expect(modes.map(mode => mode.id)).toEqual(['table', 'query']);
    const table = modeFields(SQL, modes[0], 'datasource');
    expect(table.map(f => [f.name, f.required])).toEqual([
      ['table', true],
      ['database', false]
    ]);
    expect(modeFields(SQL, modes[1], 'datasource').map(f => f.name)).toEqual(['query']);
  });

  it('never offers a query as an export destination', () => {
    const modes = locatorModes(SQL, 'exporter');
    expect(modes.map(mode => mode.id)).toEqual(['table']);
  });

  it('shows every locator field of kinds without alternatives', () => {
    const [mode] = locatorModes(FTP, 'datasource');
    expect(modeFields(FTP, mode, 'datasource').map(f => [f.name, f.required])).toEqual([
      ['path', true],
      ['separator', false],
      ['encoding', false]
    ]);
  });

  it('finds the mode a saved locator was written in', () => {
    const modes = locatorModes(SQL, 'datasource');
    expect(guessMode(modes, { query: 'select 1' }).id).toBe('query');
    expect(guessMode(modes, { table: 'sales' }).id).toBe('table');
    expect(guessMode(modes, {}).id).toBe('table');
  });

  it('offers a bucket file, a BigQuery table or a query for GCP', () => {
    const modes = locatorModes(GCP, 'datasource');
    expect(modes.map(mode => mode.id)).toEqual(['bucket', 'bigquery', 'query']);
    expect(modeFields(GCP, modes[0], 'datasource').map(f => [f.name, f.required])).toEqual([
      ['bucket', true],
      ['path', true],
      ['separator', false],
      ['encoding', false]
    ]);
    expect(guessMode(modes, { dataset: 'd', table: 't' }).id).toBe('bigquery');
  });

  it('leaves the query and the encoding out of export destinations', () => {
    const modes = locatorModes(GCP, 'exporter');
    expect(modes.map(mode => mode.id)).toEqual(['bucket', 'bigquery']);
    expect(modeFields(GCP, modes[0], 'exporter').map(f => f.name)).toEqual([
      'bucket',
      'path',
      'separator'
    ]);
    const [ftp] = locatorModes(FTP, 'exporter');
    expect(modeFields(FTP, ftp, 'exporter').map(f => f.name)).toEqual(['path', 'separator']);
  });
});
